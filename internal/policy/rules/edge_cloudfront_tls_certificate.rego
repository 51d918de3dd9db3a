package ec2stack.rules.cloudfront_tls_certificate

import data.ec2stack.lib

metadata := {
	"id": "EC2S-602",
	"name": "cloudfront-tls-certificate",
	"severity": "HIGH",
	"summary": "CloudFront presents our ACM certificate (us-east-1) with SNI and a minimum protocol of TLSv1.2_2021, not the default *.cloudfront.net certificate (whose minimum is TLSv1).",
	"resolution": "In viewer_certificate set acm_certificate_arn (the validated us-east-1 certificate), ssl_support_method = \"sni-only\", minimum_protocol_version = \"TLSv1.2_2021\", cloudfront_default_certificate = false.",
	"references": ["AWS-0013", "CKV_AWS_174", "CKV2_AWS_42", "CKV2_AWS_54", "FSBP CloudFront.7", "FSBP CloudFront.10"],
}

certificates(d) := [c | some c in object.get(d.values, "viewer_certificate", [])]

deny contains lib.finding(d, null, "CloudFront has no viewer_certificate") if {
	some d in lib.resources("aws_cloudfront_distribution")
	not lib.is_unknown(d, "viewer_certificate")
	count(certificates(d)) == 0
}

deny contains lib.finding(d, v, "CloudFront presents the default *.cloudfront.net certificate: acm_certificate_arn must be our ACM certificate") if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, c in certificates(d)
	not lib.set(d, ["viewer_certificate", i, "acm_certificate_arn"])
	v := object.get(c, "cloudfront_default_certificate", null)
}

deny contains lib.finding(d, v, sprintf("CloudFront viewer certificate: ssl_support_method is %v, must be sni-only", [v])) if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, c in certificates(d)
	not lib.is_unknown(d, ["viewer_certificate", i, "ssl_support_method"])
	v := object.get(c, "ssl_support_method", null)
	v != "sni-only"
}

deny contains lib.finding(d, v, sprintf("CloudFront viewer certificate: minimum_protocol_version is %v, must be TLSv1.2_2021", [v])) if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, c in certificates(d)
	not lib.is_unknown(d, ["viewer_certificate", i, "minimum_protocol_version"])
	v := object.get(c, "minimum_protocol_version", null)
	not v in {"TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"}
}
