package ec2stack.rules.cloudfront_https_viewer

import data.ec2stack.lib

metadata := {
	"id": "EC2S-601",
	"name": "cloudfront-https-viewer",
	"severity": "CRITICAL",
	"summary": "Every CloudFront cache behaviour (default and ordered) requires HTTPS from viewers (redirect-to-https or https-only).",
	"resolution": "Set viewer_protocol_policy = \"redirect-to-https\" (or \"https-only\") in default_cache_behavior and every ordered_cache_behavior.",
	"references": ["AWS-0012", "CKV_AWS_34", "FSBP CloudFront.3"],
}

deny contains lib.finding(d, v, sprintf("CloudFront %s[%d] lets viewers use plain HTTP: viewer_protocol_policy is %v", [kind, i, v])) if {
	some d in lib.resources("aws_cloudfront_distribution")
	some kind in ["default_cache_behavior", "ordered_cache_behavior"]
	some i, b in object.get(d.values, kind, [])
	not lib.is_unknown(d, [kind, i, "viewer_protocol_policy"])
	v := object.get(b, "viewer_protocol_policy", null)
	not v in {"redirect-to-https", "https-only"}
}
