package ec2stack.rules.s3_ownership_controls

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-525",
	"name": "s3-ownership-controls",
	"severity": "MEDIUM",
	"summary": "S3 buckets disable ACLs (object ownership BucketOwnerEnforced). Only the CloudFront standard-log bucket may keep ACLs (BucketOwnerPreferred or ObjectWriter): CloudFront delivers its logs through an ACL grant.",
	"resolution": "Set rule { object_ownership = \"BucketOwnerEnforced\" } in the bucket's aws_s3_bucket_ownership_controls.",
	"references": ["CKV2_AWS_65", "FSBP S3.12"],
}

deny contains lib.finding(b, v, msg) if {
	some b in lib.resources("aws_s3_bucket")
	some oc in lib_ops.companions(b, "aws_s3_bucket_ownership_controls")
	some i, rule in object.get(oc.values, "rule", [])
	not lib.is_unknown(oc, ["rule", i, "object_ownership"])
	v := object.get(rule, "object_ownership", null)
	v != "BucketOwnerEnforced"
	not _cloudfront_logs_exempt(b, v)
	msg := sprintf("S3 bucket keeps ACLs (object ownership %v in %s): only the CloudFront log bucket may", [v, oc.address])
}

_cloudfront_logs_exempt(b, v) if {
	v in {"BucketOwnerPreferred", "ObjectWriter"}
	lib_ops.cloudfront_log_bucket(b)
}
