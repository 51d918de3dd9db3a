package ec2stack.rules.route53_alias_records

import data.ec2stack.lib

metadata := {
	"id": "EC2S-621",
	"name": "route53-alias-records",
	"severity": "LOW",
	"summary": "The application's DNS names (CloudFront aliases, certificate names) are Route 53 alias records to CloudFront or the load balancer, not CNAMEs or fixed addresses.",
	"resolution": "Write the record with an alias block (name = the distribution's or ALB's DNS name, zone_id = its hosted zone id) instead of records/ttl.",
	"references": ["CKV2_AWS_23"],
}

norm(n) := lower(trim_suffix(n, "."))

# The application's names: CloudFront aliases and ACM certificate names, where known.
app_names contains norm(n) if {
	some d in lib.resources("aws_cloudfront_distribution")
	some n in object.get(d.values, "aliases", [])
	is_string(n)
}

app_names contains norm(n) if {
	some c in lib.resources("aws_acm_certificate")
	some n in array.concat([object.get(c.values, "domain_name", null)], object.get(c.values, "subject_alternative_names", []))
	is_string(n)
}

app_records contains r if {
	some r in lib.resources("aws_route53_record")
	name := object.get(r.values, "name", null)
	is_string(name)
	norm(name) in app_names
	object.get(r.values, "type", null) in {"A", "AAAA", "CNAME"}
}

deny contains lib.finding(r, r.values.type, sprintf("DNS record %s %s is not an alias record: point it at CloudFront or the load balancer with an alias block", [r.values.name, r.values.type])) if {
	some r in app_records
	not lib.is_unknown(r, "alias")
	count(object.get(r.values, "alias", [])) == 0
}

deny contains lib.finding(r, target, sprintf("DNS alias record %s points at %s, which is neither CloudFront nor a load balancer", [r.values.name, target])) if {
	some r in app_records
	some a in object.get(r.values, "alias", [])
	target := object.get(a, "name", null)
	is_string(target)
	not regex.match(`(?i)(\.cloudfront\.net|\.elb\.amazonaws\.com|\.elb\.[a-z0-9-]+\.amazonaws\.com)\.?$`, target)
}
