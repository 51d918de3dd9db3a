# The default security group of every VPC is managed by Terraform and has no rules.
package ec2stack.rules.default_security_group

import data.ec2stack.lib

metadata := {
	"id": "EC2S-102",
	"name": "default-security-group-restricted",
	"severity": "MEDIUM",
	"summary": "Every VPC's default security group is managed (aws_default_security_group) and allows no traffic.",
	"resolution": "Add an aws_default_security_group with vpc_id = the VPC and no ingress/egress blocks.",
	"references": ["AWS-0173", "CKV2_AWS_12", "CIS AWS 5.4", "FSBP EC2.2"],
}

managed(vpc) if {
	some d in lib.resources("aws_default_security_group")
	lib.refers_to(d, "vpc_id", vpc)
}

deny contains f if {
	some vpc in lib.resources("aws_vpc")
	not managed(vpc)
	f := lib.finding(vpc, "no aws_default_security_group", "the VPC's default security group is not managed, so it keeps the AWS default rules")
}

deny contains f if {
	some d in lib.resources("aws_default_security_group")
	some direction in ["ingress", "egress"]
	rules := object.get(d.values, direction, [])
	rules != null
	count(rules) > 0
	f := lib.finding(d, direction, sprintf("the default security group has %d %s rule(s): it must allow nothing", [count(rules), direction]))
}
