package ec2stack.rules.cloudfront_logging

import data.ec2stack.lib

metadata := {
	"id": "EC2S-604",
	"name": "cloudfront-logging",
	"severity": "MEDIUM",
	"summary": "CloudFront distributions write standard (access) logs to the CloudFront log bucket.",
	"resolution": "Add a logging_config block with bucket = the CloudFront log bucket's domain name.",
	"references": ["AWS-0010", "CKV_AWS_86", "FSBP CloudFront.5"],
}

deny contains lib.finding(d, null, "CloudFront distribution has no access logging: logging_config is missing") if {
	some d in lib.resources("aws_cloudfront_distribution")
	not lib.set(d, "logging_config")
}

deny contains lib.finding(d, null, "CloudFront logging_config has no bucket") if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, lc in object.get(d.values, "logging_config", [])
	not lib.set(d, ["logging_config", i, "bucket"])
}
