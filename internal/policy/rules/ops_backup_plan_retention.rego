package ec2stack.rules.backup_plan_retention

import data.ec2stack.lib

metadata := {
	"id": "EC2S-705",
	"name": "backup-plan-retention",
	"severity": "MEDIUM",
	"summary": "AWS Backup plan rules, and their cross-region copies, keep recovery points at least the environment contract's backup.min_retention_days.",
	"resolution": "Set lifecycle { delete_after } of every rule and copy_action to at least the contract's minimum (backup_retention_days in the environment root).",
	"references": ["security baseline: prod backups >= 30 days"],
}

lifecycles contains [p, where, path, lc] if {
	some p in lib.resources("aws_backup_plan")
	some i, rule in object.get(p.values, "rule", [])
	some k, lc in object.get(rule, "lifecycle", [])
	where := sprintf("rule %v", [rule.rule_name])
	path := ["rule", i, "lifecycle", k]
}

lifecycles contains [p, where, path, lc] if {
	some p in lib.resources("aws_backup_plan")
	some i, rule in object.get(p.values, "rule", [])
	some j, ca in object.get(rule, "copy_action", [])
	some k, lc in object.get(ca, "lifecycle", [])
	where := sprintf("copy action of rule %v", [rule.rule_name])
	path := ["rule", i, "copy_action", j, "lifecycle", k]
}

deny contains lib.finding(p, v, msg) if {
	some [p, where, path, lc] in lifecycles
	not lib.is_unknown(p, array.concat(path, ["delete_after"]))
	v := object.get(lc, "delete_after", null)
	is_number(v)
	min := lib.contract.backup.min_retention_days
	v < min
	msg := sprintf("Backup %s deletes recovery points after %v days; %s needs at least %d", [where, v, lib.environment, min])
}
