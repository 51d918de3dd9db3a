package ec2stack.rules.kms_key_lifecycle

import data.ec2stack.lib

metadata := {
	"id": "EC2S-512",
	"name": "kms-key-lifecycle",
	"severity": "MEDIUM",
	"summary": "KMS keys are enabled, and a scheduled deletion waits at least the environment contract's keys.min_deletion_window_days.",
	"resolution": "Keep is_enabled = true; set kms_deletion_window_days in the environment root to at least the contract's minimum.",
	"references": ["CKV_AWS_227", "FSBP KMS.3"],
}

deny contains lib.finding(r, false, "KMS key is disabled: everything encrypted with it becomes unreadable") if {
	some r in lib.resources("aws_kms_key")
	object.get(r.values, "is_enabled", null) == false
}

deny contains lib.finding(r, v, sprintf("KMS key deletion window is %v days; %s needs at least %d", [v, lib.environment, min])) if {
	some r in lib.resources("aws_kms_key")
	not lib.is_unknown(r, "deletion_window_in_days")
	v := object.get(r.values, "deletion_window_in_days", 30)
	is_number(v)
	min := lib.contract.keys.min_deletion_window_days
	v < min
}
