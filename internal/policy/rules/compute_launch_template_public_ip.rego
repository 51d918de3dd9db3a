# Instances get no public IP: they live in private subnets behind the ALB and reach out through NAT.
package ec2stack.rules.launch_template_no_public_ip

import data.ec2stack.lib

metadata := {
	"id": "EC2S-302",
	"name": "launch-template-no-public-ip",
	"severity": "HIGH",
	"summary": "Launch templates do not associate a public IP address with the instances' network interfaces.",
	"resolution": "Set associate_public_ip_address = false (or leave it unset) in every network_interfaces block.",
	"references": ["CKV_AWS_88", "FSBP EC2.25", "FSBP EC2.9"],
}

deny contains f if {
	some lt in lib.resources("aws_launch_template")
	some i, ni in object.get(lt.values, "network_interfaces", [])
	lib.truthy(object.get(ni, "associate_public_ip_address", null))
	f := lib.finding(lt, sprintf("network_interfaces[%d].associate_public_ip_address = true", [i]), "launch template gives instances a public IP")
}
