package ec2stack.rules.cloudfront_security_headers

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-606",
	"name": "cloudfront-security-headers",
	"severity": "MEDIUM",
	"summary": "The default CloudFront cache behaviour attaches a response headers policy, and our aws_cloudfront_response_headers_policy it refers to sends Strict-Transport-Security.",
	"resolution": "Set response_headers_policy_id on default_cache_behavior to an aws_cloudfront_response_headers_policy with security_headers_config { strict_transport_security { ... } }.",
	"references": ["CKV2_AWS_32"],
}

deny contains lib.finding(d, null, "CloudFront default cache behaviour has no response headers policy: no HSTS or other security headers") if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, _ in object.get(d.values, "default_cache_behavior", [])
	not lib.set(d, ["default_cache_behavior", i, "response_headers_policy_id"])
}

deny contains lib.finding(d, p.address, sprintf("CloudFront response headers policy %s sends no Strict-Transport-Security header", [p.address])) if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, _ in object.get(d.values, "default_cache_behavior", [])
	some p in lib.resources("aws_cloudfront_response_headers_policy")
	lib_ops.linked(d, ["default_cache_behavior", i, "response_headers_policy_id"], p)
	not lib.is_unknown(p, "security_headers_config")
	not _hsts(p)
}

_hsts(p) if {
	some s in object.get(p.values, "security_headers_config", [])
	some h in object.get(s, "strict_transport_security", [])
	object.get(h, "access_control_max_age_sec", 0) > 0
}
