package ec2stack.rules.rds_tls_only

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-507",
	"name": "rds-tls-only",
	"severity": "MEDIUM",
	"summary": "RDS instances use a parameter group of ours that refuses unencrypted connections (postgres rds.force_ssl = 1, mysql/mariadb require_secure_transport = ON).",
	"resolution": "Give the instance an aws_db_parameter_group with parameter rds.force_ssl = 1 (postgres) or require_secure_transport = ON (mysql, mariadb) and set parameter_group_name to it.",
	"references": ["CKV2_AWS_69", "FSBP RDS.36"],
}

# The parameter each engine family needs, and the values that turn it on.
tls_parameter(family) := {"name": "rds.force_ssl", "values": {"1"}} if startswith(family, "postgres")

tls_parameter(family) := {"name": "require_secure_transport", "values": {"ON", "on", "1", "TRUE", "true"}} if {
	some prefix in {"mysql", "mariadb"}
	startswith(family, prefix)
}

group_of(r, pg) if {
	name := object.get(r.values, "parameter_group_name", null)
	is_string(name)
	name == object.get(pg.values, "name", null)
}

group_of(r, pg) if lib_ops.linked(r, ["parameter_group_name"], pg)

# The instance uses the engine's default group (or none is set at all).
deny contains lib.finding(r, v, sprintf("RDS instance uses the default parameter group %v, which accepts unencrypted connections", [v])) if {
	some r in lib.resources("aws_db_instance")
	not lib.is_unknown(r, "parameter_group_name")
	v := object.get(r.values, "parameter_group_name", null)
	_default_group(v)
	tls_parameter(object.get(r.values, "engine", ""))
}

_default_group(v) if v == null

_default_group(v) if v == ""

_default_group(v) if startswith(v, "default.")

deny contains lib.finding(r, v, msg) if {
	some r in lib.resources("aws_db_instance")
	some pg in lib.resources("aws_db_parameter_group")
	group_of(r, pg)
	not lib.is_unknown(pg, "parameter")
	family := object.get(pg.values, "family", object.get(r.values, "engine", ""))
	p := tls_parameter(family)
	v := _setting(pg, p.name)
	not v in p.values
	msg := sprintf("RDS parameter group %s does not force TLS: %s is %v, must be one of %v", [pg.address, p.name, v, sort(p.values)])
}

_setting(pg, name) := v if {
	some p in object.get(pg.values, "parameter", [])
	p.name == name
	v := p.value
} else := null
