# Backups exist exactly where the environment contract asks for them (AWS Backup plan and daily EBS snapshots),
# copied to the disaster-recovery region exactly where it says so. (Retention: EC2S-705.)
package ec2stack.rules.contract_backup

import data.ec2stack.lib

metadata := {
	"id": "EC2S-804",
	"name": "contract-backup",
	"severity": "HIGH",
	"summary": "Where the environment contract says backup.enabled there is an AWS Backup plan and a DLM EBS snapshot policy, copying to another region exactly where backup.cross_region_copy says so; where backups are off there are none.",
	"resolution": "Set enable_backup and enable_cross_region_backup in the environment root as the contract requires (or change the contract, in review).",
	"references": ["environment contract", "FSBP Backup.1"],
}

want := lib.contract.backup

backup_types := ["aws_backup_plan", "aws_dlm_lifecycle_policy"]

deny contains {"address": t, "value": "none planned", "message": sprintf("%s needs backups (backup.enabled = true): no %s", [lib.environment, t])} if {
	want.enabled
	some t in backup_types
	count(lib.resources(t)) == 0
}

deny contains lib.finding(r, r.type, sprintf("%s has backups off (backup.enabled = false)", [lib.environment])) if {
	not want.enabled
	some t in backup_types
	some r in lib.resources(t)
}

# copies(r) is true when the plan or policy copies to another region (every rule, or every schedule).
copies(r) if {
	r.type == "aws_backup_plan"
	rules := object.get(r.values, "rule", [])
	count(rules) > 0
	every rule in rules {
		count(object.get(rule, "copy_action", [])) > 0
	}
}

copies(r) if {
	r.type == "aws_dlm_lifecycle_policy"
	schedules := [s | some d in object.get(r.values, "policy_details", []); some s in object.get(d, "schedule", [])]
	count(schedules) > 0
	every s in schedules {
		count(object.get(s, "cross_region_copy_rule", [])) > 0
	}
}

deny contains lib.finding(r, "no cross-region copy", sprintf("%s copies backups to the DR region (backup.cross_region_copy = true)", [lib.environment])) if {
	want.enabled
	want.cross_region_copy
	some t in backup_types
	some r in lib.resources(t)
	not copies(r)
}

deny contains lib.finding(r, "cross-region copy", sprintf("%s keeps backups in its region (backup.cross_region_copy = false)", [lib.environment])) if {
	want.enabled
	not want.cross_region_copy
	some t in backup_types
	some r in lib.resources(t)
	copies(r)
}
