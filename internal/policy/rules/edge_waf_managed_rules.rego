package ec2stack.rules.waf_managed_rules

import data.ec2stack.lib

metadata := {
	"id": "EC2S-610",
	"name": "waf-managed-rules",
	"severity": "MEDIUM",
	"summary": "Every WAFv2 web ACL uses the AWS managed groups AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet (Log4j, blocking: never count mode) and AWSManagedRulesAmazonIpReputationList, plus a blocking rate-based rule.",
	"resolution": "Add the missing managed_rule_group_statement rules with override_action { none {} } (no count overrides of the Log4j rules), and a rule with a rate_based_statement and action { block {} }.",
	"references": ["CKV_AWS_192", "CKV_AWS_175", "CKV_AWS_342", "CKV2_AWS_47", "FSBP WAF.10"],
}

required_groups := {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}

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
	some name in required_groups
	not name in {g.name | some [_, g] in group_rules(acl)}
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
	not _blocking_rate_rule(acl)
}

_blocking_rate_rule(acl) if {
	some rule in object.get(acl.values, "rule", [])
	some st in object.get(rule, "statement", [])
	count(object.get(st, "rate_based_statement", [])) > 0
	some a in object.get(rule, "action", [])
	count(object.get(a, "block", [])) > 0
}
