# Application load balancers are protected by a WAFv2 web ACL.
package ec2stack.rules.alb_waf

import data.ec2stack.lib

metadata := {
	"id": "EC2S-321",
	"name": "alb-waf",
	"severity": "HIGH",
	"summary": "Every application load balancer has an aws_wafv2_web_acl_association.",
	"resolution": "Associate a REGIONAL WAFv2 web ACL (resource_arn = the ALB's arn), or keep the ALB internal behind CloudFront with WAF; environments without WAF need an exception.",
	"references": ["CKV2_AWS_28", "CKV2_AWS_76", "AWS-0053", "FSBP WAF.10", "FSBP ELB.16"],
}

protected(lb) if {
	some a in lib.resources("aws_wafv2_web_acl_association")
	lib.refers_to(a, "resource_arn", lb)
}

# A known resource_arn equal to the ALB's known arn (imported or existing ALBs).
protected(lb) if {
	some a in lib.resources("aws_wafv2_web_acl_association")
	arn := object.get(lb.values, "arn", null)
	arn != null
	a.values.resource_arn == arn
}

deny contains f if {
	some lb in lib.resources("aws_lb")
	object.get(lb.values, "load_balancer_type", "application") in {"application", null}
	not protected(lb)
	f := lib.finding(lb, "no aws_wafv2_web_acl_association", "ALB has no WAFv2 web ACL")
}
