# The network is the one the environment contract describes: its VPC CIDR and its number of availability zones.
# (NAT gateways: EC2S-106.)
package ec2stack.rules.contract_network

import data.ec2stack.lib

metadata := {
	"id": "EC2S-801",
	"name": "contract-network",
	"severity": "MEDIUM",
	"summary": "VPCs have the environment contract's network.vpc_cidr, and the subnets span exactly its network.availability_zones zones.",
	"resolution": "Set vpc_cidr and availability_zone_count in the environment root to the contract's values (or change the contract, in review).",
	"references": ["environment contract"],
}

want := lib.contract.network

deny contains lib.finding(vpc, v, sprintf("%s VPC must be %s (network.vpc_cidr)", [lib.environment, want.vpc_cidr])) if {
	some vpc in lib.resources("aws_vpc")
	not lib.is_unknown(vpc, "cidr_block")
	v := object.get(vpc.values, "cidr_block", null)
	v != want.vpc_cidr
}

zones := {z |
	some s in lib.resources("aws_subnet")
	z := s.values.availability_zone
	is_string(z)
}

deny contains lib.finding(vpc, sprintf("%d zones %v", [count(zones), sort(zones)]), msg) if {
	count(zones) > 0
	count(zones) != want.availability_zones
	some vpc in lib.resources("aws_vpc")
	msg := sprintf("%s subnets must span %d availability zones (network.availability_zones)", [lib.environment, want.availability_zones])
}
