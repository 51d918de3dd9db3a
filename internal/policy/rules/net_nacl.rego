# Network ACL entries are explicit tcp/udp rules, never open admin ports to the internet, and every NACL is used.
package ec2stack.rules.nacl_rules

import data.ec2stack.lib
import data.ec2stack.lib.net

metadata := {
	"id": "EC2S-104",
	"name": "nacl-rules",
	"severity": "CRITICAL",
	"summary": "NACL rules use tcp/udp with explicit ports (never protocol -1/all), do not allow 22/3389 from the internet, and every NACL is associated with subnets.",
	"resolution": "Write one aws_network_acl_rule per tcp/udp port range; never allow admin ports from 0.0.0.0/0 or ::/0; associate every aws_network_acl (subnet_ids or aws_network_acl_association) or remove it.",
	"references": ["AWS-0102", "AWS-0105", "CKV_AWS_352", "CKV_AWS_229", "CKV_AWS_230", "CKV_AWS_231", "CKV_AWS_232", "CKV2_AWS_1", "CIS AWS 5.1", "FSBP EC2.21", "FSBP EC2.16"],
}

allowed_protocols := {"6", "17", "tcp", "udp"}

admin_ports := [22, 3389]

deny contains f if {
	some x in net.nacl_entries
	not x.protocol_unknown
	not x.protocol in allowed_protocols
	f := {
		"address": x.address,
		"value": sprintf("protocol %s%s", [x.protocol, net.where(x)]),
		"message": sprintf("NACL %s entry uses protocol %s: only tcp/udp (6/17) with explicit ports is allowed", [direction(x), x.protocol]),
	}
}

deny contains f if {
	some x in net.nacl_entries
	x.protocol in allowed_protocols
	some k in ["from", "to"]
	x[k] == null
	f := {
		"address": x.address,
		"value": sprintf("%s_port%s", [k, net.where(x)]),
		"message": sprintf("NACL %s entry has no %s_port: tcp/udp entries need explicit ports", [direction(x), k]),
	}
}

deny contains f if {
	some x in net.nacl_entries
	x.action == "allow"
	not x.egress
	lib.open_cidr(x.cidr)
	some port in admin_ports
	all_ports_or_covers(x, port)
	f := {
		"address": x.address,
		"value": sprintf("%s port %d%s", [x.cidr, port, net.where(x)]),
		"message": sprintf("NACL allows port %d from the internet", [port]),
	}
}

all_ports_or_covers(x, _) if not x.protocol in allowed_protocols

all_ports_or_covers(x, port) if {
	x.protocol in allowed_protocols
	lib.covers_port(object.get(x, "from", 0), object.get(x, "to", 65535), port)
}

direction(x) := "egress" if x.egress

direction(x) := "ingress" if not x.egress

associated(acl) if {
	ids := object.get(acl.values, "subnet_ids", [])
	ids != null
	count(ids) > 0
}

associated(acl) if lib.is_unknown(acl, "subnet_ids")

associated(acl) if {
	some a in lib.resources("aws_network_acl_association")
	lib.refers_to(a, "network_acl_id", acl)
}

deny contains f if {
	some acl in lib.resources("aws_network_acl")
	not associated(acl)
	f := lib.finding(acl, "no subnet", "the network ACL is not associated with any subnet")
}
