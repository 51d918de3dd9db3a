package ec2stack.rules.cloudfront_origin_tls

import data.ec2stack.lib

metadata := {
	"id": "EC2S-605",
	"name": "cloudfront-origin-tls",
	"severity": "MEDIUM",
	"summary": "CloudFront talks to every custom origin over HTTPS only, with TLSv1.2 only.",
	"resolution": "In every origin's custom_origin_config set origin_protocol_policy = \"https-only\" and origin_ssl_protocols = [\"TLSv1.2\"].",
	"references": ["CKV2_AWS_72", "FSBP CloudFront.9", "FSBP CloudFront.10"],
}

custom_configs := [[d, o, i, j, c] |
	some d in lib.resources("aws_cloudfront_distribution")
	some i, o in object.get(d.values, "origin", [])
	some j, c in object.get(o, "custom_origin_config", [])
]

deny contains lib.finding(d, v, sprintf("CloudFront origin %v: origin_protocol_policy is %v, must be https-only", [o.origin_id, v])) if {
	some [d, o, i, j, c] in custom_configs
	not lib.is_unknown(d, ["origin", i, "custom_origin_config", j, "origin_protocol_policy"])
	v := object.get(c, "origin_protocol_policy", null)
	v != "https-only"
}

deny contains lib.finding(d, p, sprintf("CloudFront origin %v allows %v: origin_ssl_protocols must be only TLSv1.2", [o.origin_id, p])) if {
	some [d, o, i, j, c] in custom_configs
	some p in object.get(c, "origin_ssl_protocols", [])
	is_string(p)
	p != "TLSv1.2"
}
