package ec2stack.rules.log_group_retention

import data.ec2stack.lib

metadata := {
	"id": "EC2S-702",
	"name": "log-group-retention",
	"severity": "MEDIUM",
	"summary": "CloudWatch log groups have a retention set and keep events at least the environment contract's logs.min_retention_days.",
	"resolution": "Set retention_in_days on the log group from the environment root's log_retention_days, at least the contract's minimum.",
	"references": ["CKV_AWS_66", "CKV_AWS_338", "FSBP CloudWatch.16"],
}

deny contains lib.finding(r, v, msg) if {
	some r in lib.resources("aws_cloudwatch_log_group")
	not lib.is_unknown(r, "retention_in_days")
	v := object.get(r.values, "retention_in_days", null)
	min := lib.contract.logs.min_retention_days
	msg := _problem(v, min)
}

_problem(v, _) := "log group has no retention (retention_in_days unset: kept forever, never reviewed)" if v in {null, 0}

_problem(v, min) := sprintf("log group keeps logs %v days; %s needs at least %d", [v, lib.environment, min]) if {
	is_number(v)
	v > 0
	v < min
}
