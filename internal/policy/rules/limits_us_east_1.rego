# AWS limits: what CloudFront uses is created in us-east-1.
package ec2stack.rules.cloudfront_resources_us_east_1

import data.ec2stack.lib
import data.ec2stack.lib.limits
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-915",
	"name": "cloudfront-resources-us-east-1",
	"severity": "HIGH",
	"summary": "What CloudFront uses is created with a provider in us-east-1: every CLOUDFRONT-scope aws_wafv2_web_acl, its aws_wafv2_web_acl_logging_configuration, the aws-waf-logs-* log group that configuration writes to and the KMS key of that log group, and the ACM certificate (and its validation) of every distribution's viewer_certificate. The region is the provider's (a constant or a root variable, from the plan's configuration and variables); resources whose region the plan cannot tell are not judged.",
	"resolution": "Create these resources with the us-east-1 provider (provider = aws.us_east_1) and give the WAF log group a KMS key created there too.",
	"references": ["AWS WAF: CLOUDFRONT-scope web ACLs are in US East (N. Virginia)", "AWS WAF: logging destinations in the web ACL's region", "Amazon CloudFront: ACM certificates must be requested or imported in US East (N. Virginia)", "Amazon CloudWatch Logs: the KMS key of a log group is in the log group's region"],
}

region := "us-east-1"

cloudfront_acls := {acl |
	some acl in lib.resources("aws_wafv2_web_acl")
	object.get(acl.values, "scope", null) == "CLOUDFRONT"
}

# logs(lc, acl): the logging configuration lc is the web ACL's (known ARN or reference).
logs(lc, acl) if {
	arn := object.get(lc.values, "resource_arn", null)
	is_string(arn)
	arn == object.get(acl.values, "arn", "")
}

logs(lc, acl) if limits.points_at(lc, ["resource_arn"], acl)

cloudfront_logging := {lc |
	some lc in lib.resources("aws_wafv2_web_acl_logging_configuration")
	some acl in cloudfront_acls
	logs(lc, acl)
} | {lc |
	some lc in lib.resources("aws_wafv2_web_acl_logging_configuration")
	contains(object.get(lc.values, "resource_arn", ""), ":global/webacl/")
}

# The aws-waf-logs-* log groups those configurations write to.
waf_log_groups := {lg |
	some lc in cloudfront_logging
	some lg in lib.resources("aws_cloudwatch_log_group")
	startswith(object.get(lg.values, "name", ""), "aws-waf-logs-")
	writes_to(lc, lg)
}

writes_to(lc, lg) if {
	arn := object.get(lg.values, "arn", null)
	is_string(arn)
	some d in object.get(lc.values, "log_destination_configs", [])
	trim_suffix(d, ":*") == trim_suffix(arn, ":*")
}

writes_to(lc, lg) if limits.points_at(lc, ["log_destination_configs"], lg)

# The KMS keys of those log groups.
log_keys := {[lg, k] |
	some lg in waf_log_groups
	some k in lib.resources("aws_kms_key")
	keyed_with(lg, k)
}

keyed_with(lg, k) if {
	arn := object.get(lg.values, "kms_key_id", null)
	is_string(arn)
	arn == object.get(k.values, "arn", "")
}

keyed_with(lg, k) if limits.points_at(lg, ["kms_key_id"], k)

# The viewer certificates of the distributions, and their validations.
viewer_certs := {[d, c] |
	some d in lib.resources("aws_cloudfront_distribution")
	some i, _ in object.get(d.values, "viewer_certificate", [])
	some c in lib.resources("aws_acm_certificate")
	certificate_of(d, ["viewer_certificate", i, "acm_certificate_arn"], c)
}

certificate_of(d, path, c) if {
	arn := object.get(d.values, path, null)
	is_string(arn)
	arn == object.get(c.values, "arn", "")
}

certificate_of(d, path, c) if limits.points_at(d, path, c)

certificate_of(d, path, c) if {
	some v in viewer_validations(d, path)
	lib_ops.linked(v, ["certificate_arn"], c)
}

viewer_validations(d, path) := {v | some v in lib.resources("aws_acm_certificate_validation"); limits.points_at(d, path, v)}

# needs is every resource that must be in us-east-1, with why.
needs contains [acl, "a CLOUDFRONT-scope WAF web ACL"] if some acl in cloudfront_acls

needs contains [lc, "the logging configuration of a CLOUDFRONT-scope web ACL"] if some lc in cloudfront_logging

needs contains [lg, "the log group of a CLOUDFRONT-scope web ACL's logging"] if some lg in waf_log_groups

needs contains [k, sprintf("the KMS key of the CLOUDFRONT WAF log group %s", [lg.address])] if some [lg, k] in log_keys

needs contains [c, sprintf("the viewer certificate of %s", [d.address])] if some [d, c] in viewer_certs

needs contains [v, sprintf("the validation of the viewer certificate of %s", [d.address])] if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, _ in object.get(d.values, "viewer_certificate", [])
	some v in viewer_validations(d, ["viewer_certificate", i, "acm_certificate_arn"])
}

deny contains lib.finding(r, where, sprintf("%s is %s and must be created in %s (CloudFront and its WAF only use resources there), but %s puts it in %s", [r.address, why, region, limits.provider_label(r), where])) if {
	some [r, why] in needs
	where := limits.region(r)
	where != region
}

# Known ARNs of resources the plan does not create: a viewer certificate, WAF log destination or log group key
# in another region.
deny contains lib.finding(d, arn, sprintf("CloudFront's viewer certificate %s is in %s: CloudFront only uses ACM certificates in %s", [arn, limits.arn_region(arn), region])) if {
	some d in lib.resources("aws_cloudfront_distribution")
	some vc in object.get(d.values, "viewer_certificate", [])
	arn := object.get(vc, "acm_certificate_arn", null)
	other_region(arn)
}

deny contains lib.finding(lc, arn, sprintf("the logging configuration of a CLOUDFRONT-scope web ACL writes to %s in %s: WAF logs a CLOUDFRONT-scope web ACL only to destinations in %s", [arn, limits.arn_region(arn), region])) if {
	some lc in cloudfront_logging
	some arn in object.get(lc.values, "log_destination_configs", [])
	other_region(arn)
}

deny contains lib.finding(lg, arn, sprintf("the CLOUDFRONT WAF log group %s is encrypted with the KMS key %s in %s: a log group can only use a key of its own region, %s", [lg.address, arn, limits.arn_region(arn), region])) if {
	some lg in waf_log_groups
	arn := object.get(lg.values, "kms_key_id", null)
	other_region(arn)
}

# other_region(arn): a known ARN of a regional resource outside us-east-1.
other_region(arn) if {
	r := limits.arn_region(arn)
	not r in {region, ""}
}
