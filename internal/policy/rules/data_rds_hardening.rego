package ec2stack.rules.rds_hardening

import data.ec2stack.lib

metadata := {
	"id": "EC2S-504",
	"name": "rds-hardening",
	"severity": "MEDIUM",
	"summary": "RDS instances use IAM database authentication, Enhanced Monitoring, automatic minor upgrades, export their logs to CloudWatch, copy tags to snapshots and use a current CA.",
	"resolution": "Set iam_database_authentication_enabled = true, monitoring_interval > 0 (with monitoring_role_arn), auto_minor_version_upgrade = true, enabled_cloudwatch_logs_exports to the engine's logs, copy_tags_to_snapshot = true.",
	"references": ["AWS-0176", "CKV_AWS_161", "CKV_AWS_118", "CKV_AWS_226", "CKV_AWS_129", "CKV2_AWS_60", "CKV_AWS_211", "FSBP RDS.10", "FSBP RDS.6", "FSBP RDS.13", "FSBP RDS.9", "FSBP RDS.17"],
}

# attribute -> what it must be, and what is wrong otherwise.
must_be_true := {
	"iam_database_authentication_enabled": "IAM database authentication is off",
	"auto_minor_version_upgrade": "automatic minor version upgrades are off",
	"copy_tags_to_snapshot": "snapshots do not get the instance's tags (copy_tags_to_snapshot)",
}

deny contains lib.finding(r, v, sprintf("RDS: %s: %s must be true", [what, attr])) if {
	some r in lib.resources("aws_db_instance")
	some attr, what in must_be_true
	not lib.is_unknown(r, attr)
	v := object.get(r.values, attr, null)
	v != true
}

deny contains lib.finding(r, v, "RDS: Enhanced Monitoring is off: monitoring_interval must be > 0") if {
	some r in lib.resources("aws_db_instance")
	not lib.is_unknown(r, "monitoring_interval")
	v := object.get(r.values, "monitoring_interval", 0)
	not v > 0
}

deny contains lib.finding(r, v, "RDS: no logs exported to CloudWatch Logs: enabled_cloudwatch_logs_exports is empty") if {
	some r in lib.resources("aws_db_instance")
	not lib.set(r, "enabled_cloudwatch_logs_exports")
	v := object.get(r.values, "enabled_cloudwatch_logs_exports", null)
}

deny contains lib.finding(r, v, sprintf("RDS: certificate authority %s is retired: use rds-ca-rsa2048-g1 or newer", [v])) if {
	some r in lib.resources("aws_db_instance")
	v := object.get(r.values, "ca_cert_identifier", null)
	v in {"rds-ca-2015", "rds-ca-2019"}
}
