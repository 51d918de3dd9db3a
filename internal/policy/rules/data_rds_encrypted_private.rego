package ec2stack.rules.rds_encrypted_private

import data.ec2stack.lib

metadata := {
	"id": "EC2S-501",
	"name": "rds-encrypted-private",
	"severity": "HIGH",
	"summary": "RDS instances are encrypted at rest with our customer-managed KMS key and are not publicly accessible.",
	"resolution": "Set storage_encrypted = true, kms_key_id to the ARN of our data key (not an AWS-managed key), and publicly_accessible = false.",
	"references": ["AWS-0080", "AWS-0180", "CKV_AWS_16", "CKV_AWS_17", "FSBP RDS.3", "FSBP RDS.2"],
}

deny contains lib.finding(r, v, "RDS storage is not encrypted: storage_encrypted must be true") if {
	some r in lib.resources("aws_db_instance")
	not lib.is_unknown(r, "storage_encrypted")
	v := object.get(r.values, "storage_encrypted", null)
	v != true
}

deny contains lib.finding(r, null, "RDS storage has no kms_key_id: it would use the AWS-managed aws/rds key instead of our CMK") if {
	some r in lib.resources("aws_db_instance")
	not lib.set(r, "kms_key_id")
}

deny contains lib.finding(r, v, "RDS storage uses an AWS-managed key: kms_key_id must be our CMK") if {
	some r in lib.resources("aws_db_instance")
	v := object.get(r.values, "kms_key_id", null)
	is_string(v)
	contains(v, "alias/aws/")
}

deny contains lib.finding(r, true, "RDS instance is publicly accessible: publicly_accessible must be false") if {
	some r in lib.resources("aws_db_instance")
	object.get(r.values, "publicly_accessible", null) == true
}
