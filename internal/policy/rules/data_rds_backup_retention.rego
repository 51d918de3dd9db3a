package ec2stack.rules.rds_backup_retention

import data.ec2stack.lib

metadata := {
	"id": "EC2S-502",
	"name": "rds-backup-retention",
	"severity": "MEDIUM",
	"summary": "RDS automated backups (the point-in-time recovery window) are kept at least the environment contract's database.min_backup_retention_days (never below 7).",
	"resolution": "Set backup_retention_period (database.backup_retention_days in the environment root) to at least the contract's minimum.",
	"references": ["AWS-0077", "CKV_AWS_133", "FSBP RDS.11"],
}

deny contains lib.finding(r, v, msg) if {
	some r in lib.resources("aws_db_instance")

	# A read replica has no automated backups of its own: the source keeps them.
	not lib.set(r, "replicate_source_db")
	not lib.is_unknown(r, "backup_retention_period")
	v := object.get(r.values, "backup_retention_period", 0)
	min := lib.contract.database.min_backup_retention_days
	_below(v, min)
	msg := sprintf("RDS backup retention is %v days; %s needs at least %d", [v, lib.environment, min])
}

_below(v, _) if v == null

_below(v, min) if {
	is_number(v)
	v < min
}
