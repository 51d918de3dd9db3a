# Instances send 1-minute metrics (detailed monitoring) where the environment contract asks for it, so scaling and
# alarms react in time.
package ec2stack.rules.launch_template_detailed_monitoring

import data.ec2stack.lib

metadata := {
	"id": "EC2S-304",
	"name": "launch-template-detailed-monitoring",
	"severity": "LOW",
	"summary": "Launch templates enable detailed (1-minute) CloudWatch monitoring where the environment contract says compute.monitoring = detailed.",
	"resolution": "Set enable_detailed_monitoring = true in the environment root (monitoring { enabled = true } on the launch template).",
	"references": ["CKV_AWS_126", "FSBP EC2.4"],
}

deny contains f if {
	lib.contract.compute.monitoring == "detailed"
	some lt in lib.resources("aws_launch_template")
	not lib.is_unknown(lt, "monitoring")
	not lib.is_unknown(lt, ["monitoring", 0, "enabled"])
	not enabled(lt)
	f := lib.finding(lt, sprintf("monitoring.enabled = %v", [object.get(lt.values, ["monitoring", 0, "enabled"], null)]), "detailed monitoring is off")
}

enabled(lt) if lib.truthy(object.get(lt.values, ["monitoring", 0, "enabled"], false))
