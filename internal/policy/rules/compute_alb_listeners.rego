# Listeners serve HTTPS with TLS 1.3/1.2 only; plain HTTP only redirects to HTTPS.
package ec2stack.rules.alb_listeners

import data.ec2stack.lib

metadata := {
	"id": "EC2S-322",
	"name": "alb-listener-https",
	"severity": "CRITICAL",
	"summary": "HTTP listeners only redirect (HTTP_301) to HTTPS; HTTPS listeners use ssl_policy ELBSecurityPolicy-TLS13-1-2-2021-06.",
	"resolution": "Give the HTTP listener a single redirect default_action { protocol = \"HTTPS\", port = \"443\", status_code = \"HTTP_301\" } and set ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\" on HTTPS listeners (not the Ext1/Ext2 variants).",
	"references": ["AWS-0054", "AWS-0047", "CKV_AWS_2", "CKV_AWS_103", "CKV2_AWS_20", "CKV2_AWS_74", "FSBP ELB.1", "FSBP ELB.17"],
}

tls_policy := "ELBSecurityPolicy-TLS13-1-2-2021-06"

redirects_to_https(a) if {
	a.type == "redirect"
	r := a.redirect[0]
	r.protocol == "HTTPS"
	r.status_code == "HTTP_301"
}

deny contains f if {
	some l in lib.resources("aws_lb_listener")
	object.get(l.values, "protocol", null) == "HTTP"
	some i, a in object.get(l.values, "default_action", [])
	not redirects_to_https(a)
	f := lib.finding(l, sprintf("port %v default_action[%d] %v", [l.values.port, i, a.type]), "HTTP listener serves plain HTTP instead of redirecting (301) to HTTPS")
}

deny contains f if {
	some l in lib.resources("aws_lb_listener")
	object.get(l.values, "protocol", null) == "HTTPS"
	not lib.is_unknown(l, "ssl_policy")
	p := object.get(l.values, "ssl_policy", null)
	p != tls_policy
	f := lib.finding(l, sprintf("ssl_policy = %v", [p]), sprintf("HTTPS listener must use %s", [tls_policy]))
}
