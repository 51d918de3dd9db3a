# Security groups and their rules say what they are for.
package ec2stack.rules.security_group_descriptions

import data.ec2stack.lib
import data.ec2stack.lib.sg

metadata := {
	"id": "EC2S-201",
	"name": "security-group-descriptions",
	"severity": "LOW",
	"summary": "Every security group and security group rule has a meaningful description.",
	"resolution": "Set description on the aws_security_group and on each rule (not empty, not the default \"Managed by Terraform\").",
	"references": ["AWS-0099", "AWS-0124", "CKV_AWS_23"],
}

bad(d) if d == null

bad(d) if trim_space(d) == ""

bad(d) if d == "Managed by Terraform"

deny contains f if {
	some r in lib.resources("aws_security_group")
	not lib.is_unknown(r, "description")
	d := object.get(r.values, "description", null)
	bad(d)
	f := lib.finding(r, sprintf("%v", [d]), "security group has no meaningful description")
}

deny contains f if {
	some x in sg.rules
	not x.description_unknown
	bad(x.description)
	f := {
		"address": x.address,
		"value": sprintf("%v%s", [x.description, sg.where(x)]),
		"message": sprintf("security group %s rule has no meaningful description", [x.direction]),
	}
}
