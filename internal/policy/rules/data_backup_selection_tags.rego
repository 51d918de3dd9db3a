package ec2stack.rules.backup_selection_tags

import data.ec2stack.lib
import data.ec2stack.lib_ops

metadata := {
	"id": "EC2S-533",
	"name": "backup-selection-tags",
	"severity": "MEDIUM",
	"summary": "Every AWS Backup plan has a selection, limited to what backups are for (database instances, not every tagged instance, volume and bucket), and a tag-based selection matches the tags the database instances really carry (tags_all, with provider default tags); otherwise nothing is backed up, silently.",
	"resolution": "Give the aws_backup_selection resources = [\"arn:aws:rds:*:*:db:*\"] (not \"*\"), and make its selection_tag / condition keys and values match the RDS instances' tags (or the tags the instances get).",
	"references": ["security baseline: backup selection tags match what is tagged"],
}

deny contains lib.finding(p, null, "Backup plan has no aws_backup_selection: it backs up nothing") if {
	some p in lib.resources("aws_backup_plan")
	not _selected(p)
	not _unresolved_selection
}

_selected(p) if {
	some s in lib.resources("aws_backup_selection")
	lib_ops.linked(s, ["plan_id"], p)
}

_selected(p) if {
	some s in lib.resources("aws_backup_selection")
	id := object.get(s.values, "plan_id", null)
	is_string(id)
	id == object.get(p.values, "id", "")
}

_unresolved_selection if {
	some s in lib.resources("aws_backup_selection")
	not _linked_to_some_plan(s)
}

_linked_to_some_plan(s) if {
	some p in lib.resources("aws_backup_plan")
	lib_ops.linked(s, ["plan_id"], p)
}

databases contains r if {
	some r in lib.resources("aws_db_instance")
	not lib.set(r, "replicate_source_db")
}

# A selection by tags: resources = ["*"], none, or ARN patterns of database instances, the tags narrowing it down.
by_tags(s) if {
	not lib.is_unknown(s, "resources")
	res := object.get(s.values, "resources", [])
	_all_or_none(res)
	not lib.is_unknown(s, "selection_tag")
	not lib.is_unknown(s, "condition")
}

_all_or_none(res) if "*" in res

_all_or_none(res) if count(res) == 0

_all_or_none(res) if {
	count(res) > 0
	every r in res {
		_database_pattern(r)
	}
}

_database_pattern(r) if regex.match(`^arn:aws[a-z-]*:rds:[^:]*:[^:]*:db:\*$`, r)

# "*" (or no resources) selects every resource type carrying the tags: the instances, their volumes, the log
# buckets, all backed up and paid for.
deny contains lib.finding(s, "*", "Backup selection takes every resource type carrying its tags (instances, volumes, buckets): select the database instances only (resources = [\"arn:aws:rds:*:*:db:*\"])") if {
	some s in lib.resources("aws_backup_selection")
	not lib.is_unknown(s, "resources")
	res := object.get(s.values, "resources", [])
	_every_type(res)
}

_every_type(res) if "*" in res

_every_type(res) if count(res) == 0

tag_of(key) := substring(key, count("aws:ResourceTag/"), -1) if startswith(key, "aws:ResourceTag/")

tag_of(key) := key if not startswith(key, "aws:ResourceTag/")

condition_holds(tags, "string_equals", c) if tags[tag_of(c.key)] == c.value

condition_holds(tags, "string_like", c) if glob.match(c.value, [], tags[tag_of(c.key)])

condition_holds(tags, "string_not_equals", c) if tags[tag_of(c.key)] != c.value

condition_holds(tags, "string_not_equals", c) if not tags[tag_of(c.key)]

condition_holds(tags, "string_not_like", c) if not glob.match(c.value, [], tags[tag_of(c.key)])

condition_holds(tags, "string_not_like", c) if not tags[tag_of(c.key)]

# The unmet conditions (AND) of a selection for a set of tags.
failed_conditions(s, tags) := {sprintf("%s %s=%v", [op, c.key, c.value]) |
	some cond in object.get(s.values, "condition", [])
	some op in ["string_equals", "string_like", "string_not_equals", "string_not_like"]
	some c in object.get(cond, op, [])
	not condition_holds(tags, op, c)
}

# selection_tag entries are alternatives (OR); none means no restriction.
selection_tags_hold(s, _) if count(object.get(s.values, "selection_tag", [])) == 0

selection_tags_hold(s, tags) if {
	some st in object.get(s.values, "selection_tag", [])
	st.type == "STRINGEQUALS"
	tags[st.key] == st.value
}

deny contains lib.finding(s, db.address, msg) if {
	some s in lib.resources("aws_backup_selection")
	by_tags(s)
	some db in databases
	not lib.is_unknown(db, "tags_all")
	tags := lib.tags(db)
	failed := failed_conditions(s, tags)
	_misses(s, tags, failed)
	msg := sprintf("Backup selection does not select the database %s (tags %v): unmet %v", [db.address, tags, sort(failed | _failed_selection_tags(s, tags))])
}

_misses(_, _, failed) if count(failed) > 0

_misses(s, tags, _) if not selection_tags_hold(s, tags)

_failed_selection_tags(s, tags) := {sprintf("selection_tag %s=%v", [st.key, st.value]) | some st in object.get(s.values, "selection_tag", [])} if not selection_tags_hold(s, tags)

_failed_selection_tags(s, tags) := set() if selection_tags_hold(s, tags)
