package ec2stack.rules.s3_encryption_cmk

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-521",
	"name": "s3-encryption-cmk",
	"severity": "HIGH",
	"summary": "S3 buckets use SSE-KMS with our customer-managed key and S3 bucket keys. The ALB access-log bucket can only use SSE-S3 (AES256): a stated exception.",
	"resolution": "Add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = aws:kms, kms_master_key_id = our key's ARN and bucket_key_enabled = true (log buckets: an exception where the log delivery cannot use a CMK).",
	"references": ["AWS-0132", "AWS-0088", "CKV_AWS_145", "CKV_AWS_19", "FSBP S3.17"],
}

deny contains lib.finding(b, "AES256", "S3 bucket has no server-side encryption configuration: S3 falls back to SSE-S3 (AES256), not our CMK") if {
	some b in lib.resources("aws_s3_bucket")
	count(lib_ops.companions(b, "aws_s3_bucket_server_side_encryption_configuration")) == 0
}

defaults(sse) := [d |
	some rule in object.get(sse.values, "rule", [])
	some d in object.get(rule, "apply_server_side_encryption_by_default", [])
]

deny contains lib.finding(b, alg, sprintf("S3 bucket is encrypted with %s (%s), not SSE-KMS with our CMK", [alg, sse.address])) if {
	some b in lib.resources("aws_s3_bucket")
	some sse in lib_ops.companions(b, "aws_s3_bucket_server_side_encryption_configuration")
	some d in defaults(sse)
	alg := object.get(d, "sse_algorithm", null)
	is_string(alg)
	not startswith(alg, "aws:kms")
}

deny contains lib.finding(b, v, sprintf("S3 bucket uses SSE-KMS without our key (%s): kms_master_key_id is empty or an AWS-managed key", [sse.address])) if {
	some b in lib.resources("aws_s3_bucket")
	some sse in lib_ops.companions(b, "aws_s3_bucket_server_side_encryption_configuration")
	some i, rule in object.get(sse.values, "rule", [])
	some j, d in object.get(rule, "apply_server_side_encryption_by_default", [])
	startswith(object.get(d, "sse_algorithm", ""), "aws:kms")
	not lib.is_unknown(sse, ["rule", i, "apply_server_side_encryption_by_default", j, "kms_master_key_id"])
	v := object.get(d, "kms_master_key_id", null)
	_aws_managed(v)
}

_aws_managed(v) if v == null

_aws_managed(v) if v == ""

_aws_managed(v) if contains(v, "alias/aws/")

deny contains lib.finding(b, v, sprintf("S3 bucket uses SSE-KMS without S3 bucket keys (%s): bucket_key_enabled must be true", [sse.address])) if {
	some b in lib.resources("aws_s3_bucket")
	some sse in lib_ops.companions(b, "aws_s3_bucket_server_side_encryption_configuration")
	some i, rule in object.get(sse.values, "rule", [])
	some d in object.get(rule, "apply_server_side_encryption_by_default", [])
	startswith(object.get(d, "sse_algorithm", ""), "aws:kms")
	not lib.is_unknown(sse, ["rule", i, "bucket_key_enabled"])
	v := object.get(rule, "bucket_key_enabled", null)
	v != true
}
