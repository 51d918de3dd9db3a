# Every VPC has a flow log to a KMS-encrypted log group, and no default VPC is managed.
package ec2stack.rules.vpc_flow_logs

import data.ec2stack.lib

metadata := {
	"id": "EC2S-101",
	"name": "vpc-flow-logs",
	"severity": "MEDIUM",
	"summary": "Every VPC has a flow log delivered to a KMS-encrypted CloudWatch log group; no default VPC is used.",
	"resolution": "Add an aws_flow_log (traffic_type ALL) with vpc_id = the VPC and log_destination = a log group with kms_key_id; remove aws_default_vpc.",
	"references": ["AWS-0178", "AWS-0101", "AWS-0017", "CKV2_AWS_11", "CIS AWS 3.7", "FSBP EC2.6"],
}

# flow_logs(vpc) is every flow log of the VPC.
flow_logs(vpc) := {fl | some fl in lib.resources("aws_flow_log"); lib.refers_to(fl, "vpc_id", vpc)}

encrypted_destination(fl) if {
	some lg in lib.resources("aws_cloudwatch_log_group")
	lib.refers_to(fl, "log_destination", lg)
	lib.set(lg, "kms_key_id")
}

deny contains f if {
	some vpc in lib.resources("aws_vpc")
	count(flow_logs(vpc)) == 0
	f := lib.finding(vpc, "no aws_flow_log", "VPC has no flow log")
}

deny contains f if {
	some vpc in lib.resources("aws_vpc")
	some fl in flow_logs(vpc)
	not encrypted_destination(fl)
	f := lib.finding(fl, object.get(fl.values, "log_destination_type", ""), "flow log does not go to a CloudWatch log group of this plan with kms_key_id set")
}

deny contains f if {
	some vpc in lib.resources("aws_default_vpc")
	f := lib.finding(vpc, "aws_default_vpc", "the default VPC must not be used or managed: build a dedicated VPC")
}
