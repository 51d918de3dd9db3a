# Network ACL entries, whatever resource declares them, in one shape (used by the net_* rules).
package ec2stack.lib.net

import data.ec2stack.lib

# nacl_entries is every NACL entry in the plan as
#   {address, path, egress, action, protocol, protocol_unknown, from, to, cidr}
# where path is the attribute path of an inline entry of an aws_network_acl ([] for an aws_network_acl_rule).
nacl_entries contains x if {
	some r in lib.resources("aws_network_acl_rule")
	x := {
		"address": r.address,
		"path": [],
		"egress": object.get(r.values, "egress", false) in {true, "true"},
		"action": object.get(r.values, "rule_action", null),
		"protocol": sprintf("%v", [object.get(r.values, "protocol", null)]),
		"protocol_unknown": unknown(r, "protocol"),
		"from": object.get(r.values, "from_port", null),
		"to": object.get(r.values, "to_port", null),
		"cidr": cidr(r.values),
	}
}

nacl_entries contains x if {
	some r in lib.resources("aws_network_acl")
	some direction in ["ingress", "egress"]
	entries := object.get(r.values, direction, [])
	entries != null
	some i, e in entries
	x := {
		"address": r.address,
		"path": [direction, i],
		"egress": direction == "egress",
		"action": object.get(e, "action", null),
		"protocol": sprintf("%v", [object.get(e, "protocol", null)]),
		"protocol_unknown": false,
		"from": object.get(e, "from_port", null),
		"to": object.get(e, "to_port", null),
		"cidr": cidr(e),
	}
}

cidr(v) := c if {
	c := object.get(v, "cidr_block", null)
	c != null
} else := c if {
	c := object.get(v, "ipv6_cidr_block", null)
	c != null
} else := ""

# where(x) names an inline entry's position, for messages and values.
where(x) := "" if x.path == []

where(x) := sprintf(" (%s[%d])", x.path) if x.path != []

# unknown(r, path) is lib.is_unknown as a boolean (true or false, never undefined).
unknown(r, path) := true if lib.is_unknown(r, path)

else := false
