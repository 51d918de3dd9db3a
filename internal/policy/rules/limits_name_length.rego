# AWS limits: resource names within the lengths AWS accepts.
package ec2stack.rules.name_length_limits

import data.ec2stack.lib

metadata := {
	"id": "EC2S-913",
	"name": "name-length-limits",
	"severity": "MEDIUM",
	"summary": "Names known at plan time fit AWS's limits: aws_lb and aws_lb_target_group name at most 32 characters (name_prefix 6), aws_iam_role name 64 (name_prefix 38), aws_db_instance identifier 63, aws_s3_bucket bucket 63, aws_iam_instance_profile name 128, aws_cloudwatch_log_group name 512, aws_wafv2_web_acl name 128. AWS refuses the resource otherwise, in the middle of the apply.",
	"resolution": "Shorten the name (the project/environment prefix leaves little room on load balancers and target groups), or use a shorter name_prefix.",
	"references": [
		"Elastic Load Balancing: load balancer and target group names (32 characters)",
		"AWS IAM quotas: role name (64 characters), instance profile name (128 characters)",
		"Amazon RDS: DB instance identifier (63 characters)",
		"Amazon S3: bucket naming rules (63 characters)",
		"Amazon CloudWatch Logs quotas: log group name (512 characters)",
		"AWS WAF quotas: web ACL name (128 characters)",
	],
}

# limits: the resource type, argument, maximum length, and what AWS calls it.
limits := [
	{"type": "aws_lb", "attr": "name", "max": 32, "what": "a load balancer name"},
	{"type": "aws_lb", "attr": "name_prefix", "max": 6, "what": "a load balancer name_prefix"},
	{"type": "aws_lb_target_group", "attr": "name", "max": 32, "what": "a target group name"},
	{"type": "aws_lb_target_group", "attr": "name_prefix", "max": 6, "what": "a target group name_prefix"},
	{"type": "aws_iam_role", "attr": "name", "max": 64, "what": "an IAM role name"},
	{"type": "aws_iam_role", "attr": "name_prefix", "max": 38, "what": "an IAM role name_prefix"},
	{"type": "aws_db_instance", "attr": "identifier", "max": 63, "what": "a DB instance identifier"},
	{"type": "aws_s3_bucket", "attr": "bucket", "max": 63, "what": "an S3 bucket name"},
	{"type": "aws_iam_instance_profile", "attr": "name", "max": 128, "what": "an instance profile name"},
	{"type": "aws_cloudwatch_log_group", "attr": "name", "max": 512, "what": "a log group name"},
	{"type": "aws_wafv2_web_acl", "attr": "name", "max": 128, "what": "a web ACL name"},
]

deny contains lib.finding(r, sprintf("%s: %d characters > %d", [l.attr, count(v), l.max]), sprintf("%s %s %q has %d characters: AWS allows at most %d in %s", [r.type, l.attr, v, count(v), l.max, l.what])) if {
	some l in limits
	some r in lib.resources(l.type)
	v := object.get(r.values, l.attr, null)
	is_string(v)
	count(v) > l.max
}
