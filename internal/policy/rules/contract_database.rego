# The database instance class is the one the environment contract gives. (Multi-AZ and deletion protection:
# EC2S-503; backup retention: EC2S-502.)
package ec2stack.rules.contract_database

import data.ec2stack.lib

metadata := {
	"id": "EC2S-803",
	"name": "contract-database",
	"severity": "MEDIUM",
	"summary": "RDS instances use the environment contract's database.instance_class.",
	"resolution": "Set database.instance_class in the environment root to the contract's value (or change the contract, in review).",
	"references": ["environment contract"],
}

deny contains lib.finding(r, v, sprintf("%s database must be %s (database.instance_class)", [lib.environment, want])) if {
	some r in lib.resources("aws_db_instance")
	not lib.is_unknown(r, "instance_class")
	v := object.get(r.values, "instance_class", null)
	want := lib.contract.database.instance_class
	v != want
}
