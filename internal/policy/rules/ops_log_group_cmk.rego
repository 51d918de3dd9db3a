package ec2stack.rules.log_group_cmk

import data.ec2stack.lib

metadata := {
	"id": "EC2S-701",
	"name": "log-group-cmk",
	"severity": "MEDIUM",
	"summary": "CloudWatch log groups are encrypted with our customer-managed KMS key (the logs key).",
	"resolution": "Set kms_key_id on the aws_cloudwatch_log_group to the ARN of the logs key (of the log group's region).",
	"references": ["AWS-0017", "CKV_AWS_158"],
}

deny contains lib.finding(r, null, sprintf("log group %v is not encrypted with our CMK: kms_key_id is empty", [object.get(r.values, "name", r.address)])) if {
	some r in lib.resources("aws_cloudwatch_log_group")
	not lib.set(r, "kms_key_id")
}
