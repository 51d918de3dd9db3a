# Helpers of the AWS limits rules (EC2S-91x): which resource instance an argument points at when its value is only
# known after apply, data sources read at plan time, and the region a resource is created in.
package ec2stack.lib.limits

import data.ec2stack.lib
import data.ec2stack.lib_ops

# --- data sources -----------------------------------------------------------------------------------------

# data_sources(t) is every data source of type t the plan knows of, as {address, type, name, index, module, mode,
# values}: read during plan (prior_state) or deferred to apply (resource_changes, values mostly unknown).
data_sources(t) := {d |
	walk(object.get(input, ["prior_state", "values", "root_module"], {}), [_, v])
	is_object(v)
	object.get(v, "mode", "") == "data"
	object.get(v, "type", "") == t
	is_string(object.get(v, "address", null))
	d := {
		"address": v.address,
		"type": t,
		"name": v.name,
		"index": object.get(v, "index", null),
		"module": data_module(v.address),
		"mode": "data",
		"values": object.get(v, "values", {}),
	}
} | {d |
	some rc in input.resource_changes
	rc.mode == "data"
	rc.type == t
	d := {
		"address": rc.address,
		"type": t,
		"name": rc.name,
		"index": object.get(rc, "index", null),
		"module": object.get(rc, "module_address", ""),
		"mode": "data",
		"values": object.get(rc.change, "after", {}),
	}
}

# data_module(address) is the module address of a data source's address ("" in the root module).
data_module(address) := "" if startswith(address, "data.")

data_module(address) := split(address, ".data.")[0] if not startswith(address, "data.")

# data_config(d) is the configuration of a data source (its expressions).
data_config(d) := c if {
	some c in lib.module_config(d.module).resources
	c.mode == "data"
	c.address == sprintf("data.%s.%s", [d.type, d.name])
}

# --- what an argument points at ---------------------------------------------------------------------------

# base(t) is how the configuration names a resource or data source: "aws_lb.this", "data.aws_ami.this".
base(t) := sprintf("data.%s.%s", [t.type, t.name]) if object.get(t, "mode", "managed") == "data"

base(t) := sprintf("%s.%s", [t.type, t.name]) if object.get(t, "mode", "managed") != "data"

# points_at(src, path, t): the expression at path of src's configuration (a list of keys and block indexes, e.g.
# ["security_group_id"] or ["origin", 0, "domain_name"]) refers to the instance t: in src's module, through an input
# variable of src's module that its caller feeds from an output of t's module, or through an output of a child
# module of src's module. A reference without an instance key (aws_network_acl.this, with each.value.tier choosing
# the instance) points at every instance of t; owner() below narrows that down.
points_at(src, path, t) if {
	lib.strip_index(src.module) == lib.strip_index(t.module)
	refs_point_at(lib_ops.expr_references(src, path), t, src)
}

points_at(src, path, t) if {
	some ref in lib_ops.expr_references(src, path)
	startswith(ref, "var.")
	variable := split(ref, ".")[1]
	parts := split(lib.strip_index(src.module), ".")
	n := count(parts)
	n >= 2
	parent := concat(".", array.slice(parts, 0, n - 2))
	call := lib.module_config(parent).module_calls[parts[n - 1]]
	some pref in object.get(call, ["expressions", variable, "references"], [])
	output_points_at(parent, pref, t)
}

points_at(src, path, t) if {
	some ref in lib_ops.expr_references(src, path)
	output_points_at(lib.strip_index(src.module), ref, t)
}

# output_points_at(module, ref, t): ref ("module.child.output") is an output of a child of module that refers to t.
output_points_at(module, ref, t) if {
	parts := split(ref, ".")
	count(parts) >= 3
	parts[0] == "module"
	child := trim_prefix(concat(".", [module, "module", regex.replace(parts[1], `\[.*$`, "")]), ".")
	child == lib.strip_index(t.module)
	refs_point_at(object.get(lib.module_config(child), ["outputs", parts[2], "expression", "references"], []), t, null)
}

# refs_point_at(refs, t, src): a list of references of one expression names the instance t. An indexed reference
# names one instance; a bare one names the instance of the same key when it iterates with each.key/count.index,
# and every instance otherwise.
refs_point_at(refs, t, _) if {
	some ref in refs
	startswith(ref, sprintf("%s[%s]", [base(t), json.marshal(t.index)]))
}

refs_point_at(refs, t, src) if {
	not indexed(refs, base(t))
	some ref in refs
	bare(ref, base(t))
	same_instance(refs, t, src)
}

indexed(refs, b) if {
	some ref in refs
	startswith(ref, concat("", [b, "["]))
}

bare(ref, b) if ref == b

bare(ref, b) if startswith(ref, concat("", [b, "."]))

same_instance(_, t, _) if t.index == null

same_instance(refs, t, src) if {
	t.index != null
	by_key(refs)
	src != null
	src.index == t.index
}

