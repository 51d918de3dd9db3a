# SSH and RDP are never open to the internet; where the environment contract says ssh: none (prod) there is no SSH
# ingress at all (access is SSM Session Manager).
package ec2stack.rules.security_group_admin_ports

import data.ec2stack.lib
import data.ec2stack.lib.sg

metadata := {
	"id": "EC2S-202",
	"name": "security-group-admin-ports",
	"severity": "CRITICAL",
	"summary": "No security group ingress allows SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0; where the environment contract says access.ssh = none, no SSH ingress exists at all.",
	"resolution": "Use SSM Session Manager; allow SSH only from the listed authorized CIDRs (ssh_authorized_cidrs) where the contract says restricted, and from nowhere where it says none.",
	"references": ["AWS-0107", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_277", "CIS AWS 5.2", "CIS AWS 5.3", "FSBP EC2.13", "FSBP EC2.14", "FSBP EC2.53", "FSBP EC2.54"],
}

admin_ports := {22: "SSH", 3389: "RDP"}

deny contains f if {
	some x in sg.rules
	x.direction == "ingress"
	some c in x.cidrs
	lib.open_cidr(c)
	some port, service in admin_ports
	sg.covers(x, port)
	f := {
		"address": x.address,
		"value": sprintf("%s port %d%s", [c, port, sg.where(x)]),
		"message": sprintf("security group ingress allows %s (%d) from the internet", [service, port]),
	}
}

deny contains f if {
	lib.contract.access.ssh == "none"
	some x in sg.rules
	x.direction == "ingress"
	sg.covers(x, 22)
	f := {
		"address": x.address,
		"value": sprintf("port 22 from %s%s", [concat(", ", sources(x)), sg.where(x)]),
		"message": sprintf("%s allows no SSH ingress from any source (access.ssh = none): use SSM Session Manager", [lib.environment]),
	}
}

sources(x) := x.cidrs if count(x.cidrs) > 0

sources(x) := ["a security group or prefix list"] if count(x.cidrs) == 0
