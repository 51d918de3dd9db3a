# Auto Scaling groups roll out every template change, replace instances the ALB finds unhealthy, span AZs and
# tag what they launch.
package ec2stack.rules.autoscaling_group

import data.ec2stack.lib

metadata := {
	"id": "EC2S-310",
	"name": "autoscaling-group",
	"severity": "MEDIUM",
	"summary": "ASGs use ELB health checks, a launch template version that follows the template (latest_version or $Latest), subnets in at least 2 AZs, and tags propagated at launch.",
	"resolution": "Set health_check_type = \"ELB\", launch_template { version = aws_launch_template.x.latest_version }, vpc_zone_identifier = the private subnets of >= 2 AZs, and propagate_at_launch = true on every tag.",
	"references": ["CKV_AWS_315", "CKV_AWS_153", "CKV2_AWS_15", "FSBP AutoScaling.1", "FSBP AutoScaling.2", "FSBP AutoScaling.3"],
}

asgs := lib.resources("aws_autoscaling_group")

deny contains f if {
	some asg in asgs
	not lib.is_unknown(asg, "health_check_type")
	t := object.get(asg.values, "health_check_type", null)
	t != "ELB"
	f := lib.finding(asg, sprintf("health_check_type = %v", [t]), "ASG does not use the load balancer's health checks")
}

# Launch template version: the plain launch_template block, or the one inside mixed_instances_policy.
lt_paths := [
	["launch_template", 0],
	["mixed_instances_policy", 0, "launch_template", 0, "launch_template_specification", 0],
]

uses_template(asg) if {
	some p in lt_paths
	object.get(asg.values, p, null) != null
}

uses_template(asg) if {
	some p in lt_paths
	object.get(asg.unknown, p, false) != false
}

uses_template(asg) if lib.is_unknown(asg, "launch_template")

uses_template(asg) if lib.is_unknown(asg, "mixed_instances_policy")

deny contains f if {
	some asg in asgs
	not uses_template(asg)
	f := lib.finding(asg, "no launch_template", "ASG does not use a launch template")
}

deny contains f if {
	some asg in asgs
	some p in lt_paths
	v := object.get(asg.values, array.concat(p, ["version"]), null)
	v != null
	v != "$Latest"
	not lib.is_unknown(asg, array.concat(p, ["version"]))
	f := lib.finding(asg, sprintf("version = %v", [v]), "launch template version is pinned: use the template's latest_version (or $Latest) so changes roll out")
}

# An unknown version is fine when the configuration references a latest_version (or when the block is dynamic and
# the configuration does not show it).
deny contains f if {
	some asg in asgs
	some p in lt_paths
	refs := version_references(asg, p)
	count(refs) > 0
	not any_latest(refs)
	f := lib.finding(asg, sprintf("version references %s", [concat(", ", refs)]), "launch template version does not follow the template's latest_version")
}

version_references(asg, p) := refs if {
	p[0] == "launch_template"
	refs := object.get(lib.config(asg), ["expressions", "launch_template", 0, "version", "references"], [])
}

version_references(asg, p) := refs if {
	p[0] == "mixed_instances_policy"
	refs := object.get(lib.config(asg), ["expressions", "mixed_instances_policy", 0, "launch_template", 0, "launch_template_specification", 0, "version", "references"], [])
}

any_latest(refs) if {
	some ref in refs
	endswith(ref, ".latest_version")
}

# Subnets: the known list, or the length of the unknown list; fully unknown is accepted.
subnet_count(asg) := count(asg.values.vpc_zone_identifier) if is_array(asg.values.vpc_zone_identifier)

subnet_count(asg) := count(asg.unknown.vpc_zone_identifier) if {
	not is_array(asg.values.vpc_zone_identifier)
	is_array(asg.unknown.vpc_zone_identifier)
}

deny contains f if {
	some asg in asgs
	n := subnet_count(asg)
	n < 2
	f := lib.finding(asg, sprintf("%d subnet(s)", [n]), "ASG subnets must span at least 2 AZs")
}

deny contains f if {
	some asg in asgs
	some tag in object.get(asg.values, "tag", [])
	not lib.truthy(object.get(tag, "propagate_at_launch", false))
	f := lib.finding(asg, sprintf("tag %v", [tag.key]), "ASG tag is not propagated to the instances it launches")
}
