# The instance role can be assumed by EC2 only.
package ec2stack.rules.instance_role_trust

import data.ec2stack.lib
import data.ec2stack.lib.iam

metadata := {
	"id": "EC2S-401",
	"name": "instance-role-trust",
	"severity": "HIGH",
	"summary": "A role EC2 can assume trusts only ec2.amazonaws.com, with sts:AssumeRole only.",
	"resolution": "Make the assume_role_policy a single Allow statement: Principal { Service = \"ec2.amazonaws.com\" }, Action \"sts:AssumeRole\".",
	"references": ["CKV_AWS_60", "CKV_AWS_61", "AWS-0342"],
}

deny contains f if {
	some r in iam.instance_roles
	some s in iam.statements(r.values.assume_role_policy)
	object.get(s, "Effect", "Allow") == "Allow"
	some kind, who in principals(s)
	not ec2_only(kind, who)
	f := lib.finding(r, sprintf("%s: %s", [kind, concat(", ", [sprintf("%v", [w]) | some w in iam.as_list(who)])]), "instance role trusts a principal other than ec2.amazonaws.com")
}

deny contains f if {
	some r in iam.instance_roles
	some s in iam.statements(r.values.assume_role_policy)
	object.get(s, "Effect", "Allow") == "Allow"
	some a in iam.as_list(object.get(s, "Action", null))
	a != "sts:AssumeRole"
	f := lib.finding(r, sprintf("Action: %v", [a]), "instance role trust policy allows more than sts:AssumeRole")
}

principals(s) := s.Principal if is_object(object.get(s, "Principal", null))

else := {"Principal": object.get(s, "Principal", "none")}

ec2_only(kind, who) if {
	kind == "Service"
	iam.as_list(who) == ["ec2.amazonaws.com"]
}
