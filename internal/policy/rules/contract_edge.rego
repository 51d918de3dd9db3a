# The edge (CloudFront, its WAF, DNS and certificates) exists exactly where the environment contract says edge.
package ec2stack.rules.contract_edge

import data.ec2stack.lib

metadata := {
	"id": "EC2S-805",
	"name": "contract-edge",
	"severity": "HIGH",
	"summary": "Where the environment contract says edge there is a CloudFront distribution with a CLOUDFRONT-scope WAF web ACL, an ACM certificate and Route 53 records; where it does not, none of them.",
	"resolution": "Set enable_cloudfront, enable_waf and domain_name in the environment root as the contract requires (or change the contract, in review).",
	"references": ["environment contract"],
}

edge_types := ["aws_cloudfront_distribution", "aws_acm_certificate", "aws_route53_record"]

cloudfront_acls := {r | some r in lib.resources("aws_wafv2_web_acl"); r.values.scope == "CLOUDFRONT"}

deny contains {"address": t, "value": "none planned", "message": sprintf("%s has an edge (edge = true): no %s", [lib.environment, t])} if {
	lib.contract.edge
	some t in edge_types
	count(lib.resources(t)) == 0
}

deny contains {"address": "aws_wafv2_web_acl", "value": "no CLOUDFRONT scope", "message": sprintf("%s has an edge (edge = true): no CloudFront web ACL", [lib.environment])} if {
	lib.contract.edge
	count(cloudfront_acls) == 0
}

deny contains lib.finding(r, r.type, sprintf("%s has no edge (edge = false)", [lib.environment])) if {
	not lib.contract.edge
	some t in array.concat(edge_types, ["aws_route53_zone", "aws_wafv2_web_acl"])
	some r in lib.resources(t)
}
