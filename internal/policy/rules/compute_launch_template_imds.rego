# Launch templates require IMDSv2 with a hop limit of 1 (containers and proxies on the host cannot reach it).
package ec2stack.rules.launch_template_imdsv2

import data.ec2stack.lib

metadata := {
	"id": "EC2S-301",
	"name": "launch-template-imdsv2",
	"severity": "HIGH",
	"summary": "Launch templates enable the instance metadata service with IMDSv2 only (http_tokens = required) and a hop limit of 1.",
	"resolution": "Set metadata_options { http_endpoint = \"enabled\", http_tokens = \"required\", http_put_response_hop_limit = 1 }.",
	"references": ["AWS-0130", "CKV_AWS_79", "CKV_AWS_341", "FSBP EC2.8", "FSBP EC2.170"],
}

# required is the metadata option and its required value.
required := {"http_tokens": "required", "http_put_response_hop_limit": 1, "http_endpoint": "enabled"}

deny contains f if {
	some lt in lib.resources("aws_launch_template")
	count(object.get(lt.values, "metadata_options", [])) == 0
	not lib.is_unknown(lt, "metadata_options")
	f := lib.finding(lt, "no metadata_options", "launch template has no metadata_options: IMDSv1 stays enabled")
}

deny contains f if {
	some lt in lib.resources("aws_launch_template")
	some i, m in object.get(lt.values, "metadata_options", [])
	some key, want in required
	not lib.is_unknown(lt, ["metadata_options", i, key])
	got := object.get(m, key, null)
	got != want
	f := lib.finding(lt, sprintf("%s = %v", [key, got]), sprintf("launch template metadata_options.%s must be %v", [key, want]))
}
