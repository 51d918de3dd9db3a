package ec2stack.rules.s3_public_access_block

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-520",
	"name": "s3-public-access-block",
	"severity": "HIGH",
	"summary": "Every S3 bucket has a public access block with all four flags on, and no public canned ACL.",
	"resolution": "Add an aws_s3_bucket_public_access_block for the bucket with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets = true; remove public ACLs.",
	"references": ["AWS-0086", "AWS-0087", "AWS-0091", "AWS-0093", "AWS-0092", "AWS-0094", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6", "CKV_AWS_20", "FSBP S3.8"],
}

flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains lib.finding(b, null, "S3 bucket has no aws_s3_bucket_public_access_block") if {
	some b in lib.resources("aws_s3_bucket")
	count(lib_ops.companions(b, "aws_s3_bucket_public_access_block")) == 0
}

deny contains lib.finding(b, flag, sprintf("S3 public access block %s: %s is not true", [pab.address, flag])) if {
	some b in lib.resources("aws_s3_bucket")
	some pab in lib_ops.companions(b, "aws_s3_bucket_public_access_block")
	some flag in flags
	not lib.is_unknown(pab, flag)
	object.get(pab.values, flag, null) != true
}

deny contains lib.finding(b, acl, sprintf("S3 bucket gets the public canned ACL %s (%s)", [acl, a.address])) if {
	some b in lib.resources("aws_s3_bucket")
	some a in lib_ops.companions(b, "aws_s3_bucket_acl")
	acl := object.get(a.values, "acl", null)
	acl in {"public-read", "public-read-write", "authenticated-read"}
}
