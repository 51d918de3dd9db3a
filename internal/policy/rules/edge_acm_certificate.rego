package ec2stack.rules.acm_certificate

import data.ec2stack.lib

metadata := {
	"id": "EC2S-620",
	"name": "acm-certificate",
	"severity": "MEDIUM",
	"summary": "ACM certificates are validated by DNS (renewed automatically) and logged to Certificate Transparency.",
	"resolution": "Set validation_method = \"DNS\" and options { certificate_transparency_logging_preference = \"ENABLED\" } (and lifecycle create_before_destroy = true).",
	"references": ["CKV_AWS_234", "CKV_AWS_233", "FSBP ACM.1"],
}

# Amazon-issued certificates only: imported ones (certificate_body) and private-CA ones have neither setting.
issued(c) if {
	not lib.set(c, "certificate_body")
	not lib.set(c, "certificate_authority_arn")
}

deny contains lib.finding(c, v, sprintf("ACM certificate is validated by %v: validation_method must be DNS (e-mail validation does not renew by itself)", [v])) if {
	some c in lib.resources("aws_acm_certificate")
	issued(c)
	not lib.is_unknown(c, "validation_method")
	v := object.get(c.values, "validation_method", null)
	v != "DNS"
}

deny contains lib.finding(c, "DISABLED", "ACM certificate is not logged to Certificate Transparency: certificate_transparency_logging_preference is DISABLED") if {
	some c in lib.resources("aws_acm_certificate")
	some o in object.get(c.values, "options", [])
	object.get(o, "certificate_transparency_logging_preference", null) == "DISABLED"
}
