# AWS limits: ACM certificate names are names ACM accepts.
package ec2stack.rules.acm_certificate_names

import data.ec2stack.lib

metadata := {
	"id": "EC2S-912",
	"name": "acm-certificate-names",
	"severity": "MEDIUM",
	"summary": "Every aws_acm_certificate's domain_name has at most 64 characters (ACM's limit on the first name, which becomes the certificate's common name), every subject_alternative_names entry at most 253, every label at most 63, and a wildcard is only the whole leftmost label (*.example.com). ACM refuses the request otherwise.",
	"resolution": "Use a shorter domain_name (put a long name into subject_alternative_names and a short one, such as the zone apex, into domain_name); shorten the labels; write wildcards as *.name.",
	"references": ["AWS Certificate Manager: domain name length (64 characters for the first name)", "AWS Certificate Manager: wildcard names (leftmost label)", "RFC 1035: labels of 63 and names of 253 characters"],
}

first_name_max := 64

name_max := 253

label_max := 63

known(v) if {
	is_string(v)
	v != ""
}

# names(c) is every known name of the certificate: its domain_name and its subject alternative names.
names(c) := {n | some n in array.concat([object.get(c.values, "domain_name", null)], sans(c)); known(n)}

sans(c) := l if {
	l := object.get(c.values, "subject_alternative_names", [])
	is_array(l)
} else := []

deny contains lib.finding(c, v, sprintf("ACM certificate domain_name %q has %d characters: ACM allows at most %d in the first domain name of a certificate", [v, count(v), first_name_max])) if {
	some c in lib.resources("aws_acm_certificate")
	v := object.get(c.values, "domain_name", null)
	known(v)
	count(v) > first_name_max
}

deny contains lib.finding(c, v, sprintf("ACM certificate subject alternative name %q has %d characters: a domain name has at most %d", [v, count(v), name_max])) if {
	some c in lib.resources("aws_acm_certificate")
	some v in sans(c)
	known(v)
	count(v) > name_max
}

deny contains lib.finding(c, n, sprintf("ACM certificate name %q has a label of %d characters (%s): a DNS label has at most %d", [n, count(label), label, label_max])) if {
	some c in lib.resources("aws_acm_certificate")
	some n in names(c)
	some label in split(trim_suffix(n, "."), ".")
	count(label) > label_max
}

deny contains lib.finding(c, n, sprintf("ACM certificate name %q has a wildcard that is not the whole leftmost label: ACM accepts a wildcard only as the leftmost label of a name with a domain under it (*.example.com)", [n])) if {
	some c in lib.resources("aws_acm_certificate")
	some n in names(c)
	contains(n, "*")
	not good_wildcard(n)
}

good_wildcard(n) if {
	labels := split(trim_suffix(n, "."), ".")
	count(labels) >= 2
	labels[0] == "*"
	count([l | some l in array.slice(labels, 1, count(labels)); contains(l, "*")]) == 0
	count([l | some l in array.slice(labels, 1, count(labels)); l == ""]) == 0
}
