# The application tier is the one the environment contract describes: instance type, Auto Scaling sizes, Spot only
# where allowed, no out-of-hours scale-down where forbidden. (Detailed monitoring: EC2S-304.)
package ec2stack.rules.contract_compute

import data.ec2stack.lib

metadata := {
	"id": "EC2S-802",
	"name": "contract-compute",
	"severity": "MEDIUM",
	"summary": "Launch templates use the environment contract's compute.instance_type; Auto Scaling groups have exactly its compute.instances sizes; no Spot capacity where compute.spot is forbidden; no scheduled scale-down below those sizes where compute.off_hours_scale_down is forbidden.",
	"resolution": "Set instance_type, asg_min_size, asg_max_size, asg_desired_capacity, enable_spot and off_hours_schedule in the environment root as the contract requires (or change the contract, in review).",
	"references": ["environment contract"],
}

want := lib.contract.compute

deny contains lib.finding(lt, v, sprintf("%s instances must be %s (compute.instance_type)", [lib.environment, want.instance_type])) if {
	some lt in lib.resources("aws_launch_template")
	not lib.is_unknown(lt, "instance_type")
	v := object.get(lt.values, "instance_type", null)
	v != null # a template without one leaves the type to the Auto Scaling group
	v != want.instance_type
}

sizes := {"min_size": "min", "max_size": "max", "desired_capacity": "desired"}

deny contains lib.finding(asg, sprintf("%s = %v", [attr, v]), msg) if {
	some asg in lib.resources("aws_autoscaling_group")
	some attr, key in sizes
	not lib.is_unknown(asg, attr)
	v := object.get(asg.values, attr, null)
	v != want.instances[key]
	msg := sprintf("%s Auto Scaling group needs %s = %d (compute.instances.%s)", [lib.environment, attr, want.instances[key], key])
}

# Spot capacity: a mixed-instances policy with less than 100 % on-demand, a Spot launch template, Spot requests.
spot(asg) := sprintf("on_demand_percentage_above_base_capacity = %v", [p]) if {
	some d in object.get(asg.values, ["mixed_instances_policy", 0, "instances_distribution"], [])
	p := object.get(d, "on_demand_percentage_above_base_capacity", 100)
	p != 100
}

deny contains lib.finding(asg, spot(asg), sprintf("%s forbids Spot capacity (compute.spot = forbidden)", [lib.environment])) if {
	want.spot == "forbidden"
	some asg in lib.resources("aws_autoscaling_group")
}

deny contains lib.finding(lt, "instance_market_options.market_type = spot", sprintf("%s forbids Spot capacity (compute.spot = forbidden)", [lib.environment])) if {
	want.spot == "forbidden"
	some lt in lib.resources("aws_launch_template")
	some m in object.get(lt.values, "instance_market_options", [])
	m.market_type == "spot"
}

deny contains lib.finding(r, r.type, sprintf("%s forbids Spot capacity (compute.spot = forbidden)", [lib.environment])) if {
	want.spot == "forbidden"
	some t in ["aws_spot_instance_request", "aws_spot_fleet_request"]
	some r in lib.resources(t)
}

# A scheduled action that shrinks the group below the contract's sizes is an out-of-hours scale-down.
deny contains lib.finding(s, sprintf("%s = %v", [attr, v]), msg) if {
	want.off_hours_scale_down == "forbidden"
	some s in lib.resources("aws_autoscaling_schedule")
	some attr, key in sizes
	v := object.get(s.values, attr, null)
	is_number(v)
	v >= 0
	v < want.instances[key]
	msg := sprintf("%s forbids scheduled scale-down (compute.off_hours_scale_down = forbidden): %s below %d", [lib.environment, attr, want.instances[key]])
}
