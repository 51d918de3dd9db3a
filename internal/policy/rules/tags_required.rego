# Every taggable resource carries the project's required tags (provider default_tags count).
package ec2stack.rules.required_tags

import data.ec2stack.lib

metadata := {
	"id": "EC2S-901",
	"name": "required-tags",
	"severity": "LOW",
	"summary": "Every resource with tags carries Project, Environment (= the plan's environment) and ManagedBy.",
	"resolution": "Set the tags in the provider's default_tags of the environment root (ASGs propagate them through their tag blocks).",
	"references": ["AWS Tagging Best Practices"],
}

required := ["Project", "Environment", "ManagedBy"]

taggable contains r if {
	some rc in input.resource_changes
	rc.mode == "managed"
	rc.change.actions != ["delete"]
	after := rc.change.after
	is_object(after)
	some k in ["tags_all", "tags"]
	object.get(after, k, null) != null
	r := {
		"address": rc.address,
		"type": rc.type,
		"values": after,
		"unknown": object.get(rc.change, "after_unknown", {}),
	}
}

# known_tags: tags_all may be unknown at plan (tag values computed at apply): then there is nothing to check.
deny contains f if {
	some r in taggable
	not lib.is_unknown(r, "tags_all")
	tags := lib.tags(r)
	some key in required
	not unknown_tag(r, key)
	not tags[key]
	f := lib.finding(r, key, sprintf("resource lacks the required tag %s", [key]))
}

deny contains f if {
	some r in taggable
	not lib.is_unknown(r, "tags_all")
	v := lib.tags(r).Environment
	v != lib.environment
	f := lib.finding(r, sprintf("Environment = %v", [v]), sprintf("Environment tag does not match the plan's environment %s", [lib.environment]))
}

unknown_tag(r, key) if object.get(r.unknown, ["tags_all", key], false) == true

unknown_tag(r, key) if object.get(r.unknown, ["tags", key], false) == true
