# Helpers of the data (EC2S-5xx), edge (EC2S-6xx) and ops (EC2S-7xx) rules: linking resources to each other through
# the references of the configuration (ARNs and ids are mostly unknown at plan time) or through known values.
package ec2stack.lib_ops

import data.ec2stack.lib

# expr_references(r, path) is the list of references of the expression at path inside the resource's configuration;
# path is a list of keys and block indexes, e.g. ["bucket"] or ["default_cache_behavior", 0, "response_headers_policy_id"].
# [] when the plan has no configuration for the resource or the expression is a constant.
expr_references(r, path) := refs if {
	c := lib.config(r)
	refs := object.get(c, array.concat(array.concat(["expressions"], path), ["references"]), [])
} else := []

# linked(src, path, target): the expression at path of src refers to the resource instance target (same module).
# Terraform lists a reference to one instance as `type.name[0].attr`, `type.name[0]`, `type.name`; a reference
# through each.key/count.index only as `type.name`, where the instance is the one with the same index as src.
linked(src, path, target) if {
	src.module == target.module
	refs := expr_references(src, path)
	base := sprintf("%s.%s", [target.type, target.name])
	some ref in refs
	startswith(ref, sprintf("%s[%s]", [base, json.marshal(target.index)]))
}

linked(src, path, target) if {
	src.module == target.module
	refs := expr_references(src, path)
	base := sprintf("%s.%s", [target.type, target.name])
	not _has_indexed(refs, base)
	some ref in refs
	_bare(ref, base)
	_same_instance(src, refs, target)
}

_has_indexed(refs, base) if {
	some ref in refs
	startswith(ref, concat("", [base, "["]))
}

_bare(ref, base) if ref == base

_bare(ref, base) if startswith(ref, concat("", [base, "."]))

_iterates(refs) if {
	some ref in refs
	ref in {"each.key", "each.value", "count.index"}
}

_same_instance(_, _, target) if target.index == null

_same_instance(src, refs, target) if {
	target.index != null
	_iterates(refs)
	src.index == target.index
}

# A reference to every instance (a splat or a for expression): any instance may be the one meant.
_same_instance(_, refs, target) if {
	target.index != null
	not _iterates(refs)
}

# bucket_of(c, b): the S3 companion resource c (public access block, encryption, versioning, ...) belongs to bucket b,
# by its known bucket name or by the reference of its `bucket` argument.
bucket_of(c, b) if {
	name := object.get(c.values, "bucket", null)
	is_string(name)
	name != ""
	name == object.get(b.values, "bucket", null)
}

bucket_of(c, b) if linked(c, ["bucket"], b)

# companions(b, t) is every resource of type t that belongs to bucket b.
companions(b, t) := {c | some c in lib.resources(t); bucket_of(c, b)}

# bucket_label(b) is the bucket's name, for_each key and resource name (lowercase) for the heuristics below.
bucket_label(b) := lower(concat("/", [sprintf("%v", [object.get(b.values, "bucket", "")]), sprintf("%v", [b.index]), b.name]))

# log_bucket(b): the bucket receives access logs (S3 server access logs, ALB or CloudFront standard logs).
# Known destinations first; their names are mostly unknown at plan time, so the bucket's name, for_each key or
# resource name saying "log(s)" counts as well.
log_bucket(b) if {
	some l in lib.resources("aws_s3_bucket_logging")
	object.get(l.values, "target_bucket", null) == b.values.bucket
}

log_bucket(b) if {
	some l in lib.resources("aws_s3_bucket_logging")
	linked(l, ["target_bucket"], b)
}

log_bucket(b) if {
	some lb in lib.resources("aws_lb")
	some al in object.get(lb.values, "access_logs", [])
	object.get(al, "bucket", null) == b.values.bucket
}

log_bucket(b) if cloudfront_log_bucket(b)

log_bucket(b) if regex.match(`(^|[^a-z])logs?([^a-z]|$)`, bucket_label(b))

# cloudfront_log_bucket(b): a CloudFront distribution delivers its standard logs to bucket b (by the known
# logging_config bucket, or, when that is unknown, by the bucket's name/key saying cloudfront and log).
cloudfront_log_bucket(b) if {
	some d in lib.resources("aws_cloudfront_distribution")
	some lc in object.get(d.values, "logging_config", [])
	object.get(lc, "bucket", "") in {
		b.values.bucket,
		sprintf("%s.s3.amazonaws.com", [b.values.bucket]),
	}
}

cloudfront_log_bucket(b) if {
	some d in lib.resources("aws_cloudfront_distribution")
	lib.is_unknown(d, "logging_config")
	label := bucket_label(b)
	contains(label, "cloudfront")
	regex.match(`(^|[^a-z])logs?([^a-z]|$)`, label)
}

# policy_document(s) is a JSON policy string parsed; undefined when unknown or not valid JSON.
policy_document(s) := doc if {
	is_string(s)
	json.is_valid(s)
	doc := json.unmarshal(s)
}

# statements(doc) is the list of statements of a policy document (a single statement object is allowed).
statements(doc) := doc.Statement if is_array(doc.Statement)

statements(doc) := [doc.Statement] if is_object(doc.Statement)

# as_list(x): x as a list (IAM allows a string or a list almost everywhere).
as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

# principals(st, kind) is the set of principals of a statement of the kind "AWS" or "Service" ("*" as {"*"}).
principals(st, kind) := {p | some p in as_list(st.Principal[kind])} if is_object(st.Principal)

principals(st, _) := {"*"} if st.Principal == "*"
