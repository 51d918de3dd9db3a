package ec2stack.rules.alarm_actions

import data.ec2stack.lib

metadata := {
	"id": "EC2S-704",
	"name": "alarm-actions",
	"severity": "MEDIUM",
	"summary": "CloudWatch metric and composite alarms have actions enabled and at least one alarm action (the alerts topic).",
	"resolution": "Set actions_enabled = true and alarm_actions = [the alerts SNS topic ARN].",
	"references": ["CKV_AWS_319"],
}

alarm_types := ["aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"]

deny contains lib.finding(r, false, "alarm actions are disabled: actions_enabled must be true") if {
	some t in alarm_types
	some r in lib.resources(t)
	object.get(r.values, "actions_enabled", null) == false
}

deny contains lib.finding(r, null, "alarm has no alarm_actions: nobody is told when it fires") if {
	some t in alarm_types
	some r in lib.resources(t)
	not lib.set(r, "alarm_actions")
}
