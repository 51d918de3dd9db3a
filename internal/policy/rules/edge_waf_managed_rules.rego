package ec2stack.rules.waf_managed_rules

import data.ec2stack.lib

metadata := {
	"id": "EC2S-610",
	"name": "waf-managed-rules",
	"severity": "MEDIUM",
	"summary": "Every WAFv2 web ACL uses the AWS managed groups AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet (Log4j, blocking: never count mode); an ACL that sees the clients' addresses (CLOUDFRONT scope, or REGIONAL without CloudFront in front) also AWSManagedRulesAmazonIpReputationList and a blocking rate-based rule, and a REGIONAL ACL behind CloudFront neither (they would judge CloudFront's addresses).",
	"resolution": "Add the missing managed_rule_group_statement rules with override_action { none {} } (no count overrides of the Log4j rules), and where the ACL sees clients a rule with a rate_based_statement and action { block {} }; behind CloudFront put those two on the CLOUDFRONT ACL only.",
	"references": ["CKV_AWS_192", "CKV_AWS_175", "CKV_AWS_342", "CKV2_AWS_47", "FSBP WAF.10"],
}

required_groups := {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}

# The group that judges the source address, like a rate-based rule keyed on IP.
source_address_group := "AWSManagedRulesAmazonIpReputationList"

# A REGIONAL ACL in a plan with a CloudFront distribution sits behind it: it sees CloudFront's addresses.
behind_cloudfront(acl) if {
	object.get(acl.values, "scope", "") == "REGIONAL"
	count(lib.resources("aws_cloudfront_distribution")) > 0
}

required(acl) := required_groups - {source_address_group} if behind_cloudfront(acl)

required(acl) := required_groups if not behind_cloudfront(acl)

# group_rules(acl) is every {rule, group} of the ACL whose statement is an AWS managed rule group.
group_rules(acl) := [[rule, g] |
	some rule in object.get(acl.values, "rule", [])
	some st in object.get(rule, "statement", [])
	some g in object.get(st, "managed_rule_group_statement", [])
	object.get(g, "vendor_name", "AWS") == "AWS"
]

# Rules written as rule_json (or unknown rules) cannot be read: no finding from them.
readable(acl) if {
	not lib.is_unknown(acl, "rule")
	not lib.set(acl, "rule_json")
}

deny contains lib.finding(acl, name, sprintf("WAF web ACL does not use the AWS managed rule group %s", [name])) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	readable(acl)
	some name in required(acl)
	not name in {g.name | some [_, g] in group_rules(acl)}
}

deny contains lib.finding(acl, g.name, sprintf("WAF rule %v behind CloudFront runs %s, which judges CloudFront's addresses, not the clients'", [rule.name, g.name])) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	behind_cloudfront(acl)
	some [rule, g] in group_rules(acl)
	g.name == source_address_group
}

deny contains lib.finding(acl, rule.name, sprintf("WAF rule %v behind CloudFront is rate-based on the source address: it counts CloudFront's addresses, not the clients'", [rule.name])) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	behind_cloudfront(acl)
	some rule in object.get(acl.values, "rule", [])
	some st in object.get(rule, "statement", [])
	some rb in object.get(st, "rate_based_statement", [])
	object.get(rb, "aggregate_key_type", "IP") == "IP"
}

deny contains lib.finding(acl, g.name, sprintf("WAF rule %v runs the managed group %s in count mode: it only logs, never blocks", [rule.name, g.name])) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	some [rule, g] in group_rules(acl)
	g.name in required_groups
	some o in object.get(rule, "override_action", [])
	count(object.get(o, "count", [])) > 0
}

deny contains lib.finding(acl, sprintf("%s/%v", [g.name, ov.name]), sprintf("WAF rule %v overrides %v of %s to count: Log4j and other known bad inputs would only be logged", [rule.name, ov.name, g.name])) if {
	some acl in lib.resources("aws_wafv2_web_acl")
	some [rule, g] in group_rules(acl)
	g.name == "AWSManagedRulesKnownBadInputsRuleSet"
	some ov in object.get(g, "rule_action_override", [])
	some a in object.get(ov, "action_to_use", [])
	count(object.get(a, "count", [])) > 0
}

deny contains lib.finding(acl, null, "WAF web ACL has no blocking rate-based rule (rate_based_statement with action block)") if {
	some acl in lib.resources("aws_wafv2_web_acl")
	readable(acl)
	not behind_cloudfront(acl)
	not _blocking_rate_rule(acl)
}

_blocking_rate_rule(acl) if {
	some rule in object.get(acl.values, "rule", [])
	some st in object.get(rule, "statement", [])
	count(object.get(st, "rate_based_statement", [])) > 0
	some a in object.get(rule, "action", [])
	count(object.get(a, "block", [])) > 0
}
