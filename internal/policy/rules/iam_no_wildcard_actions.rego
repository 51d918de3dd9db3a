# IAM policies name their actions: no "*", "s3:*" or "iam:*" in an Allow.
package ec2stack.rules.iam_no_wildcard_actions

import data.ec2stack.lib
import data.ec2stack.lib.iam

metadata := {
	"id": "EC2S-403",
	"name": "iam-no-wildcard-actions",
	"severity": "HIGH",
	"summary": "No IAM policy allows the actions \"*\", \"s3:*\" or \"iam:*\".",
	"resolution": "List the actions the role needs (e.g. s3:PutObject on the log prefix) instead of service wildcards.",
	"references": ["AWS-0057", "AWS-0345", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_355", "CKV_AWS_290", "FSBP IAM.1", "FSBP IAM.21"],
}

forbidden := {"*", "s3:*", "iam:*"}

policy_types := ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"]

deny contains f if {
	some t in policy_types
	some r in lib.resources(t)
	some s in iam.statements(object.get(r.values, "policy", null))
	object.get(s, "Effect", "Allow") == "Allow"
	some a in iam.as_list(object.get(s, "Action", null))
	lower(a) in forbidden
	f := lib.finding(r, a, sprintf("policy allows the wildcard action %s", [a]))
}

# Policy documents read at apply time (their JSON is unknown in the plan, their statements are known).
deny contains f if {
	some rc in input.resource_changes
	rc.mode == "data"
	rc.type == "aws_iam_policy_document"
	some s in object.get(rc.change.after, "statement", [])
	object.get(s, "effect", "Allow") in {"Allow", null}
	some a in object.get(s, "actions", [])
	lower(a) in forbidden
	f := {"address": rc.address, "value": a, "message": sprintf("policy document allows the wildcard action %s", [a])}
}
