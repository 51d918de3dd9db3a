# AWS limits: CloudFront reaches every HTTPS custom origin under a name that the origin's certificate covers.
package ec2stack.rules.cloudfront_origin_certificate

import data.ec2stack.lib
import data.ec2stack.lib.limits
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-914",
	"name": "cloudfront-origin-certificate",
	"severity": "HIGH",
	"summary": "Every custom origin that CloudFront reaches over HTTPS (origin_protocol_policy https-only or match-viewer) has a domain_name that an aws_acm_certificate of the plan covers (the name itself or a leftmost wildcard of it, in domain_name or subject_alternative_names), other than the distribution's own viewer certificate; an origin at a load balancer's DNS name (*.elb.amazonaws.com, which no ACM certificate can cover) never passes. CloudFront answers 502 to every request otherwise.",
	"resolution": "Point the origin at a name of your own that resolves to the load balancer (a Route 53 alias such as origin.<domain>) and add that name to the subject_alternative_names of the certificate of the load balancer's HTTPS listener. An origin whose certificate is managed outside the plan needs an accepted exception.",
	"references": ["Amazon CloudFront: requiring HTTPS between CloudFront and a custom origin (the origin's certificate must cover the origin domain name)", "Amazon CloudFront: HTTP 502 status code (SSL/TLS negotiation failure)"],
}

https_policies := {"https-only", "match-viewer"}

# origins is every HTTPS custom origin as {d, i, origin}.
origins contains x if {
	some d in lib.resources("aws_cloudfront_distribution")
	some i, o in object.get(d.values, "origin", [])
	some j, c in object.get(o, "custom_origin_config", [])
	not lib.is_unknown(d, ["origin", i, "custom_origin_config", j, "origin_protocol_policy"])
	object.get(c, "origin_protocol_policy", null) in https_policies
	x := {"d": d, "i": i, "origin": o}
}

# config_path(x) is the configuration path of the origin's domain_name: the origin block with the same constant
# origin_id, else the only one (the plan lists origins in its own order).
config_path(x) := ["origin", j, "domain_name"] if {
	some j, b in object.get(lib.config(x.d), ["expressions", "origin"], [])
	b.origin_id.constant_value == x.origin.origin_id
} else := ["origin", 0, "domain_name"] if {
	count(object.get(lib.config(x.d), ["expressions", "origin"], [])) == 1
	count(object.get(x.d.values, "origin", [])) == 1
}

# origin_name(x) is the origin's domain name: known at plan, or the known name of the Route 53 record it refers to.
origin_name(x) := lower(trim_suffix(n, ".")) if {
	n := object.get(x.origin, "domain_name", null)
	is_string(n)
	n != ""
} else := lower(trim_suffix(n, ".")) if {
	some rec in lib.resources("aws_route53_record")
	limits.points_at(x.d, config_path(x), rec)
	n := object.get(rec.values, "name", null)
	is_string(n)
	n != ""
}

# AWS endpoints that present AWS's own certificates (API Gateway, Lambda function URLs, S3, MediaStore, ...): not a
# load balancer, whose certificate is ours.
aws_endpoint(n) if {
	some suffix in [".amazonaws.com", ".on.aws", ".cloudfront.net"]
	endswith(n, suffix)
	not endswith(n, ".elb.amazonaws.com")
}

viewer_certificate(d, c) if {
	some i, _ in object.get(d.values, "viewer_certificate", [])
	uses(d, ["viewer_certificate", i, "acm_certificate_arn"], c)
}

# uses(src, path, c): the argument at path is the certificate c's ARN: the known ARN, a reference to c, or a
# reference to an aws_acm_certificate_validation of c.
uses(src, path, c) if {
	arn := object.get(src.values, path, null)
	is_string(arn)
	arn == object.get(c.values, "arn", "")
}

uses(src, path, c) if limits.points_at(src, path, c)

uses(src, path, c) if {
	some v in lib.resources("aws_acm_certificate_validation")
	limits.points_at(src, path, v)
	lib_ops.linked(v, ["certificate_arn"], c)
}

# A certificate that the load balancer's listeners present as well counts even when it is the viewer certificate
# (one certificate in us-east-1 for both).
listener_certificate(c) if {
	some l in lib.resources("aws_lb_listener")
	uses(l, ["certificate_arn"], c)
}

listener_certificate(c) if {
	some l in lib.resources("aws_lb_listener_certificate")
	uses(l, ["certificate_arn"], c)
}

origin_certificates(d) := {c |
	some c in lib.resources("aws_acm_certificate")
	not viewer_only(d, c)
}

viewer_only(d, c) if {
	viewer_certificate(d, c)
	not listener_certificate(c)
}

cert_names(c) := {lower(trim_suffix(n, ".")) |
	some n in array.concat([object.get(c.values, "domain_name", null)], sans(c))
	is_string(n)
	n != ""
}

sans(c) := l if {
	l := object.get(c.values, "subject_alternative_names", [])
	is_array(l)
} else := []

covers(name, n) if name == n

covers(wildcard, n) if {
	startswith(wildcard, "*.")
	parts := split(n, ".")
	count(parts) >= 2
	parts[0] != ""
	concat(".", array.slice(parts, 1, count(parts))) == substring(wildcard, 2, -1)
}

covered(d, n) if {
	some c in origin_certificates(d)
	some name in cert_names(c)
	covers(name, n)
}

deny contains lib.finding(x.d, n, sprintf("CloudFront origin %v reaches %s over HTTPS, but no ACM certificate of the plan (other than the viewer certificate) covers that name: CloudFront accepts an origin only with a certificate for the origin's domain name, and answers 502 otherwise", [x.origin.origin_id, n])) if {
	some x in origins
	n := origin_name(x)
	not aws_endpoint(n)
	not endswith(n, ".elb.amazonaws.com")
	not covered(x.d, n)
}

deny contains lib.finding(x.d, n, sprintf("CloudFront origin %v reaches the load balancer's DNS name %s over HTTPS: no certificate can cover *.elb.amazonaws.com, so CloudFront answers 502; point the origin at a name of yours that the load balancer's certificate covers", [x.origin.origin_id, n])) if {
	some x in origins
	n := origin_name(x)
	endswith(n, ".elb.amazonaws.com")
}

# The origin's domain name is only known after apply and comes from a load balancer's dns_name.
deny contains lib.finding(x.d, sprintf("origin %v domain_name = %s", [x.origin.origin_id, ref]), sprintf("CloudFront origin %v reaches a load balancer's DNS name (%s, a name under elb.amazonaws.com) over HTTPS: no certificate can cover it, so CloudFront answers 502; point the origin at a name of yours that the load balancer's certificate covers", [x.origin.origin_id, ref])) if {
	some x in origins
	not origin_name(x)
	lib.is_unknown(x.d, ["origin", x.i, "domain_name"])
	ref := lb_dns_name(x)
}

lb_dns_name(x) := min(lbs) if {
	lbs := {sprintf("%s.dns_name", [lb.address]) | some lb in lib.resources("aws_lb"); limits.points_at(x.d, config_path(x), lb)}
	count(lbs) > 0
} else := min(refs) if {
	refs := {ref |
		some ref in lib_ops.expr_references(x.d, config_path(x))
		regex.match(`(^|[._])(alb|lb|elb|load_balancer)_dns_name$|^aws_lb\.[^.]+(\[[^\]]*\])?\.dns_name$`, ref)
	}
	count(refs) > 0
}
