package ec2stack.rules.rds_backup_retention

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-502",
	"name": "rds-backup-retention",
	"severity": "MEDIUM",
	"summary": "RDS automated backups are kept at least 7 days, and at least 30 days in prod (point-in-time recovery window).",
	"resolution": "Set backup_retention_period (database.backup_retention_days in the environment root) to >= 7, >= 30 in prod.",
	"references": ["AWS-0077", "CKV_AWS_133", "FSBP RDS.11"],
}

minimum_days := {"prod": 30, "default": 7}

deny contains lib.finding(r, v, msg) if {
	some r in lib.resources("aws_db_instance")

	# A read replica has no automated backups of its own: the source keeps them.
	not lib.set(r, "replicate_source_db")
	not lib.is_unknown(r, "backup_retention_period")
	v := object.get(r.values, "backup_retention_period", 0)
	min := lib_ops.minimum(lib.environment, minimum_days)
	_below(v, min)
	msg := sprintf("RDS backup retention is %v days; %s needs at least %d", [v, lib.environment, min])
}

_below(v, _) if v == null

_below(v, min) if {
	is_number(v)
	v < min
}
