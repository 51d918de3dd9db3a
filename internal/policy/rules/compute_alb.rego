# Application load balancers drop malformed requests, log access, and cannot be deleted by accident in prod.
package ec2stack.rules.alb_settings

import data.ec2stack.lib

metadata := {
	"id": "EC2S-320",
	"name": "alb-settings",
	"severity": "HIGH",
	"summary": "Application load balancers drop invalid header fields, use desync mitigation defensive or strictest, write access logs, and have deletion protection where the environment contract asks for it.",
	"resolution": "Set drop_invalid_header_fields = true, desync_mitigation_mode = \"defensive\" (or \"strictest\"), access_logs { enabled = true }, and enable_deletion_protection = true where the contract says deletion_protection.",
	"references": ["AWS-0052", "CKV_AWS_131", "CKV_AWS_328", "CKV_AWS_91", "CKV_AWS_150", "FSBP ELB.4", "FSBP ELB.5", "FSBP ELB.6", "FSBP ELB.12"],
}

albs contains lb if {
	some lb in lib.resources("aws_lb")
	object.get(lb.values, "load_balancer_type", "application") in {"application", null}
}

deny contains f if {
	some lb in albs
	not lib.is_unknown(lb, "drop_invalid_header_fields")
	not lib.truthy(object.get(lb.values, "drop_invalid_header_fields", false))
	f := lib.finding(lb, "drop_invalid_header_fields = false", "ALB forwards requests with invalid header fields")
}

deny contains f if {
	some lb in albs
	not lib.is_unknown(lb, "desync_mitigation_mode")
	m := object.get(lb.values, "desync_mitigation_mode", null)
	not m in {"defensive", "strictest"}
	f := lib.finding(lb, sprintf("desync_mitigation_mode = %v", [m]), "ALB desync mitigation must be defensive or strictest")
}

deny contains f if {
	some lb in albs
	not lib.is_unknown(lb, "access_logs")
	not lib.is_unknown(lb, ["access_logs", 0, "enabled"])
	not lib.truthy(object.get(lb.values, ["access_logs", 0, "enabled"], false))
	f := lib.finding(lb, "access_logs disabled", "ALB access logs are off")
}

deny contains f if {
	lib.contract.deletion_protection
	some lb in albs
	not lib.is_unknown(lb, "enable_deletion_protection")
	not lib.truthy(object.get(lb.values, "enable_deletion_protection", false))
	f := lib.finding(lb, "enable_deletion_protection = false", sprintf("%s ALB has no deletion protection (the contract asks for it)", [lib.environment]))
}
