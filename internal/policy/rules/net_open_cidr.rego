# No 0.0.0.0/0 or ::/0 in security group rules, NACL entries or routes, except the allow-list below.
package ec2stack.rules.open_cidr_allow_list

import data.ec2stack.lib
import data.ec2stack.lib.net
import data.ec2stack.lib.sg

metadata := {
	"id": "EC2S-105",
	"name": "open-cidr-allow-list",
	"severity": "HIGH",
	"summary": "0.0.0.0/0 and ::/0 appear in security group rules, NACL entries and routes only where the allow-list in this rule says so.",
	"resolution": "Use security group ids, prefix lists or the VPC CIDR instead of the internet; or, if the traffic really must reach the internet, extend the allow-list in net_open_cidr.rego with a reason.",
	"references": ["AWS-0107", "AWS-0104", "AWS-0105", "CKV_AWS_260", "CKV_AWS_277", "CKV_AWS_382", "CKV_AWS_352", "CIS AWS 5.2", "CIS AWS 5.3", "FSBP EC2.18"],
}

# The allow-list. Each entry is the narrowest rule the stack needs; anything else open to the internet is a finding.
#
# Security group rules, by group (the aws_security_group's local name in the security module), direction and port:
#   - alb ingress tcp 80 and 443: clients reach the load balancer directly, only in environments without
#     CloudFront (dev); with CloudFront the ALB takes only the CloudFront origin-facing prefix list.
#   - app egress tcp 443: package updates and AWS APIs without an endpoint, through the NAT gateway.
#     (The app SG has no egress 80: dnf uses HTTPS mirrors.)
sg_allowed := [
	{"group": "alb", "direction": "ingress", "protocol": "tcp", "port": 80, "without_cloudfront_only": true},
	{"group": "alb", "direction": "ingress", "protocol": "tcp", "port": 443, "without_cloudfront_only": true},
	{"group": "app", "direction": "egress", "protocol": "tcp", "port": 443, "without_cloudfront_only": false},
]

# NACL entries (allow), by direction and tcp port range; an entry passes when its range lies within one of these
# (so the ephemeral range may be split around 3389, which EC2S-104 asks for). NACLs are stateless, so return
# traffic needs rules:
#   - ingress 1024-65535: responses to outbound connections (updates via NAT, ALB health/forward replies).
#   - egress 1024-65535: responses to clients of the ALB and to the NAT gateway's inbound return path.
#   - ingress 80 and 443: public web traffic to the ALB (CloudFront origin traffic also arrives from public IPs).
#   - egress 443: HTTPS out from the instances through the NAT gateway (private NACL) and forwarded by the NAT
#     gateway (public NACL). Egress 80 is not needed: no security group lets port 80 out to the internet.
nacl_allowed := [
	{"egress": false, "from": 1024, "to": 65535},
	{"egress": true, "from": 1024, "to": 65535},
	{"egress": false, "from": 80, "to": 80},
	{"egress": false, "from": 443, "to": 443},
	{"egress": true, "from": 443, "to": 443},
]

# Routes: a default route (0.0.0.0/0 or ::/0) only to an internet gateway (public route table) or a NAT gateway
# (private route tables).
route_targets := {"gateway_id": {"type": "aws_internet_gateway", "prefix": "igw-"}, "nat_gateway_id": {"type": "aws_nat_gateway", "prefix": "nat-"}}

has_cloudfront if count(lib.resources("aws_cloudfront_distribution")) > 0

sg_ok(x) if {
	some a in sg_allowed
	x.group == a.group
	x.direction == a.direction
	x.protocol == a.protocol
	x.from == a.port
	x.to == a.port
	not cloudfront_forbids(a)
}

cloudfront_forbids(a) if {
	a.without_cloudfront_only
	has_cloudfront
}

deny contains f if {
	some x in sg.rules
	some c in x.cidrs
	lib.open_cidr(c)
	not sg_ok(x)
	f := {
		"address": x.address,
		"value": sprintf("%s %s %s %v-%v%s", [x.direction, c, x.protocol, x.from, x.to, sg.where(x)]),
		"message": sprintf("security group rule (%s group %q) is open to the internet and not on the allow-list", [x.direction, x.group]),
	}
}

nacl_ok(x) if {
	some a in nacl_allowed
	x.egress == a.egress
	x.protocol in {"6", "tcp"}
	a.from <= x.from
	x.to <= a.to
}

deny contains f if {
	some x in net.nacl_entries
	x.action == "allow"
	lib.open_cidr(x.cidr)
	not nacl_ok(x)
	f := {
		"address": x.address,
		"value": sprintf("%s %s %s %v-%v%s", [direction(x), x.cidr, x.protocol, x.from, x.to, net.where(x)]),
		"message": "NACL entry allows the internet and is not on the allow-list",
	}
}

direction(x) := "egress" if x.egress

direction(x) := "ingress" if not x.egress

# routes is every route, as {resource, path, cidr, targets: the route's attributes with a value or unknown}.
routes contains x if {
	some r in lib.resources("aws_route")
	some k in ["destination_cidr_block", "destination_ipv6_cidr_block"]
	c := object.get(r.values, k, null)
	c != null
	x := {"resource": r, "path": [], "cidr": c, "route": r.values}
}

routes contains x if {
	some r in lib.resources("aws_route_table")
	rs := object.get(r.values, "route", [])
	rs != null
	some i, route in rs
	some k in ["cidr_block", "ipv6_cidr_block"]
	c := object.get(route, k, null)
	c != null
	c != ""
	x := {"resource": r, "path": ["route", i], "cidr": c, "route": route}
}

# route_ok: the route goes to an internet or NAT gateway: by reference (unknown ids) or by a known id.
route_ok(x) if {
	x.path == []
	some attr, target in route_targets
	some gw in lib.resources(target.type)
	lib.refers_to(x.resource, attr, gw)
}

route_ok(x) if {
	some attr, target in route_targets
	startswith(object.get(x.route, attr, ""), target.prefix)
}

deny contains f if {
	some x in routes
	lib.open_cidr(x.cidr)
	not route_ok(x)
	f := lib.finding(x.resource, sprintf("%s%s", [x.cidr, where_route(x)]), "default route does not go to an internet or NAT gateway")
}

where_route(x) := "" if x.path == []

where_route(x) := sprintf(" (route[%d])", [x.path[1]]) if x.path != []
