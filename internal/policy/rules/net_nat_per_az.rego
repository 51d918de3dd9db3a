# prod: one NAT gateway per availability zone, so losing a zone does not cut the others off.
package ec2stack.rules.nat_gateway_per_az

import data.ec2stack.lib

metadata := {
	"id": "EC2S-106",
	"name": "nat-gateway-per-az",
	"severity": "MEDIUM",
	"summary": "In prod there is one NAT gateway per public subnet (one per AZ).",
	"resolution": "Create the NAT gateways per AZ (for_each over the public subnets) in prod and route each private subnet to the NAT gateway of its AZ.",
	"references": ["AWS Well-Architected REL10-BP01"],
}

# public_subnets: subnets tagged or keyed as public (the network module keys subnets "<tier>-<az>").
public_subnets := {s |
	some s in lib.resources("aws_subnet")
	public(s)
}

public(s) if startswith(sprintf("%v", [s.index]), "public")

public(s) if lower(object.get(lib.tags(s), "Tier", "")) == "public"

deny contains f if {
	lib.environment == "prod"
	nats := lib.resources("aws_nat_gateway")
	count(nats) != count(public_subnets)
	some vpc in lib.resources("aws_vpc")
	f := lib.finding(vpc, sprintf("%d NAT gateways, %d public subnets", [count(nats), count(public_subnets)]), "prod needs one NAT gateway per AZ (one per public subnet)")
}
