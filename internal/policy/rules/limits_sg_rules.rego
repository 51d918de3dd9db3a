# AWS limits: no security group gets more inbound or outbound rules than the default VPC quota (60 each way).
package ec2stack.rules.sg_rule_quota

import data.ec2stack.lib
import data.ec2stack.lib.limits

metadata := {
	"id": "EC2S-910",
	"name": "sg-rule-quota",
	"severity": "HIGH",
	"summary": "No security group gets more than 60 inbound or 60 outbound rules (the default VPC quota, counted separately for IPv4 and IPv6), counting aws_vpc_security_group_ingress_rule/egress_rule and aws_security_group_rule resources and inline ingress/egress blocks; a rule that references a managed prefix list counts as the list's max_entries (CloudFront's origin-facing list: 55). AWS refuses the rule that goes over, in the middle of the apply.",
	"resolution": "Reference a large prefix list (such as com.amazonaws.global.cloudfront.origin-facing) in as few rules as possible, e.g. only on 443; merge rules into port ranges; or split the rules over several security groups (or ask AWS for a higher quota and raise the limit in this rule).",
	"references": ["AWS VPC quotas: inbound or outbound rules per security group", "AWS VPC quotas: prefix list references count as their maximum entries", "Amazon CloudFront: managed prefix list weight (55)"],
}

quota := 60

cloudfront_prefix_list := "com.amazonaws.global.cloudfront.origin-facing"

cloudfront_weight := 55

group_types := ["aws_security_group", "aws_default_security_group"]

rule_types := {
	"aws_vpc_security_group_ingress_rule": "ingress",
	"aws_vpc_security_group_egress_rule": "egress",
}

# Every prefix list the plan knows: data sources (AWS-managed lists) and lists it creates.
prefix_lists := limits.data_sources("aws_ec2_managed_prefix_list") | lib.resources("aws_ec2_managed_prefix_list")

# weight(pl) is how many rules one reference to the prefix list pl counts as.
weight(pl) := n if {
	n := object.get(pl.values, "max_entries", null)
	is_number(n)
	n > 0
} else := cloudfront_weight if {
	pl_name(pl) == cloudfront_prefix_list
} else := 1

pl_name(pl) := n if {
	n := object.get(pl.values, "name", null)
	is_string(n)
} else := n if {
	n := limits.data_config(pl).expressions.name.constant_value
}

# families(pl) are the quotas a prefix list counts against: its address family when known (CloudFront's
# origin-facing list is IPv4), else both.
families(pl) := {"ipv4"} if object.get(pl.values, "address_family", null) == "IPv4"

else := {"ipv6"} if object.get(pl.values, "address_family", null) == "IPv6"

else := {"ipv4"} if pl_name(pl) == cloudfront_prefix_list

else := {"ipv4", "ipv6"}

# referenced_lists(r, attr, id) is the prefix lists that a rule's argument names: by the known id, else through the
# configuration's references.
referenced_lists(_, _, id) := {pl | some pl in prefix_lists; object.get(pl.values, "id", null) == id} if is_string(id)

referenced_lists(r, attr, id) := {pl | some pl in prefix_lists; limits.points_at(r, [attr], pl)} if not is_string(id)

# Every rule AWS counts is {family ("ipv4"|"ipv6"), weight, prefix_list (its name, or "")}. A reference to a prefix
# list the plan does not know counts as 1, against both quotas.
pl_entries(lists) := [e |
	some pl in lists
	some f in families(pl)
	e := {"family": f, "weight": weight(pl), "prefix_list": pl_name_or_id(pl)}
] if count(lists) > 0

else := [{"family": f, "weight": 1, "prefix_list": "an unknown prefix list"} | some f in ["ipv4", "ipv6"]]

pl_name_or_id(pl) := n if {
	n := pl_name(pl)
}

else := object.get(pl.values, "id", pl.address)

one(family) := {"family": family, "weight": 1, "prefix_list": ""}

both := [one("ipv4"), one("ipv6")]

# entries is every rule AWS will count, as {owner, direction, address, j, family, weight, prefix_list} (j tells
# apart the rules of one resource or block).
entries contains e if {
	some t, direction in rule_types
	some r in lib.resources(t)
	o := limits.owner(r, "security_group_id", group_types)
	some j, x in vpc_rule_entries(r)
	e := object.union(x, {"owner": o, "direction": direction, "address": r.address, "j": j})
}

entries contains e if {
	some r in lib.resources("aws_security_group_rule")
	direction := object.get(r.values, "type", null)
	direction in {"ingress", "egress"}
	o := limits.owner(r, "security_group_id", group_types)
	some j, x in block_entries(r, [])
	e := object.union(x, {"owner": o, "direction": direction, "address": r.address, "j": j})
}

