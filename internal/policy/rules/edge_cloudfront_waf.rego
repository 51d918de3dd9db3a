package ec2stack.rules.cloudfront_waf

import data.ec2stack.lib

metadata := {
	"id": "EC2S-603",
	"name": "cloudfront-waf",
	"severity": "HIGH",
	"summary": "CloudFront distributions are protected by a WAFv2 web ACL of CLOUDFRONT scope.",
	"resolution": "Set web_acl_id to the ARN of the CLOUDFRONT-scope aws_wafv2_web_acl (us-east-1).",
	"references": ["AWS-0011", "CKV_AWS_68", "FSBP CloudFront.6"],
}

deny contains lib.finding(d, null, "CloudFront distribution has no WAF web ACL: web_acl_id is empty") if {
	some d in lib.resources("aws_cloudfront_distribution")
	not lib.set(d, "web_acl_id")
}
