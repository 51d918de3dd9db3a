package ec2stack.rules.kms_key_rotation

import data.ec2stack.lib

metadata := {
	"id": "EC2S-510",
	"name": "kms-key-rotation",
	"severity": "MEDIUM",
	"summary": "Customer-managed symmetric KMS keys rotate their key material automatically.",
	"resolution": "Set enable_key_rotation = true on the aws_kms_key.",
	"references": ["AWS-0065", "CKV_AWS_7", "CIS AWS 3.6", "FSBP KMS.4"],
}

deny contains lib.finding(r, v, "KMS key does not rotate: enable_key_rotation must be true") if {
	some r in lib.resources("aws_kms_key")

	# Only symmetric encryption keys can rotate automatically.
	object.get(r.values, "customer_master_key_spec", "SYMMETRIC_DEFAULT") in {"SYMMETRIC_DEFAULT", null}
	not lib.is_unknown(r, "enable_key_rotation")
	v := object.get(r.values, "enable_key_rotation", null)
	v != true
}
