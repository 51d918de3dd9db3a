package ec2stack.rules.backup_copy_encrypted

import data.ec2stack.lib

metadata := {
	"id": "EC2S-531",
	"name": "backup-copy-encrypted",
	"severity": "MEDIUM",
	"summary": "Cross-region copies are encrypted with our keys: AWS Backup copy actions go to a vault of this stack in another region with our CMK; DLM cross-region snapshot copies are encrypted with our CMK.",
	"resolution": "Point copy_action.destination_vault_arn at the DR-region aws_backup_vault (kms_key_arn = the DR key); in DLM cross_region_copy_rule (and cross_region_copy actions) set encrypted = true and cmk_arn = the DR key.",
	"references": ["CKV_AWS_253", "CKV_AWS_254", "CKV_AWS_255", "CKV_AWS_256", "CKV_AWS_166"],
}

vaults := lib.resources("aws_backup_vault")

copy_actions contains [p, rule, ca, i, j] if {
	some p in lib.resources("aws_backup_plan")
	some i, rule in object.get(p.values, "rule", [])
	some j, ca in object.get(rule, "copy_action", [])
}

# A known destination must be a vault of this plan (whose encryption the rule can see).
deny contains lib.finding(p, arn, sprintf("Backup rule %v copies to %s, a vault this stack does not manage: its encryption cannot be checked", [rule.rule_name, arn])) if {
	some [p, rule, ca, _, _] in copy_actions
	arn := object.get(ca, "destination_vault_arn", null)
	is_string(arn)
	not arn in {object.get(v.values, "arn", null) | some v in vaults}
}

deny contains lib.finding(p, v.address, sprintf("Backup rule %v copies to vault %s, which has no kms_key_arn", [rule.rule_name, v.address])) if {
	some [p, rule, ca, _, _] in copy_actions
	some v in vaults
	object.get(v.values, "arn", null) == object.get(ca, "destination_vault_arn", "")
	not lib.set(v, "kms_key_arn")
}

# Unknown destination (the usual case: the DR vault is created with the plan): the stack must have a vault in
# another region (another provider configuration) with our key.
deny contains lib.finding(p, null, sprintf("Backup rule %v copies recovery points, but this stack has no encrypted vault in another region (kms_key_arn set) to receive them", [rule.rule_name])) if {
	some [p, rule, _, i, j] in copy_actions
	lib.is_unknown(p, ["rule", i, "copy_action", j, "destination_vault_arn"])
	not _encrypted_remote_vault(p, rule)
}

_encrypted_remote_vault(p, rule) if {
	some v in vaults
	v.module == p.module
	object.get(v.values, "name", null) != object.get(rule, "target_vault_name", null)
	lib.set(v, "kms_key_arn")
	_other_region(p, v)
}

_other_region(p, v) if object.get(lib.config(p), "provider_config_key", "") != object.get(lib.config(v), "provider_config_key", "")

# Without configuration in the plan the providers cannot be compared.
_other_region(p, _) if not lib.config(p)

dlm_copies contains [d, path, c] if {
	some d in lib.resources("aws_dlm_lifecycle_policy")
	some i, pd in object.get(d.values, "policy_details", [])
	some j, s in object.get(pd, "schedule", [])
	some k, c in object.get(s, "cross_region_copy_rule", [])
	path := ["policy_details", i, "schedule", j, "cross_region_copy_rule", k]
}

dlm_copies contains [d, path, c] if {
	some d in lib.resources("aws_dlm_lifecycle_policy")
	some i, pd in object.get(d.values, "policy_details", [])
	some j, a in object.get(pd, "action", [])
	some k, crc in object.get(a, "cross_region_copy", [])
	some l, c in object.get(crc, "encryption_configuration", [])
	path := ["policy_details", i, "action", j, "cross_region_copy", k, "encryption_configuration", l]
}

deny contains lib.finding(d, object.get(c, "target", null), "DLM cross-region snapshot copy is not encrypted: encrypted must be true") if {
	some [d, path, c] in dlm_copies
	not lib.is_unknown(d, array.concat(path, ["encrypted"]))
	object.get(c, "encrypted", null) != true
}

deny contains lib.finding(d, object.get(c, "target", null), "DLM cross-region snapshot copy has no cmk_arn: the copy would use the AWS-managed EBS key of the target region") if {
	some [d, path, c] in dlm_copies
	object.get(c, "encrypted", null) == true
	not lib.set(d, array.concat(path, ["cmk_arn"]))
}
