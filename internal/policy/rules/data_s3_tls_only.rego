package ec2stack.rules.s3_tls_only

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-526",
	"name": "s3-tls-only",
	"severity": "MEDIUM",
	"summary": "Every S3 bucket policy denies all requests without TLS (aws:SecureTransport = false) to everyone.",
	"resolution": "Add a bucket policy statement: Effect Deny, Principal \"*\", Action s3:*, Resource the bucket and bucket/*, Condition Bool aws:SecureTransport = false.",
	"references": ["FSBP S3.5", "CIS AWS 2.1.1"],
}

deny contains lib.finding(b, null, "S3 bucket has no bucket policy, so requests without TLS are allowed") if {
	some b in lib.resources("aws_s3_bucket")
	count(lib_ops.companions(b, "aws_s3_bucket_policy")) == 0
	not _inline_policy(b)
}

# The deprecated inline policy argument of aws_s3_bucket (computed, so unknown at plan time when not set).
_inline_policy(b) if {
	p := object.get(b.values, "policy", null)
	is_string(p)
	p != ""
}

deny contains lib.finding(b, null, sprintf("S3 bucket policy %s does not deny requests without TLS (aws:SecureTransport = false)", [p.address])) if {
	some b in lib.resources("aws_s3_bucket")
	some p in lib_ops.companions(b, "aws_s3_bucket_policy")
	doc := lib_ops.policy_document(object.get(p.values, "policy", null))
	not _denies_plain_http(doc)
}

deny contains lib.finding(b, null, "S3 bucket's inline policy does not deny requests without TLS (aws:SecureTransport = false)") if {
	some b in lib.resources("aws_s3_bucket")
	count(lib_ops.companions(b, "aws_s3_bucket_policy")) == 0
	doc := lib_ops.policy_document(object.get(b.values, "policy", null))
	not _denies_plain_http(doc)
}

_denies_plain_http(doc) if {
	some st in lib_ops.statements(doc)
	st.Effect == "Deny"
	_everyone(st)
	some action in lib_ops.as_list(st.Action)
	action in {"s3:*", "*"}
	some op, cond in st.Condition
	op in {"Bool", "BoolIfExists"}
	lower(sprintf("%v", [cond["aws:SecureTransport"]])) in {"false", "[\"false\"]", "[false]"}
}

_everyone(st) if st.Principal == "*"

_everyone(st) if "*" in lib_ops.principals(st, "AWS")