same_instance(refs, t, _) if {
	t.index != null
	not by_key(refs)
}

by_key(refs) if {
	some ref in refs
	ref in {"each.key", "count.index"}
}

# owner(src, attr, types) is the resource instance (of one of types) that src attaches to through its argument attr
# (a security group rule's security_group_id, a NACL rule's network_acl_id), as {key, name, n}: key groups the
# rules of one owner, name is the owner's address (or the id, for an owner that the plan does not create), n is how
# many owners the key stands for. By the known id; else by the configuration's references; when those name several
# instances (a for_each resource picked by each.value), the instance whose key starts the rule's key ("public" for
# "public-in-http"); else all of them together (n of them).
owner(src, attr, types) := o if {
	v := object.get(src.values, attr, null)
	is_string(v)
	v != ""
	some t in types
	some x in lib.resources(t)
	object.get(x.values, "id", null) == v
	o := {"key": x.address, "name": x.address, "n": 1}
} else := o if {
	v := object.get(src.values, attr, null)
	is_string(v)
	v != ""
	o := {"key": v, "name": v, "n": 1}
} else := o if {
	xs := candidates(src, attr, types)
	count(xs) == 1
	some x in xs
	o := {"key": x.address, "name": x.address, "n": 1}
} else := o if {
	x := key_owner(src, candidates(src, attr, types))
	o := {"key": x.address, "name": x.address, "n": 1}
} else := o if {
	xs := candidates(src, attr, types)
	count(xs) > 1
	names := sort({resource_address(x) | some x in xs})
	o := {"key": concat(" ", names), "name": concat(" ", names), "n": count(xs)}
}

candidates(src, attr, types) := {x | some t in types; some x in lib.resources(t); points_at(src, [attr], x)}

# key_owner(src, xs): the one instance of xs whose string key, followed by a separator, starts src's key
# (the longest such key wins).
key_owner(src, xs) := x if {
	is_string(src.index)
	hits := {y | some y in xs; key_prefix(src.index, y.index)}
	longest := max({count(y.index) | some y in hits})
	winners := {y | some y in hits; count(y.index) == longest}
	count(winners) == 1
	some x in winners
}

key_prefix(key, prefix) if {
	is_string(prefix)
	some sep in ["-", "_", ".", "/", ":"]
	startswith(key, concat("", [prefix, sep]))
}

# resource_address(x) is the address of a resource without its instance key.
resource_address(x) := trim_prefix(sprintf("%s.%s", [x.module, base(x)]), ".")

# --- regions ------------------------------------------------------------------------------------------------

# region(r) is the region a planned resource is created in: its own region argument when the provider has one and
# it is known; else the region of its provider configuration, a constant or a variable of the root module (read
# from the plan's variables). Undefined when the plan cannot tell (no region in the provider block, a local, ...).
region(r) := v if {
	v := object.get(r.values, "region", null)
	is_string(v)
	v != ""
} else := v if {
	v := provider_region(object.get(resource_config(r), "provider_config_key", "aws"))
}

resource_config(r) := c if {
	object.get(r, "mode", "managed") == "managed"
	c := lib.config(r)
} else := c if {
	object.get(r, "mode", "managed") == "data"
	c := data_config(r)
} else := {}

# provider_region(key) is the region of the provider configuration key ("aws", "aws.us_east_1") of the plan's
# configuration, when it is a constant or a root variable.
provider_region(key) := v if {
	v := input.configuration.provider_config[key].expressions.region.constant_value
	is_string(v)
} else := v if {
	not contains(key, ":")
	refs := input.configuration.provider_config[key].expressions.region.references
	some ref in refs
	startswith(ref, "var.")
	v := input.variables[split(ref, ".")[1]].value
	is_string(v)
	v != ""
}

# provider_label(r) names the provider configuration of r for messages: "aws.us_east_1 (us-east-1)",
# "aws (var.region = eu-west-1)".
provider_label(r) := sprintf("its own region argument (%s)", [r.values.region]) if {
	is_string(object.get(r.values, "region", null))
	r.values.region != ""
} else := sprintf("provider %s (%s)", [key, how]) if {
	key := object.get(resource_config(r), "provider_config_key", "aws")
	how := region_source(key)
}

region_source(key) := sprintf("region = %q", [v]) if {
	v := input.configuration.provider_config[key].expressions.region.constant_value
} else := sprintf("var.%s = %q", [name, input.variables[name].value]) if {
	some ref in input.configuration.provider_config[key].expressions.region.references
	startswith(ref, "var.")
	name := split(ref, ".")[1]
} else := "region unknown"

# arn_region(arn) is the region part of a known ARN ("" for global ARNs).
arn_region(arn) := split(arn, ":")[3] if {
	is_string(arn)
	startswith(arn, "arn:")
	count(split(arn, ":")) >= 6
}
