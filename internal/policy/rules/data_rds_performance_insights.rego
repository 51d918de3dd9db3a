package ec2stack.rules.rds_performance_insights

import data.ec2stack.lib

metadata := {
	"id": "EC2S-505",
	"name": "rds-performance-insights-cmk",
	"severity": "HIGH",
	"summary": "RDS Performance Insights is on and encrypted with our customer-managed KMS key.",
	"resolution": "Set performance_insights_enabled = true and performance_insights_kms_key_id to the ARN of our data key.",
	"references": ["AWS-0133", "AWS-0078", "CKV_AWS_353", "CKV_AWS_354"],
}

deny contains lib.finding(r, v, "RDS Performance Insights is off: performance_insights_enabled must be true") if {
	some r in lib.resources("aws_db_instance")
	not lib.is_unknown(r, "performance_insights_enabled")
	v := object.get(r.values, "performance_insights_enabled", null)
	v != true
}

deny contains lib.finding(r, null, "RDS Performance Insights has no performance_insights_kms_key_id: it would use the AWS-managed key") if {
	some r in lib.resources("aws_db_instance")
	object.get(r.values, "performance_insights_enabled", null) == true
	not lib.set(r, "performance_insights_kms_key_id")
}

deny contains lib.finding(r, v, "RDS Performance Insights uses an AWS-managed key: performance_insights_kms_key_id must be our CMK") if {
	some r in lib.resources("aws_db_instance")
	v := object.get(r.values, "performance_insights_kms_key_id", null)
	is_string(v)
	contains(v, "alias/aws/")
}
