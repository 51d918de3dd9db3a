# An AWS service acts for whoever asks it: a role it may assume, or a key policy that lets it use a key, says for
# which account (or resources) it may do so, so that another account cannot make the service use our role or key
# (cross-service confused deputy).
package ec2stack.rules.service_principal_confused_deputy

import data.ec2stack.lib
import data.ec2stack.lib.iam
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-405",
	"name": "service-principal-confused-deputy",
	"severity": "MEDIUM",
	"summary": "A role trust statement that lets an AWS service other than EC2 assume the role has a condition on aws:SourceAccount or aws:SourceArn; a KMS key policy statement that lets an AWS service use the key has one on aws:SourceAccount, aws:SourceArn, a kms:EncryptionContext:* key, kms:ViaService or kms:CallerAccount.",
	"resolution": "Add to the statement Condition { StringEquals = { \"aws:SourceAccount\" = <account id> } } and, where the service sends it, ArnLike aws:SourceArn = the ARNs of the resources it acts for (e.g. arn:aws:ec2:<region>:<account>:vpc-flow-log/*); for a CloudWatch Logs key, ArnLike kms:EncryptionContext:aws:logs:arn = the account's log groups. EC2 instance roles need none (EC2 does not send these keys).",
	"references": [
		"AWS IAM User Guide: cross-service confused deputy prevention",
		"AWS KMS Developer Guide: aws:SourceAccount, aws:SourceArn and kms:EncryptionContext conditions in key policies",
		"prowler iam_role_cross_service_confused_deputy_prevention",
	],
}

# Service principals that never send aws:SourceAccount or aws:SourceArn when they assume a role: EC2, for the
# instance roles (a condition on them would make the role unusable).
no_source_keys := {"ec2.amazonaws.com", "ec2.amazonaws.com.cn"}

# services(st) is the set of service principals of a statement (Principal {"Service": a string or a list});
# undefined when the principal is "*" or not an object.
services(st) := {p | some p in iam.as_list(st.Principal.Service); is_string(p)} if is_object(st.Principal)

# assumes_role(st): the statement allows sts:AssumeRole (or a wildcard covering it).
assumes_role(st) if {
	some a in iam.as_list(object.get(st, "Action", null))
	is_string(a)
	glob.match(lower(a), null, "sts:assumerole")
}

# binding(op): a condition operator that holds only for the values it names. Null only tests whether a key is
# present, ...IfExists also holds when the service sends no such key, and the negated operators (StringNotEquals,
# ArnNotLike, ...) admit every other account: none of them scopes the statement.
binding(op) if {
	o := lower(op)
	o != "null"
	not endswith(o, "ifexists")
	not contains(o, "not")
}

# condition_keys(st) is every condition key (lowercase: keys are case-insensitive) the statement binds.
condition_keys(st) := {lower(k) |
	conditions := object.get(st, "Condition", {})
	is_object(conditions)
	some op, keys in conditions
	binding(op)
	is_object(keys)
	some k, _ in keys
}

source_keys := {"aws:sourceaccount", "aws:sourcearn"}

role_scoped(st) if {
	some k in condition_keys(st)
	k in source_keys
}

key_scoped(st) if role_scoped(st)

key_scoped(st) if {
	some k in condition_keys(st)
	k in {"kms:viaservice", "kms:calleraccount"}
}

key_scoped(st) if {
	some k in condition_keys(st)
	startswith(k, "kms:encryptioncontext:")
}

# sid(st, i) names a statement: its Sid, else its position.
sid(st, i) := st.Sid if {
	is_string(st.Sid)
	st.Sid != ""
} else := sprintf("#%d", [i])

deny contains lib.finding(r, concat(", ", sort(unscoped)), msg) if {
	some r in lib.resources("aws_iam_role")
	doc := lib_ops.policy_document(object.get(r.values, "assume_role_policy", null))
	some i, st in lib_ops.statements(doc)
	object.get(st, "Effect", "") == "Allow"
	assumes_role(st)
	not role_scoped(st)
	unscoped := {p | some p in services(st); not p in no_source_keys}
	count(unscoped) > 0
	msg := sprintf(
		"trust statement %v lets %s assume the role, not limited by a condition on aws:SourceAccount or aws:SourceArn: the service could assume it on behalf of another account (confused deputy)",
		[sid(st, i), concat(", ", sort(unscoped))],
	)
}

deny contains lib.finding(r, concat(", ", sort(svc)), msg) if {
	some r in lib.resources("aws_kms_key")
	doc := lib_ops.policy_document(object.get(r.values, "policy", null))
	some i, st in lib_ops.statements(doc)
	object.get(st, "Effect", "") == "Allow"
	svc := services(st)
	count(svc) > 0
	not key_scoped(st)
	msg := sprintf(
		"key policy statement %v lets %s use the key, not limited by a condition on aws:SourceAccount, aws:SourceArn, kms:EncryptionContext:*, kms:ViaService or kms:CallerAccount: the service could use it on behalf of another account (confused deputy)",
		[sid(st, i), concat(", ", sort(svc))],
	)
}
