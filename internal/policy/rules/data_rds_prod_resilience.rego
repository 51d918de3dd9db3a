package ec2stack.rules.rds_prod_resilience

import data.ec2stack.lib

metadata := {
	"id": "EC2S-503",
	"name": "rds-prod-resilience",
	"severity": "MEDIUM",
	"summary": "In prod, RDS instances are Multi-AZ and have deletion protection.",
	"resolution": "In the prod root set database.multi_az = true and database.deletion_protection = true.",
	"references": ["AWS-0177", "CKV_AWS_157", "CKV_AWS_293", "FSBP RDS.5", "FSBP RDS.8"],
}

deny contains lib.finding(r, v, "prod RDS instance is not Multi-AZ: multi_az must be true") if {
	lib.environment == "prod"
	some r in lib.resources("aws_db_instance")

	# A read replica is not Multi-AZ itself; its source is.
	not lib.set(r, "replicate_source_db")
	not lib.is_unknown(r, "multi_az")
	v := object.get(r.values, "multi_az", null)
	v != true
}

deny contains lib.finding(r, v, "prod RDS instance has no deletion protection: deletion_protection must be true") if {
	lib.environment == "prod"
	some r in lib.resources("aws_db_instance")
	not lib.is_unknown(r, "deletion_protection")
	v := object.get(r.values, "deletion_protection", null)
	v != true
}
