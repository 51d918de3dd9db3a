package ec2stack.rules.route53_zone_protection

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-622",
	"name": "route53-zone-protection",
	"severity": "LOW",
	"summary": "Public hosted zones this stack creates are DNSSEC-signed and log their queries.",
	"resolution": "Add an aws_route53_key_signing_key (ECC_NIST_P256 KMS key in us-east-1) with aws_route53_hosted_zone_dnssec, and an aws_route53_query_log to a us-east-1 log group, for the zone; publish the DS record in the parent zone.",
	"references": ["CKV2_AWS_38", "CKV2_AWS_39"],
}

public_zones contains z if {
	some z in lib.resources("aws_route53_zone")
	not lib.is_unknown(z, "vpc")
	count(object.get(z.values, "vpc", [])) == 0
}

covers(r, z) if lib_ops.linked(r, ["hosted_zone_id"], z)

covers(r, z) if lib_ops.linked(r, ["zone_id"], z)

covers(r, z) if {
	some attr in ["hosted_zone_id", "zone_id"]
	id := object.get(r.values, attr, null)
	is_string(id)
	id == object.get(z.values, "zone_id", "")
}

# A DNSSEC or query-log resource whose zone cannot be told (a reference through a variable): it may be this zone's.
unresolved(t, attr) if {
	some r in lib.resources(t)
	lib.is_unknown(r, attr)
	not _covers_some_zone(r)
}

_covers_some_zone(r) if {
	some z in lib.resources("aws_route53_zone")
	covers(r, z)
}

needed := {
	"aws_route53_hosted_zone_dnssec": ["hosted_zone_id", "DNSSEC signing (aws_route53_hosted_zone_dnssec)"],
	"aws_route53_query_log": ["zone_id", "query logging (aws_route53_query_log)"],
}

deny contains lib.finding(z, t, sprintf("public hosted zone %v has no %s", [object.get(z.values, "name", z.address), what])) if {
	some z in public_zones
	some t, [attr, what] in needed
	not _has(t, z)
	not unresolved(t, attr)
}

_has(t, z) if {
	some r in lib.resources(t)
	covers(r, z)
}
