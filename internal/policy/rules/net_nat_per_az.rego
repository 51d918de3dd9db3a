# NAT gateways as the environment contract says: one shared, or one per availability zone (so that losing a zone
# does not cut the others off).
package ec2stack.rules.nat_gateway_mode

import data.ec2stack.lib

metadata := {
	"id": "EC2S-106",
	"name": "nat-gateway-mode",
	"severity": "MEDIUM",
	"summary": "There is one NAT gateway per public subnet (per AZ) where the environment contract says per_az, and exactly one where it says single.",
	"resolution": "Set nat_gateway_mode in the environment root to the contract's network.nat_gateways; per AZ, route each private subnet to the NAT gateway of its AZ.",
	"references": ["AWS Well-Architected REL10-BP01"],
}

# public_subnets: subnets tagged or keyed as public (the network module keys subnets "<tier>-<az>").
public_subnets := {s |
	some s in lib.resources("aws_subnet")
	public(s)
}

public(s) if startswith(sprintf("%v", [s.index]), "public")

public(s) if lower(object.get(lib.tags(s), "Tier", "")) == "public"

wanted := count(public_subnets) if lib.contract.network.nat_gateways == "per_az"

wanted := 1 if lib.contract.network.nat_gateways == "single"

deny contains f if {
	nats := lib.resources("aws_nat_gateway")
	count(nats) != wanted
	some vpc in lib.resources("aws_vpc")
	f := lib.finding(vpc, sprintf("%d NAT gateways, %d public subnets", [count(nats), count(public_subnets)]), sprintf("%s needs %s (network.nat_gateways = %s)", [lib.environment, _wanted_text, lib.contract.network.nat_gateways]))
}

_wanted_text := "one NAT gateway per AZ (one per public subnet)" if lib.contract.network.nat_gateways == "per_az"

_wanted_text := "exactly one shared NAT gateway" if lib.contract.network.nat_gateways == "single"
