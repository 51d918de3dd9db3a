# AWS limits: no network ACL gets more than 20 inbound or 20 outbound rules (the default VPC quota).
package ec2stack.rules.nacl_rule_quota

import data.ec2stack.lib
import data.ec2stack.lib.limits

metadata := {
	"id": "EC2S-911",
	"name": "nacl-rule-quota",
	"severity": "HIGH",
	"summary": "No network ACL gets more than 20 inbound or 20 outbound rules (the default VPC quota per direction, not counting the default deny rule), counting aws_network_acl_rule resources and inline ingress/egress blocks of aws_network_acl and aws_default_network_acl. AWS refuses the entry that goes over, in the middle of the apply.",
	"resolution": "Merge entries into wider port or CIDR ranges, move filtering to security groups, or split the subnets over several network ACLs (or ask AWS for a higher quota, at most 40, and raise the limit in this rule).",
	"references": ["AWS VPC quotas: rules per network ACL"],
}

quota := 20

acl_types := ["aws_network_acl", "aws_default_network_acl"]

# entries is every NACL entry as {owner, egress, address}.
entries contains e if {
	some r in lib.resources("aws_network_acl_rule")
	o := limits.owner(r, "network_acl_id", acl_types)
	e := {"owner": o, "egress": object.get(r.values, "egress", false) in {true, "true"}, "address": r.address}
}

entries contains e if {
	some t in acl_types
	some r in lib.resources(t)
	some direction in ["ingress", "egress"]
	blocks := object.get(r.values, direction, [])
	is_array(blocks)
	some i, _ in blocks
	e := {
		"owner": {"key": r.address, "name": r.address, "n": 1},
		"egress": direction == "egress",
		"address": sprintf("%s (%s[%d])", [r.address, direction, i]),
	}
}

totals[[key, egress]] := {"owner": o, "count": count({e.address | some e in entries; e.owner.key == key; e.egress == egress})} if {
	some [o, egress] in {[e.owner, e.egress] | some e in entries}
	key := o.key
}

way(true) := "outbound"

way(false) := "inbound"

deny contains f if {
	some [_, egress], t in totals
	t.owner.n == 1
	t.count > quota
	f := {
		"address": t.owner.name,
		"value": sprintf("%s: %d rules > %d", [way(egress), t.count, quota]),
		"message": sprintf("network ACL %s would get %d %s rules: AWS allows %d %s rules per network ACL by default and refuses the entry that goes over", [t.owner.name, t.count, way(egress), quota, way(egress)]),
	}
}

# Entries of several ACLs that the plan cannot tell apart (a for_each ACL chosen by each.value, with keys that do
# not name it): one ACL gets more than the quota when their sum is above the quota times the number of ACLs.
deny contains f if {
	some [_, egress], t in totals
	t.owner.n > 1
	t.count > quota * t.owner.n
	f := {
		"address": t.owner.name,
		"value": sprintf("%s: %d rules > %d x %d", [way(egress), t.count, t.owner.n, quota]),
		"message": sprintf("the %d network ACLs of %s would get %d %s rules together, so one of them gets more than the %d %s rules per network ACL that AWS allows by default", [t.owner.n, t.owner.name, t.count, way(egress), quota, way(egress)]),
	}
}
