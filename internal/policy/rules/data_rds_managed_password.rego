package ec2stack.rules.rds_managed_password

import data.ec2stack.lib

metadata := {
	"id": "EC2S-506",
	"name": "rds-managed-password",
	"severity": "MEDIUM",
	"summary": "The RDS master password is managed by RDS in Secrets Manager, encrypted with our customer-managed KMS key; no password in the configuration or state.",
	"resolution": "Set manage_master_user_password = true and master_user_secret_kms_key_id to the ARN of our data key; remove password.",
	"references": ["AWS-0098", "CKV_AWS_149", "FSBP SecretsManager.1"],
}

deny contains lib.finding(r, v, "RDS master password is not managed in Secrets Manager: manage_master_user_password must be true") if {
	some r in lib.resources("aws_db_instance")

	# A read replica has no master user of its own.
	not lib.set(r, "replicate_source_db")
	not lib.is_unknown(r, "manage_master_user_password")
	v := object.get(r.values, "manage_master_user_password", null)
	v != true
}

deny contains lib.finding(r, null, "RDS master user secret has no master_user_secret_kms_key_id: Secrets Manager would use the AWS-managed key") if {
	some r in lib.resources("aws_db_instance")
	object.get(r.values, "manage_master_user_password", null) == true
	not lib.set(r, "master_user_secret_kms_key_id")
}

deny contains lib.finding(r, v, "RDS master user secret uses an AWS-managed key: master_user_secret_kms_key_id must be our CMK") if {
	some r in lib.resources("aws_db_instance")
	v := object.get(r.values, "master_user_secret_kms_key_id", null)
	is_string(v)
	contains(v, "alias/aws/")
}
