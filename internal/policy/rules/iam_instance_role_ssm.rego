# Instances are managed (and reached) through SSM, so the instance role has the SSM core policy.
package ec2stack.rules.instance_role_ssm

import data.ec2stack.lib
import data.ec2stack.lib.iam

metadata := {
	"id": "EC2S-402",
	"name": "instance-role-ssm",
	"severity": "MEDIUM",
	"summary": "The instance role has the AmazonSSMManagedInstanceCore managed policy attached.",
	"resolution": "Add aws_iam_role_policy_attachment { role = the instance role, policy_arn = \"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore\" }.",
	"references": ["FSBP SSM.1", "CIS AWS 5.2"],
}

ssm_core(a) if endswith(object.get(a.values, "policy_arn", ""), ":policy/AmazonSSMManagedInstanceCore")

attached(role, a) if lib.refers_to(a, "role", role)

attached(role, a) if {
	name := object.get(role.values, "name", null)
	name != null
	a.values.role == name
}

has_ssm(role) if {
	some a in lib.resources("aws_iam_role_policy_attachment")
	ssm_core(a)
	attached(role, a)
}

has_ssm(role) if {
	some arn in object.get(role.values, "managed_policy_arns", [])
	endswith(arn, ":policy/AmazonSSMManagedInstanceCore")
}

deny contains f if {
	some role in iam.instance_roles
	not has_ssm(role)
	f := lib.finding(role, "no AmazonSSMManagedInstanceCore", "instance role cannot be managed through SSM (no AmazonSSMManagedInstanceCore attachment)")
}
