package policy

// InputRule is the one rule that is not Rego: Terraform's own validation of
// every input variable. When an input breaks its validation rule there is no
// plan to evaluate, and `ec2stack check` reports each invalid value under it.
var InputRule = Rule{
	ID:         "EC2S-001",
	Name:       "input-validation",
	Severity:   "HIGH",
	Summary:    "Every input value passes its variable's validation rule (CIDR shapes, ranges and limits AWS would refuse, allowed values, no SSH from the internet, ...).",
	Resolution: "Change the value named in the finding as its message says; the rules are in the modules' variables.tf.",
	References: []string{"AWS-0107", "CKV_AWS_24", "CIS AWS 5.2"},
}
