package ec2stack.rules.s3_versioning

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-522",
	"name": "s3-versioning",
	"severity": "MEDIUM",
	"summary": "S3 buckets have versioning enabled.",
	"resolution": "Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = \"Enabled\" }.",
	"references": ["AWS-0090", "CKV_AWS_21", "FSBP S3.14"],
}

deny contains lib.finding(b, null, "S3 bucket has no aws_s3_bucket_versioning: versioning is off") if {
	some b in lib.resources("aws_s3_bucket")
	count(lib_ops.companions(b, "aws_s3_bucket_versioning")) == 0
	not _inline_enabled(b)
}

_inline_enabled(b) if {
	some v in object.get(b.values, "versioning", [])
	v.enabled == true
}

deny contains lib.finding(b, status, sprintf("S3 bucket versioning (%s) is %v, not Enabled", [v.address, status])) if {
	some b in lib.resources("aws_s3_bucket")
	some v in lib_ops.companions(b, "aws_s3_bucket_versioning")
	some i, vc in object.get(v.values, "versioning_configuration", [])
	not lib.is_unknown(v, ["versioning_configuration", i, "status"])
	status := object.get(vc, "status", null)
	status != "Enabled"
}
