# Every EBS volume of the launch template is encrypted with our customer managed key. No scanner checks the key:
# trivy and checkov accept encrypted = true with the AWS managed key alias/aws/ebs.
package ec2stack.rules.launch_template_ebs_cmk

import data.ec2stack.lib

metadata := {
	"id": "EC2S-303",
	"name": "launch-template-ebs-cmk",
	"severity": "HIGH",
	"summary": "Every block device of a launch template is encrypted with our customer managed KMS key (not alias/aws/ebs).",
	"resolution": "In every block_device_mappings ebs block set encrypted = true and kms_key_id = the ARN of the stack's EBS key.",
	"references": ["CKV_AWS_8", "AWS-0131", "FSBP EC2.3", "FSBP EC2.7"],
}

deny contains f if {
	some lt in lib.resources("aws_launch_template")
	not lib.is_unknown(lt, "block_device_mappings")
	count(object.get(lt.values, "block_device_mappings", [])) == 0
	f := lib.finding(lt, "no block_device_mappings", "launch template does not map the root volume, so it is not encrypted with our key")
}

# ebs(lt) is every EBS block of the template with its path.
ebs contains [lt, i, e] if {
	some lt in lib.resources("aws_launch_template")
	some i, m in object.get(lt.values, "block_device_mappings", [])
	some e in object.get(m, "ebs", [])
}

deny contains f if {
	some [lt, i, e] in ebs
	not lib.truthy(object.get(e, "encrypted", null))
	not lib.is_unknown(lt, ["block_device_mappings", i, "ebs", 0, "encrypted"])
	f := lib.finding(lt, sprintf("block_device_mappings[%d] encrypted = %v", [i, object.get(e, "encrypted", null)]), "EBS volume is not encrypted")
}

# kms_key_id unknown at plan means the key is created by this plan: ours. A known value must not be empty or
# the AWS managed key.
deny contains f if {
	some [lt, i, e] in ebs
	not lib.is_unknown(lt, ["block_device_mappings", i, "ebs", 0, "kms_key_id"])
	key := object.get(e, "kms_key_id", null)
	not our_key(key)
	f := lib.finding(lt, sprintf("block_device_mappings[%d] kms_key_id = %v", [i, key]), "EBS volume is not encrypted with our customer managed key")
}

our_key(key) if {
	is_string(key)
	key != ""
	not contains(key, "alias/aws/")
}
