# User data is readable by anyone who can describe the instance or reach IMDS: it must hold no secrets.
package ec2stack.rules.user_data_no_secrets

import data.ec2stack.lib

metadata := {
	"id": "EC2S-305",
	"name": "user-data-no-secrets",
	"severity": "CRITICAL",
	"summary": "Launch template user data contains no credentials (AWS keys, secret keys, literal passwords or private keys).",
	"resolution": "Read secrets at boot from Secrets Manager or SSM Parameter Store through the instance role.",
	"references": ["AWS-0129", "CKV_AWS_46"],
}

# patterns: what each secret looks like. A password assignment counts only with a literal value (not $VAR or
# a command substitution).
patterns := {
	"AWS access key id": `(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}`,
	"AWS secret access key": `(?i)aws_secret_access_key\s*[:=]`,
	"literal password": `(?i)(password|passwd|pwd)\s*[:=]\s*['"]?[^\s'"$\x60(]{3,}`,
	"private key": `-----BEGIN ([A-Z]+ )?PRIVATE KEY-----`,
}

user_data(lt) := base64.decode(lt.values.user_data) if {
	is_string(lt.values.user_data)
	base64.is_valid(lt.values.user_data)
} else := lt.values.user_data if is_string(lt.values.user_data)

deny contains f if {
	some lt in lib.resources("aws_launch_template")
	text := user_data(lt)
	some what, pattern in patterns
	regex.match(pattern, text)
	f := lib.finding(lt, what, sprintf("user data contains a secret (%s)", [what]))
}
