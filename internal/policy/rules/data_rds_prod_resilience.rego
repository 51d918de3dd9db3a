# The database is Multi-AZ exactly where the environment contract says so, and protected from deletion where it
# asks for deletion protection.
package ec2stack.rules.rds_resilience

import data.ec2stack.lib

metadata := {
	"id": "EC2S-503",
	"name": "rds-resilience",
	"severity": "MEDIUM",
	"summary": "RDS instances are Multi-AZ as the environment contract's database.multi_az says, and have deletion protection where the contract asks for it (deletion_protection).",
	"resolution": "Set database.multi_az and database.deletion_protection in the environment root as the contract requires.",
	"references": ["AWS-0177", "CKV_AWS_157", "CKV_AWS_293", "FSBP RDS.5", "FSBP RDS.8"],
}

deny contains lib.finding(r, v, sprintf("%s RDS instance has multi_az = %v; the environment contract says %v", [lib.environment, v, want])) if {
	some r in lib.resources("aws_db_instance")

	# A read replica is not Multi-AZ itself; its source is.
	not lib.set(r, "replicate_source_db")
	not lib.is_unknown(r, "multi_az")
	v := object.get(r.values, "multi_az", false)
	want := lib.contract.database.multi_az
	v != want
}

deny contains lib.finding(r, v, sprintf("%s RDS instance has no deletion protection: deletion_protection must be true", [lib.environment])) if {
	lib.contract.deletion_protection
	some r in lib.resources("aws_db_instance")
	not lib.is_unknown(r, "deletion_protection")
	v := object.get(r.values, "deletion_protection", null)
	v != true
}
