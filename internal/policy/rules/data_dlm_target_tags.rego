package ec2stack.rules.dlm_target_tags

import data.ec2stack.lib

metadata := {
	"id": "EC2S-532",
	"name": "dlm-target-tags",
	"severity": "MEDIUM",
	"summary": "A DLM policy for volumes targets a tag that the launch templates put on their volumes (tag_specifications resource_type volume); otherwise it snapshots nothing, silently.",
	"resolution": "Set the DLM policy's target_tags to a tag of the launch template's volume tag_specifications (e.g. its Name), or add that tag to the volumes.",
	"references": ["security baseline: DLM target tags match the volume tags"],
}

volume_tag_sets contains tags if {
	some lt in lib.resources("aws_launch_template")
	some ts in object.get(lt.values, "tag_specifications", [])
	object.get(ts, "resource_type", null) == "volume"
	tags := object.get(ts, "tags", null)
	is_object(tags)
}

# Launch templates whose volume tags are not known until apply: no finding.
unknown_volume_tags if {
	some lt in lib.resources("aws_launch_template")
	lib.is_unknown(lt, "tag_specifications")
}

unknown_volume_tags if {
	some lt in lib.resources("aws_launch_template")
	some i, ts in object.get(lt.values, "tag_specifications", [])
	object.get(ts, "resource_type", null) == "volume"
	lib.is_unknown(lt, ["tag_specifications", i, "tags"])
}

deny contains lib.finding(d, targets, msg) if {
	some d in lib.resources("aws_dlm_lifecycle_policy")
	count(lib.resources("aws_launch_template")) > 0
	not unknown_volume_tags
	some i, pd in object.get(d.values, "policy_details", [])
	"VOLUME" in object.get(pd, "resource_types", [])
	not lib.is_unknown(d, ["policy_details", i, "target_tags"])
	targets := object.get(pd, "target_tags", null)
	is_object(targets)
	count(targets) > 0
	not _matches(targets)
	msg := sprintf("DLM policy targets volumes tagged %v, but no launch template tags its volumes so (volume tags: %v): no snapshots would be taken", [targets, volume_tag_sets])
}

# DLM selects a resource carrying any one of the target tags.
_matches(targets) if {
	some tags in volume_tag_sets
	some k, v in targets
	tags[k] == v
}
