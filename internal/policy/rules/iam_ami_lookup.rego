# The AMI lookup names its owners and filters on the image name, so nobody else's image can be picked.
package ec2stack.rules.ami_lookup_pinned

import data.ec2stack.lib

metadata := {
	"id": "EC2S-404",
	"name": "ami-lookup-pinned",
	"severity": "HIGH",
	"summary": "Every data \"aws_ami\" lookup sets owners and filters on the image name.",
	"resolution": "Set owners = [\"amazon\"] (or the publishing account id) and a filter { name = \"name\", values = [\"al2023-ami-2023.*-x86_64\"] }.",
	"references": ["AWS-0344"],
}

# amis is every aws_ami data source in the configuration, as [module address, config].
amis contains [module, c] if {
	some [names, c] in lib.config_blocks
	c.mode == "data"
	c.type == "aws_ami"
	module := concat(".", [sprintf("module.%s", [n]) | some n in names])
}

address(module, c) := c.address if module == ""

address(module, c) := sprintf("%s.%s", [module, c.address]) if module != ""

has_owners(c) if count(object.get(c, ["expressions", "owners", "constant_value"], [])) > 0

has_owners(c) if count(object.get(c, ["expressions", "owners", "references"], [])) > 0

name_filter(c) if {
	some flt in object.get(c, ["expressions", "filter"], [])
	object.get(flt, ["name", "constant_value"], "") == "name"
}

deny contains f if {
	some [module, c] in amis
	not has_owners(c)
	f := {"address": address(module, c), "value": "no owners", "message": "AMI lookup does not restrict owners: anyone's public image could match"}
}

deny contains f if {
	some [module, c] in amis
	not name_filter(c)
	f := {"address": address(module, c), "value": "no name filter", "message": "AMI lookup has no filter on the image name"}
}
