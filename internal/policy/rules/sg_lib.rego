# Security group rules, whatever resource declares them, in one shape (used by the sg_* and net_* rules).
package ec2stack.lib.sg

import data.ec2stack.lib

# rules is every security group rule in the plan as
#   {address, path, direction ("ingress"|"egress"), group, protocol ("all"|"tcp"|"udp"|...), from, to,
#    cidrs, description}
# where path is the attribute path of an inline rule ([] for a rule resource), group the local name of the
# aws_security_group it belongs to ("" when the configuration does not say), and cidrs the known CIDRs.
rules contains x if {
	some t in ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]
	some r in lib.resources(t)
	x := {
		"address": r.address,
		"path": [],
		"direction": trim_suffix(trim_prefix(t, "aws_vpc_security_group_"), "_rule"),
		"group": group_of(r),
		"protocol": protocol(object.get(r.values, "ip_protocol", null)),
		"from": object.get(r.values, "from_port", null),
		"to": object.get(r.values, "to_port", null),
		"cidrs": [c | some k in ["cidr_ipv4", "cidr_ipv6"]; c := object.get(r.values, k, null); c != null],
		"description": object.get(r.values, "description", null),
		"description_unknown": unknown(r, "description"),
	}
}

rules contains x if {
	some r in lib.resources("aws_security_group_rule")
	x := {
		"address": r.address,
		"path": [],
		"direction": r.values.type,
		"group": group_of(r),
		"protocol": protocol(object.get(r.values, "protocol", null)),
		"from": object.get(r.values, "from_port", null),
		"to": object.get(r.values, "to_port", null),
		"cidrs": cidrs(r.values),
		"description": object.get(r.values, "description", null),
		"description_unknown": unknown(r, "description"),
	}
}

rules contains x if {
	some r in lib.resources("aws_security_group")
	some direction in ["ingress", "egress"]
	some i, block in object.get(r.values, direction, [])
	x := {
		"address": r.address,
		"path": [direction, i],
		"direction": direction,
		"group": r.name,
		"protocol": protocol(object.get(block, "protocol", null)),
		"from": object.get(block, "from_port", null),
		"to": object.get(block, "to_port", null),
		"cidrs": cidrs(block),
		"description": object.get(block, "description", null),
		"description_unknown": unknown(r, [direction, i, "description"]),
	}
}

cidrs(v) := [c |
	some k in ["cidr_blocks", "ipv6_cidr_blocks"]
	l := object.get(v, k, [])
	l != null
	some c in l
	c != null
]

# group_of(r) is the local name of the security group a rule resource attaches to (same module).
group_of(r) := name if {
	some ref in lib.references(r, "security_group_id")
	startswith(ref, "aws_security_group.")
	name := split(ref, ".")[1]
} else := ""

protocol(p) := "all" if p in {"-1", "all", -1}

protocol(p) := "tcp" if p in {"tcp", "6", 6}

protocol(p) := "udp" if p in {"udp", "17", 17}

protocol(p) := lower(sprintf("%v", [p])) if not p in {"-1", "all", -1, "tcp", "6", 6, "udp", "17", 17}

# covers(x, port): the rule lets traffic to port through (all protocols, or a tcp/udp range that includes it).
covers(x, _) if x.protocol == "all"

covers(x, port) if {
	x.protocol in {"tcp", "udp"}
	lib.covers_port(x.from, x.to, port)
}

# where(x) names an inline rule's position, for messages.
where(x) := "" if x.path == []

where(x) := sprintf(" (%s[%d])", x.path) if x.path != []

# unknown(r, path) is lib.is_unknown as a boolean (true or false, never undefined).
unknown(r, path) := true if lib.is_unknown(r, path)

else := false
