# Helpers shared by the rules. input is a plan as printed by `terraform show -json PLANFILE`.
package ec2stack.lib

# The environment the plan is for: every environment root outputs it.
environment := input.planned_values.outputs.environment.value

# contract is what the environment contract (policy/contract.yaml) requires of the plan's environment; the engine
# refuses plans of environments the contract does not define.
contract := data.contract.environments[environment]

# resources(t) is every managed resource of type t that exists after the plan is applied, as
# {address, type, name, index, module, values, unknown}: values are the planned attribute values
# (null where unknown until apply), unknown mirrors them with true where the value is unknown.
resources(t) := object.get(by_type, t, set())

# by_type is those resources grouped by type, in one pass over the plan: the rules ask for some 75 types, and a
# function passing over every resource change for each of them took most of the evaluation.
by_type[rc.type] contains r if {
	some rc in input.resource_changes
	rc.mode == "managed"
	rc.change.actions != ["delete"]
	r := {
		"address": rc.address,
		"type": rc.type,
		"name": rc.name,
		"index": object.get(rc, "index", null),
		"module": object.get(rc, "module_address", ""),
		"values": rc.change.after,
		"unknown": object.get(rc.change, "after_unknown", {}),
	}
}

# config_blocks is every resource and data block of the configuration as [module call names, block], through
# three levels of module calls (the roots call stack, which calls the leaf modules); walking the whole
# configuration instead, expressions and all, costs a tenth of the evaluation.
config_blocks contains [[], c] if some c in object.get(input.configuration.root_module, "resources", [])

config_blocks contains [[a], c] if {
	some a, m in object.get(input.configuration.root_module, "module_calls", {})
	some c in object.get(m.module, "resources", [])
}

config_blocks contains [[a, b], c] if {
	some a, m in object.get(input.configuration.root_module, "module_calls", {})
	some b, n in object.get(m.module, "module_calls", {})
	some c in object.get(n.module, "resources", [])
}

config_blocks contains [[a, b, d], c] if {
	some a, m in object.get(input.configuration.root_module, "module_calls", {})
	some b, n in object.get(m.module, "module_calls", {})
	some d, o in object.get(n.module, "module_calls", {})
	some c in object.get(o.module, "resources", [])
}

# is_unknown(r, path): the attribute at path (a key or an array of keys/indexes) is only known after apply.
is_unknown(r, path) if object.get(r.unknown, path, false) == true

# set(r, path): the attribute is known and not null/empty, or unknown (it will be set by apply).
set(r, path) if {
	v := object.get(r.values, path, null)
	v != null
	v != ""
	v != []
}

set(r, path) if is_unknown(r, path)

# module_config(address) is the configuration block of the module at a module address
# ("" for the root module; indexes such as module.x["a"] are ignored).
module_config(address) := input.configuration.root_module if address == ""

module_config(address) := m if {
	address != ""
	names := split(regex.replace(trim_prefix(address, "module."), `\[[^\]]*\]`, ""), ".module.")
	path := [step | some name in names; some step in ["module_calls", name, "module"]]
	m := object.get(input.configuration.root_module, path, null)
	m != null
}

# config(r) is the configuration of a planned resource (its expressions and their references).
config(r) := c if {
	some c in module_config(r.module).resources
	c.mode == "managed"
	c.address == sprintf("%s.%s", [r.type, r.name])
}

# references(r, attr) is the list of references of an attribute's expression ([] when none).
references(r, attr) := object.get(config(r), ["expressions", attr, "references"], [])

# tags(r) is every tag the resource gets, provider default_tags included.
tags(r) := object.get(r.values, "tags_all", object.get(r.values, "tags", {})) if object.get(r.values, "tags_all", null) != null

tags(r) := object.get(r.values, "tags", {}) if object.get(r.values, "tags_all", null) == null

# open_cidr(c): the CIDR is the whole IPv4 or IPv6 internet.
open_cidr(c) if c in {"0.0.0.0/0", "::/0"}

# covers_port(from, to, p): the port range from..to includes p (-1/-1 or 0/0 with protocol -1 means all).
covers_port(from, to, p) if {
	from <= p
	p <= to
}

covers_port(from, to, _) if {
	from == -1
	to == -1
}

# finding builds one finding: the resource address, the offending value, and what is wrong.
finding(r, value, message) := {"address": r.address, "value": value, "message": message}

# --- added for the network/compute/IAM rules -------------------------------------------------------------

# truthy(v): true, or the string "true" (the provider plans some booleans as strings, e.g. ebs.encrypted).
truthy(v) if v == true

truthy(v) if v == "true"

# local_name(r) is the resource's address inside its module without index ("aws_lb.this").
local_name(r) := sprintf("%s.%s", [r.type, r.name])

# ref_to(ref, name): a configuration reference points at name or into it ("aws_lb.this", "aws_lb.this.arn",
# "aws_nat_gateway.this[\"a\"]" all point at "aws_lb.this" / "aws_nat_gateway.this").
ref_to(ref, name) if ref == name

ref_to(ref, name) if startswith(ref, concat("", [name, "."]))

ref_to(ref, name) if startswith(ref, concat("", [name, "["]))

# strip_index(address) removes instance keys from a module address ("module.a[0].module.b" -> "module.a.module.b").
strip_index(address) := regex.replace(address, `\[[^\]]*\]`, "")

# refers_to(r, attr, target): r's attribute attr references the resource target, either in the same module,
# or through an input variable of r's module that its caller feeds from an output of target's module
# (sibling modules of one composition, e.g. module.edge's var.alb_arn = module.compute.alb_arn = aws_lb.this.arn).
refers_to(r, attr, target) if {
	strip_index(r.module) == strip_index(target.module)
	some ref in references(r, attr)
	ref_to(ref, local_name(target))
}

refers_to(r, attr, target) if {
	some ref in references(r, attr)
	startswith(ref, "var.")
	variable := split(ref, ".")[1]
	parts := split(strip_index(r.module), ".")
	n := count(parts)
	n >= 2
	parent := concat(".", array.slice(parts, 0, n - 2))
	call := module_config(parent).module_calls[parts[n - 1]]
	some pref in object.get(call, ["expressions", variable, "references"], [])
	pparts := split(pref, ".")
	count(pparts) >= 3
	pparts[0] == "module"
	child := trim_prefix(concat(".", [parent, "module", pparts[1]]), ".")
	child == strip_index(target.module)
	some oref in object.get(module_config(child), ["outputs", pparts[2], "expression", "references"], [])
	ref_to(oref, local_name(target))
}
