package ec2stack.rules.waf_logging

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-611",
	"name": "waf-logging",
	"severity": "MEDIUM",
	"summary": "Every WAFv2 web ACL publishes CloudWatch metrics and has an aws_wafv2_web_acl_logging_configuration whose destinations are named aws-waf-logs-* (WAF refuses other names).",
	"resolution": "Set visibility_config { cloudwatch_metrics_enabled = true } on the ACL and add an aws_wafv2_web_acl_logging_configuration with resource_arn = the ACL and log_destination_configs = a log group (or bucket, or Firehose stream) named aws-waf-logs-*.",
	"references": ["CKV2_AWS_31", "CKV_AWS_176", "FSBP WAF.11"],
}

deny contains lib.finding(acl, v, "WAF web ACL does not publish CloudWatch metrics: visibility_config.cloudwatch_metrics_enabled must be true") if {
	some acl in lib.resources("aws_wafv2_web_acl")
	some i, vc in object.get(acl.values, "visibility_config", [])
	not lib.is_unknown(acl, ["visibility_config", i, "cloudwatch_metrics_enabled"])
	v := object.get(vc, "cloudwatch_metrics_enabled", null)
	v != true
}

configs := lib.resources("aws_wafv2_web_acl_logging_configuration")

logs(lc, acl) if {
	arn := object.get(lc.values, "resource_arn", null)
	is_string(arn)
	arn == object.get(acl.values, "arn", "")
}

logs(lc, acl) if lib_ops.linked(lc, ["resource_arn"], acl)

# A logging configuration whose ACL cannot be told (unknown ARN from another module): it may log any ACL.
unresolved(lc) if {
	lib.is_unknown(lc, "resource_arn")
	not _linked_to_some_acl(lc)
}

_linked_to_some_acl(lc) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	lib_ops.linked(lc, ["resource_arn"], acl)
}

deny contains lib.finding(acl, null, "WAF web ACL has no logging configuration (aws_wafv2_web_acl_logging_configuration)") if {
	some acl in lib.resources("aws_wafv2_web_acl")
	not _logged(acl)
	not _maybe_logged
}

_logged(acl) if {
	some lc in configs
	logs(lc, acl)
}

_maybe_logged if {
	some lc in configs
	unresolved(lc)
}

waf_logs_name(s) if startswith(s, "aws-waf-logs-")

# The name part of a destination ARN: log group, S3 bucket or Firehose delivery stream.
arn_name(arn) := trim_suffix(split(arn, ":log-group:")[1], ":*") if contains(arn, ":log-group:")

arn_name(arn) := split(arn, ":::")[1] if startswith(arn, "arn:aws:s3:::")

arn_name(arn) := split(arn, ":deliverystream/")[1] if contains(arn, ":deliverystream/")

deny contains lib.finding(acl, dest, sprintf("WAF logging configuration %s: destination %s is not named aws-waf-logs-*", [lc.address, dest])) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	some lc in configs
	logs(lc, acl)
	some dest in object.get(lc.values, "log_destination_configs", [])
	is_string(dest)
	not waf_logs_name(arn_name(dest))
}

destination_types := {"aws_cloudwatch_log_group": "name", "aws_s3_bucket": "bucket", "aws_kinesis_firehose_delivery_stream": "name"}

deny contains lib.finding(acl, name, sprintf("WAF logging configuration %s: destination %s is named %s, not aws-waf-logs-*", [lc.address, dest.address, name])) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	some lc in configs
	logs(lc, acl)
	lib.is_unknown(lc, "log_destination_configs")
	some t, attr in destination_types
	some dest in lib.resources(t)
	lib_ops.linked(lc, ["log_destination_configs"], dest)
	name := object.get(dest.values, attr, null)
	is_string(name)
	not waf_logs_name(name)
}
