package ec2stack.rules.backup_vault_cmk

import data.ec2stack.lib

metadata := {
	"id": "EC2S-530",
	"name": "backup-vault-cmk",
	"severity": "MEDIUM",
	"summary": "AWS Backup vaults encrypt recovery points with our customer-managed KMS key.",
	"resolution": "Set kms_key_arn on the aws_backup_vault to our data key (the DR key for the vault in the DR region).",
	"references": ["CKV_AWS_166"],
}

deny contains lib.finding(v, null, "Backup vault has no kms_key_arn: recovery points would use the AWS-managed aws/backup key") if {
	some v in lib.resources("aws_backup_vault")
	not lib.set(v, "kms_key_arn")
}

deny contains lib.finding(v, k, "Backup vault uses an AWS-managed key: kms_key_arn must be our CMK") if {
	some v in lib.resources("aws_backup_vault")
	k := object.get(v.values, "kms_key_arn", null)
	is_string(k)
	contains(k, "alias/aws/")
}
