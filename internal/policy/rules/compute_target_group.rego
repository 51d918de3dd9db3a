# Target groups check the application's health endpoint explicitly.
package ec2stack.rules.target_group_health_check

import data.ec2stack.lib

metadata := {
	"id": "EC2S-323",
	"name": "target-group-health-check",
	"severity": "LOW",
	"summary": "Target groups have an enabled health check with an explicit path and matcher (HTTP/HTTPS).",
	"resolution": "Set health_check { enabled = true, path = \"/health\", matcher = \"200\" }.",
	"references": ["CKV_AWS_261"],
}

deny contains f if {
	some tg in lib.resources("aws_lb_target_group")
	not lib.is_unknown(tg, "health_check")
	not lib.truthy(object.get(tg.values, ["health_check", 0, "enabled"], false))
	f := lib.finding(tg, "health_check disabled", "target group has no enabled health check")
}

deny contains f if {
	some tg in lib.resources("aws_lb_target_group")
	object.get(tg.values, "protocol", null) in {"HTTP", "HTTPS"}
	lib.truthy(object.get(tg.values, ["health_check", 0, "enabled"], false))
	some k in ["path", "matcher"]
	not lib.set(tg, ["health_check", 0, k])
	f := lib.finding(tg, sprintf("health_check.%s", [k]), sprintf("target group health check has no explicit %s", [k]))
}
