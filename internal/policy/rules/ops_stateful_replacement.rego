# Upgrade safety: a plan never replaces or deletes a resource that holds data or that everything else is built on
# (the database, KMS keys, S3 buckets, the backup vault, log groups, the VPC and its subnets, the hosted zone)
# unless an accepted exception in policy/exceptions.yaml names it. A replacement of one of them loses its data
# (a new database, a key whose ciphertexts are unreadable, a bucket emptied by force_destroy), or changes what
# others point at (new subnets move every instance and the database, a new zone has new name servers).
package ec2stack.rules.stateful_replacement

import data.ec2stack.lib

metadata := {
	"id": "EC2S-706",
	"name": "stateful-replacement",
	"severity": "CRITICAL",
	"summary": "A plan does not replace or delete a stateful resource (database, KMS key, S3 bucket, backup vault, log group, VPC, subnet, hosted zone).",
	"resolution": "Change the configuration so the resource is updated in place (see the attributes the message names), move it with a `moved` block, or, when the loss is intended, add an exception naming its address with the reason and the migration plan.",
	"references": ["terraform lifecycle prevent_destroy", "terraform moved blocks"],
	"judges": "changes",
}

# What each stateful type holds: the message says what a replacement loses.
stateful := {
	"aws_db_instance": "the database and its automated backups",
	"aws_db_instance_automated_backups_replication": "the database's backups replicated to the DR region",
	"aws_kms_key": "the key: whatever it encrypted becomes unreadable once it is deleted",
	"aws_s3_bucket": "the bucket's objects (logs, state)",
	"aws_dynamodb_table": "the table's items",
	"aws_backup_vault": "the vault's recovery points",
	"aws_cloudwatch_log_group": "the group's log events",
	"aws_vpc": "the network every resource of the environment lives in",
	"aws_subnet": "the subnet the instances, load balancer and database live in",
	"aws_route53_zone": "the hosted zone and its name servers (delegations point at them)",
	"aws_ebs_volume": "the volume's data",
	"aws_efs_file_system": "the file system's data",
}

deny contains lib.finding(r, action, sprintf("plan would %s %s, which holds %s%s", [action, rc.type, stateful[rc.type], _why(rc)])) if {
	some rc in input.resource_changes
	rc.mode == "managed"
	stateful[rc.type]
	"delete" in rc.change.actions

	# Terraform taints an object whose create failed or was interrupted (or that someone tainted on purpose):
	# replacing it is the recovery, and an object that never finished creating holds no data.
	object.get(rc, "action_reason", "") != "replace_because_tainted"
	action := _action(rc.change.actions)
	r := {"address": rc.address}
}

_action(actions) := "delete" if actions == ["delete"]

_action(actions) := "replace" if count(actions) == 2

# _why names the attributes that force the replacement, or why the resource is deleted.
_why(rc) := sprintf(" (forced by a change of %s)", [concat(", ", paths)]) if {
	paths := [concat(".", [sprintf("%v", [p]) | some p in path]) | some path in object.get(rc.change, "replace_paths", [])]
	count(paths) > 0
} else := sprintf(" (%s)", [_reasons[rc.action_reason]]) if {
	_reasons[rc.action_reason]
} else := ""

_reasons := {
	"replace_by_request": "-replace asked for it",
	"replace_by_triggers": "replace_triggered_by fired",
	"delete_because_no_resource_config": "its block was removed from the configuration",
	"delete_because_no_module": "its module was removed",
	"delete_because_count_index": "its count index is gone",
	"delete_because_each_key": "its for_each key is gone",
	"delete_because_wrong_repetition": "it changed between count and for_each",
}
