package ec2stack.rules.sns_topic_cmk

import data.ec2stack.lib

metadata := {
	"id": "EC2S-703",
	"name": "sns-topic-cmk",
	"severity": "HIGH",
	"summary": "SNS topics are encrypted with our customer-managed KMS key, not the AWS-managed alias/aws/sns (whose policy CloudWatch alarms cannot use).",
	"resolution": "Set kms_master_key_id on the aws_sns_topic to the ARN of the sns key (whose policy allows cloudwatch.amazonaws.com and events.amazonaws.com).",
	"references": ["AWS-0095", "AWS-0136", "CKV_AWS_26", "FSBP SNS.1"],
}

deny contains lib.finding(r, null, "SNS topic is not encrypted: kms_master_key_id is empty") if {
	some r in lib.resources("aws_sns_topic")
	not lib.set(r, "kms_master_key_id")
}

deny contains lib.finding(r, v, "SNS topic uses the AWS-managed key alias/aws/sns: CloudWatch alarms and EventBridge cannot publish to it; use our CMK") if {
	some r in lib.resources("aws_sns_topic")
	v := object.get(r.values, "kms_master_key_id", null)
	is_string(v)
	contains(v, "alias/aws/sns")
}
