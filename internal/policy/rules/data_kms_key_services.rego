package ec2stack.rules.kms_key_services

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-513",
	"name": "kms-key-policy-services",
	"severity": "MEDIUM",
	"summary": "Each key policy lets the services that use the key use it: logs -> CloudWatch Logs of the region; sns -> CloudWatch and EventBridge; ebs -> the Auto Scaling service-linked role; data and the DR key -> AWS Backup; every key -> the account, so IAM (RDS, Secrets Manager, DLM on behalf of our roles) applies. No scanner checks this; a missing grant breaks encryption silently.",
	"resolution": "Add an Allow statement for the missing principal to the key's aws_iam_policy_document (terraform/modules/security/kms.tf).",
	"references": ["CKV2_AWS_64", "security baseline: key policies name the services"],
}

# purpose(r): what the key is for, from its for_each key ("logs", "sns", "ebs", "data"), else its Purpose tag,
# else the resource name (aws_kms_key.dr).
purpose(r) := r.index if is_string(r.index)
else := p if {
	p := object.get(lib.tags(r), "Purpose", null)
	is_string(p)
} else := r.name

# Principals a key policy may have to allow: {kind (AWS or Service), pattern, label, why}.
account := {"kind": "AWS", "pattern": `^(arn:[a-z-]+:iam::[0-9]{12}:root|[0-9]{12})$`, "label": "arn:aws:iam::<account>:root", "why": "IAM policies of the account, and the services acting for its principals (RDS, Secrets Manager, EC2, DLM), can only use the key through the account statement"}

backup := {"kind": "Service", "pattern": `^backup\.amazonaws\.com$`, "label": "backup.amazonaws.com", "why": "AWS Backup encrypts the recovery points of the vault with this key"}

logs := {"kind": "Service", "pattern": `^logs\.[a-z0-9-]+\.amazonaws\.com$`, "label": "logs.<region>.amazonaws.com", "why": "CloudWatch Logs cannot write to a log group encrypted with this key otherwise"}

cloudwatch := {"kind": "Service", "pattern": `^cloudwatch\.amazonaws\.com$`, "label": "cloudwatch.amazonaws.com", "why": "alarms cannot publish to the encrypted SNS topic otherwise"}

events := {"kind": "Service", "pattern": `^events\.amazonaws\.com$`, "label": "events.amazonaws.com", "why": "EventBridge rules cannot publish to the encrypted SNS topic otherwise"}

autoscaling := {"kind": "AWS", "pattern": `:role/aws-service-role/autoscaling\.amazonaws\.com/AWSServiceRoleForAutoScaling$`, "label": "AWSServiceRoleForAutoScaling", "why": "Auto Scaling cannot launch instances with volumes encrypted by this key otherwise"}

services := {
	"logs": [logs],
	"sns": [cloudwatch, events],
	"ebs": [autoscaling],
	"dr": [backup],
	"backup": [backup],
}

# required(p) is the list of principals the policy of a key of purpose p must allow. The data key serves RDS,
# Performance Insights and Secrets Manager through the account statement, and AWS Backup when there is a vault.
required(p) := array.concat([account], object.get(services, p, [])) if p != "data"

required("data") := [account, backup] if count(lib.resources("aws_backup_vault")) > 0

required("data") := [account] if count(lib.resources("aws_backup_vault")) == 0

allowed(doc, req) if {
	some st in lib_ops.statements(doc)
	object.get(st, "Effect", "") == "Allow"
	some principal in lib_ops.principals(st, req.kind)
	regex.match(req.pattern, principal)
}

deny contains lib.finding(r, req.label, msg) if {
	some r in lib.resources("aws_kms_key")
	doc := lib_ops.policy_document(object.get(r.values, "policy", null))
	p := purpose(r)
	some req in required(p)
	not allowed(doc, req)
	msg := sprintf("the policy of the %s key does not allow %s: %s", [p, req.label, req.why])
}
