package ec2stack.rules.s3_lifecycle

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-524",
	"name": "s3-lifecycle",
	"severity": "LOW",
	"summary": "S3 buckets have a lifecycle configuration with an enabled rule that aborts incomplete multipart uploads.",
	"resolution": "Add an aws_s3_bucket_lifecycle_configuration with an enabled rule containing abort_incomplete_multipart_upload { days_after_initiation = 7 }.",
	"references": ["CKV2_AWS_61", "CKV_AWS_300", "FSBP S3.13"],
}

deny contains lib.finding(b, null, "S3 bucket has no lifecycle configuration") if {
	some b in lib.resources("aws_s3_bucket")
	count(lib_ops.companions(b, "aws_s3_bucket_lifecycle_configuration")) == 0
}

deny contains lib.finding(b, null, sprintf("S3 lifecycle configuration %s has no enabled rule with abort_incomplete_multipart_upload", [lc.address])) if {
	some b in lib.resources("aws_s3_bucket")
	some lc in lib_ops.companions(b, "aws_s3_bucket_lifecycle_configuration")
	not lib.is_unknown(lc, "rule")
	not _aborts(lc)
}

_aborts(lc) if {
	some rule in object.get(lc.values, "rule", [])
	object.get(rule, "status", "Enabled") == "Enabled"
	some a in object.get(rule, "abort_incomplete_multipart_upload", [])
	object.get(a, "days_after_initiation", null) != null
}
