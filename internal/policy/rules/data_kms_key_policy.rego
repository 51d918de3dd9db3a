package ec2stack.rules.kms_key_policy

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-511",
	"name": "kms-key-policy",
	"severity": "MEDIUM",
	"summary": "Every KMS key has an explicit key policy, and no statement allows every principal (\"*\") without a condition.",
	"resolution": "Set policy on the aws_kms_key (an aws_iam_policy_document: the account statement plus the services that use the key); scope any \"*\" principal with a condition such as aws:SourceAccount or kms:CallerAccount.",
	"references": ["CKV2_AWS_64", "CKV_AWS_33", "FSBP KMS.1"],
}

deny contains lib.finding(r, null, "KMS key has no explicit policy: it gets the default key policy, which does not name the services that use the key") if {
	some r in lib.resources("aws_kms_key")
	not lib.set(r, "policy")
}

deny contains lib.finding(r, v, "KMS key policy is not valid JSON") if {
	some r in lib.resources("aws_kms_key")
	v := object.get(r.values, "policy", null)
	is_string(v)
	v != ""
	not json.is_valid(v)
}

deny contains lib.finding(r, sid, sprintf("KMS key policy statement %v allows every principal (\"*\") without a condition", [sid])) if {
	some r in lib.resources("aws_kms_key")
	doc := lib_ops.policy_document(object.get(r.values, "policy", null))
	some i, st in lib_ops.statements(doc)
	object.get(st, "Effect", "") == "Allow"
	_everyone(st)
	count(object.get(st, "Condition", {})) == 0
	sid := object.get(st, "Sid", sprintf("#%d", [i]))
}

_everyone(st) if st.Principal == "*"

_everyone(st) if "*" in lib_ops.principals(st, "AWS")
