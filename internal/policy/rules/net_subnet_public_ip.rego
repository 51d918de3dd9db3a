# No subnet gives instances a public IP on launch (the ALB, NAT gateways and endpoints do not need it).
package ec2stack.rules.subnet_no_public_ip

import data.ec2stack.lib

metadata := {
	"id": "EC2S-103",
	"name": "subnet-no-public-ip",
	"severity": "HIGH",
	"summary": "Subnets do not assign public IPs on launch (map_public_ip_on_launch = false).",
	"resolution": "Set map_public_ip_on_launch = false on every aws_subnet; public entry points are the ALB and NAT gateways.",
	"references": ["AWS-0164", "CKV_AWS_130", "FSBP EC2.15"],
}

deny contains f if {
	some s in lib.resources("aws_subnet")
	lib.truthy(object.get(s.values, "map_public_ip_on_launch", false))
	f := lib.finding(s, "map_public_ip_on_launch = true", "the subnet assigns public IPs to everything launched in it")
}
