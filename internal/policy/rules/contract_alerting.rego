# Alerting at least at the level the environment contract gives: alarms on the alert topic everywhere, and for
# on_call also the composite service-down alarm and Auto Scaling notifications.
package ec2stack.rules.contract_alerting

import data.ec2stack.lib

metadata := {
	"id": "EC2S-806",
	"name": "contract-alerting",
	"severity": "MEDIUM",
	"summary": "There are CloudWatch alarms and an SNS alert topic; where the environment contract says alerting = on_call also a composite alarm and Auto Scaling notifications.",
	"resolution": "Keep enable_alarms = true; set enable_on_call = true in the environment root where the contract says on_call.",
	"references": ["environment contract"],
}

required := ["aws_sns_topic", "aws_cloudwatch_metric_alarm"]

on_call := ["aws_cloudwatch_composite_alarm", "aws_autoscaling_notification"]

deny contains {"address": t, "value": "none planned", "message": sprintf("%s alerting (%s) needs an %s", [lib.environment, lib.contract.alerting, t])} if {
	some t in required
	count(lib.resources(t)) == 0
}

deny contains {"address": t, "value": "none planned", "message": sprintf("%s alerting is on_call: it needs an %s", [lib.environment, t])} if {
	lib.contract.alerting == "on_call"
	some t in on_call
	count(lib.resources(t)) == 0
}
