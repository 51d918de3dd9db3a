package ec2stack.rules.s3_access_logging

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-523",
	"name": "s3-access-logging",
	"severity": "MEDIUM",
	"summary": "S3 buckets log their access to the log bucket (aws_s3_bucket_logging); buckets that are themselves log destinations (access, ALB and CloudFront logs) do not log to themselves.",
	"resolution": "Add an aws_s3_bucket_logging for the bucket with target_bucket = the log bucket.",
	"references": ["AWS-0089", "CKV_AWS_18", "FSBP S3.9"],
}

deny contains lib.finding(b, null, "S3 bucket has no access logging (aws_s3_bucket_logging)") if {
	some b in lib.resources("aws_s3_bucket")
	not lib_ops.log_bucket(b)
	count(lib_ops.companions(b, "aws_s3_bucket_logging")) == 0
	not _inline_logging(b)
}

_inline_logging(b) if {
	some l in object.get(b.values, "logging", [])
	object.get(l, "target_bucket", "") != ""
}
