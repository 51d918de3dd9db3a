package ec2stack.rules.kms_key_lifecycle

import data.ec2stack.lib

metadata := {
	"id": "EC2S-512",
	"name": "kms-key-lifecycle",
	"severity": "MEDIUM",
	"summary": "KMS keys are enabled, and in prod a scheduled deletion waits the full 30 days.",
	"resolution": "Keep is_enabled = true; in the prod root set kms_deletion_window_days = 30.",
	"references": ["CKV_AWS_227", "FSBP KMS.3"],
}

deny contains lib.finding(r, false, "KMS key is disabled: everything encrypted with it becomes unreadable") if {
	some r in lib.resources("aws_kms_key")
	object.get(r.values, "is_enabled", null) == false
}

deny contains lib.finding(r, v, sprintf("prod KMS key deletion window is %v days; it must be 30", [v])) if {
	lib.environment == "prod"
	some r in lib.resources("aws_kms_key")
	not lib.is_unknown(r, "deletion_window_in_days")
	v := object.get(r.values, "deletion_window_in_days", null)
	v != null
	v != 30
}