entries contains e if {
	some r in lib.resources("aws_security_group")
	some direction in ["ingress", "egress"]
	blocks := object.get(r.values, direction, [])
	is_array(blocks)
	some i, _ in blocks
	o := {"key": r.address, "name": r.address, "n": 1}
	some j, x in block_entries(r, [direction, i])
	e := object.union(x, {"owner": o, "direction": direction, "address": sprintf("%s (%s[%d])", [r.address, direction, i]), "j": j})
}

# vpc_rule_entries(r): one aws_vpc_security_group_*_rule is one rule: an IPv4 or IPv6 CIDR, a prefix list, or a
# security group (which counts against both quotas).
vpc_rule_entries(r) := [one("ipv4")] if is_string(object.get(r.values, "cidr_ipv4", null))

else := [one("ipv6")] if is_string(object.get(r.values, "cidr_ipv6", null))

else := pl_entries(referenced_lists(r, "prefix_list_id", object.get(r.values, "prefix_list_id", null))) if {
	prefix_list_rule(r)
} else := both

prefix_list_rule(r) if is_string(object.get(r.values, "prefix_list_id", null))

prefix_list_rule(r) if {
	lib.is_unknown(r, "prefix_list_id")
	count(referenced_lists(r, "prefix_list_id", null)) > 0
}

# block_entries(r, path): an aws_security_group_rule (path []) or an inline ingress/egress block at path is one
# rule per CIDR, security group (or self) and prefix list it names; elements unknown until apply count too.
block_entries(r, path) := array.concat(array.concat(cidr_entries(r, path), sg_entries(r, path)), list_entries(r, path))

block(r, path) := object.get(r.values, path, {})

cidr_entries(r, path) := [one(f) |
	some k, f in {"cidr_blocks": "ipv4", "ipv6_cidr_blocks": "ipv6"}
	l := object.get(block(r, path), k, [])
	is_array(l)
	some _ in l
]

sg_entries(r, path) := [e |
	some _ in groups(r, path)
	some e in both
]

groups(r, path) := array.concat(as_list(object.get(block(r, path), "security_groups", [])), self_or_source(r, path))

self_or_source(r, path) := ["self"] if object.get(block(r, path), "self", false) == true

else := [v] if {
	v := object.get(block(r, path), "source_security_group_id", null)
	is_string(v)
} else := ["unknown"] if lib.is_unknown(r, array.concat(path, ["source_security_group_id"]))

else := []

list_entries(r, path) := [e |
	some id in as_list(object.get(block(r, path), "prefix_list_ids", []))
	some e in pl_entries(referenced_lists(r, array.concat(path, ["prefix_list_ids"]), id))
]

as_list(x) := x if is_array(x)

else := [x] if x != null

else := []

# Rules per owner, direction and quota (IPv4/IPv6): their weight, how many rules, and the prefix lists among them.
totals[[key, direction, family]] := {
	"owner": o,
	"weight": sum([e.weight | some e in mine]),
	"rules": count({e.address | some e in mine}),
	"lists": {e.prefix_list: e.weight | some e in mine; e.prefix_list != ""},
	"listed": count({e.address | some e in mine; e.prefix_list != ""}),
} if {
	some [o, direction, family] in {[e.owner, e.direction, e.family] | some e in entries}
	key := o.key
	mine := [e | some e in entries; e.owner.key == key; e.direction == direction; e.family == family]
}

way := {"ingress": "inbound", "egress": "outbound"}

family_label := {"ipv4": "IPv4", "ipv6": "IPv6"}

deny contains f if {
	some [_, direction, family], t in totals
	t.owner.n == 1
	t.weight > quota
	f := {
		"address": t.owner.name,
		"value": sprintf("%s %s: %d rules > %d", [direction, family_label[family], t.weight, quota]),
		"message": sprintf("security group %s would get %d %s %s rules from %d rule(s)%s: AWS allows %d %s rules per security group by default and refuses the rule that goes over", [t.owner.name, t.weight, way[direction], family_label[family], t.rules, list_note(t), quota, way[direction]]),
	}
}

# Rules of several security groups that the plan cannot tell apart (a for_each group chosen by each.value): one of
# the groups gets more than the quota when their sum is above the quota times the number of groups.
deny contains f if {
	some [_, direction, family], t in totals
	t.owner.n > 1
	t.weight > quota * t.owner.n
	f := {
		"address": t.owner.name,
		"value": sprintf("%s %s: %d rules > %d x %d", [direction, family_label[family], t.weight, t.owner.n, quota]),
		"message": sprintf("the %d security groups of %s would get %d %s %s rules together from %d rule(s)%s, so one of them gets more than the %d %s rules per security group that AWS allows by default", [t.owner.n, t.owner.name, t.weight, way[direction], family_label[family], t.rules, list_note(t), quota, way[direction]]),
	}
}

list_note(t) := "" if t.listed == 0

else := sprintf(" (%d of them reference a prefix list, which counts as its max_entries: %s)", [t.listed, concat(", ", [sprintf("%s = %d", [n, w]) | some n, w in t.lists])])
