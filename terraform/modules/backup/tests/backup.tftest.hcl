# Plan-level tests of the backup module, offline with mocked AWS providers (primary and DR region).
# Run: terraform init -backend=false && terraform test (in terraform/modules/backup).

mock_provider "aws" {
  override_during = plan

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_backup_vault" {
    defaults = { arn = "arn:aws:backup:us-east-1:123456789012:backup-vault:ec2stack-test-vault" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
}

mock_provider "aws" {
  alias           = "dr"
  override_during = plan

  mock_data "aws_region" {
    defaults = { name = "us-west-2" }
  }
  mock_resource "aws_backup_vault" {
    defaults = { arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:ec2stack-test-dr-vault" }
  }
}

variables {
  name                   = "ec2stack-test"
  kms_key_arn            = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  retention_days         = 30
  weekly_retention_days  = 90
  monthly_retention_days = 365
  selection_tags         = { Backup = "true" }
  ebs_target_tags        = { Project = "ec2stack", Environment = "test" }
}

run "primary_only" {
  command = plan

  assert {
    condition     = { for r in aws_backup_plan.this.rule : r.rule_name => one(r.lifecycle).delete_after } == { daily = 30, weekly = 90, monthly = 365 }
    error_message = "The plan must have daily/weekly/monthly rules with the given retentions."
  }

  assert {
    condition     = { for r in aws_backup_plan.this.rule : r.rule_name => r.schedule } == { daily = "cron(0 5 * * ? *)", weekly = "cron(0 5 ? * SUN *)", monthly = "cron(0 5 1 * ? *)" }
    error_message = "Default schedules: daily 05:00 UTC, weekly Sunday, monthly on the 1st."
  }

  assert {
    condition     = alltrue([for r in aws_backup_plan.this.rule : length(r.copy_action) == 0 && r.target_vault_name == aws_backup_vault.this.name])
    error_message = "Without cross-region copy there must be no copy actions."
  }

  assert {
    condition     = aws_backup_vault.this.kms_key_arn == var.kms_key_arn && !aws_backup_vault.this.force_destroy
    error_message = "The vault must use our CMK and not force_destroy by default."
  }

  assert {
    condition     = length(aws_backup_vault.dr) == 0 && output.dr_vault_arn == null
    error_message = "No DR vault without cross-region copy."
  }

  assert {
    condition     = length(aws_backup_selection.this) == 1 && aws_backup_selection.this[0].iam_role_arn == aws_iam_role.backup.arn
    error_message = "The tag selection must exist by default, with the backup role."
  }

  # Only database instances: "*" would also back up every tagged instance, volume and bucket.
  assert {
    condition     = aws_backup_selection.this[0].resources == toset(["arn:aws:rds:*:*:db:*"])
    error_message = "The selection must be limited to RDS DB instances (carrying the tags)."
  }

  assert {
    condition     = jsondecode(aws_iam_role.backup.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "The backup role must trust AWS Backup on behalf of this account only (aws:SourceAccount)."
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.backup_kms.policy).Statement[0].Resource == [var.kms_key_arn]
    error_message = "The backup role must be able to use the vault's key."
  }

  assert {
    condition     = [for c in one(aws_backup_selection.this[0].condition).string_equals : { k = c.key, v = c.value }] == [{ k = "aws:ResourceTag/Backup", v = "true" }]
    error_message = "The selection must match the selection_tags."
  }

  assert {
    condition     = jsondecode(aws_iam_role.backup.assume_role_policy).Statement[0].Principal.Service == "backup.amazonaws.com" && toset(keys(aws_iam_role_policy_attachment.backup)) == toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"])
    error_message = "The backup role must trust backup.amazonaws.com and carry the backup and restore managed policies."
  }

  assert {
    condition     = length(aws_dlm_lifecycle_policy.ebs) == 1 && aws_dlm_lifecycle_policy.ebs[0].policy_details[0].target_tags == tomap(var.ebs_target_tags)
    error_message = "DLM must target exactly ebs_target_tags."
  }

  assert {
    condition     = aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].retain_rule[0].count == 7 && aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].copy_tags && length(aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].cross_region_copy_rule) == 0
    error_message = "DLM keeps ebs_snapshot_retention_count snapshots, copies tags, and has no cross-region copy when off."
  }

  assert {
    condition     = aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].create_rule[0].interval == 24 && aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].create_rule[0].times == tolist(["03:00"])
    error_message = "DLM snapshots daily at ebs_snapshot_time."
  }

  assert {
    condition     = jsondecode(aws_iam_role.dlm[0].assume_role_policy).Statement[0].Principal.Service == "dlm.amazonaws.com" && endswith(aws_iam_role_policy_attachment.dlm[0].policy_arn, "service-role/AWSDataLifecycleManagerServiceRole")
    error_message = "The DLM role must trust dlm.amazonaws.com with AWSDataLifecycleManagerServiceRole."
  }

  assert {
    condition     = jsondecode(aws_iam_role.dlm[0].assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:dlm:us-east-1:123456789012:policy/*" && jsondecode(aws_iam_role.dlm[0].assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "The DLM role must trust only this account's lifecycle policies (aws:SourceAccount, aws:SourceArn)."
  }

  assert {
    condition     = output.selection_tags == tomap({ Backup = "true" })
    error_message = "selection_tags output must echo the input."
  }
}

run "cross_region" {
  command = plan

  variables {
    enable_cross_region_copy     = true
    dr_kms_key_arn               = "arn:aws:kms:us-west-2:123456789012:key/33333333-3333-3333-3333-333333333333"
    ebs_kms_key_arns             = ["arn:aws:kms:us-east-1:123456789012:key/44444444-4444-4444-4444-444444444444"]
    ebs_snapshot_retention_count = 14
    selection_tags               = { Environment = "prod", Backup = "true" }
  }

  assert {
    condition     = length(aws_backup_vault.dr) == 1 && aws_backup_vault.dr[0].kms_key_arn == var.dr_kms_key_arn
    error_message = "The DR vault must exist, encrypted with dr_kms_key_arn."
  }

  assert {
    condition = alltrue([
      for r in aws_backup_plan.this.rule :
      length(r.copy_action) == 1 && one(r.copy_action).destination_vault_arn == aws_backup_vault.dr[0].arn && one(one(r.copy_action).lifecycle).delete_after == one(r.lifecycle).delete_after
    ])
    error_message = "Every rule must copy to the DR vault, keeping the copy as long as the source."
  }

  assert {
    condition     = one(aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].cross_region_copy_rule).encrypted && one(aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].cross_region_copy_rule).cmk_arn == var.dr_kms_key_arn && one(aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].cross_region_copy_rule).target == "us-west-2"
    error_message = "The DLM cross-region copy must be encrypted with the DR key, to the DR region."
  }

  assert {
    condition     = one(one(aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].cross_region_copy_rule).retain_rule).interval == 14 && aws_dlm_lifecycle_policy.ebs[0].policy_details[0].schedule[0].retain_rule[0].count == 14
    error_message = "DLM retention follows ebs_snapshot_retention_count."
  }

  assert {
    condition     = toset(jsondecode(aws_iam_role_policy.dlm_kms[0].policy).Statement[0].Resource) == toset([var.dr_kms_key_arn, var.ebs_kms_key_arns[0]])
    error_message = "The DLM role must be able to use the volume key and the DR key."
  }

  assert {
    condition     = length(one(aws_backup_selection.this[0].condition).string_equals) == 2
    error_message = "Every selection tag must become a condition (AND)."
  }

  assert {
    condition     = output.dr_vault_arn == "arn:aws:backup:us-west-2:123456789012:backup-vault:ec2stack-test-dr-vault"
    error_message = "dr_vault_arn must be the DR vault's ARN."
  }
}

run "selection_off" {
  command = plan

  variables {
    enable_selection         = false
    vault_force_destroy      = true
    enable_cross_region_copy = true
    dr_kms_key_arn           = "arn:aws:kms:us-west-2:123456789012:key/33333333-3333-3333-3333-333333333333"
  }

  assert {
    condition     = length(aws_backup_selection.this) == 0 && length(aws_dlm_lifecycle_policy.ebs) == 1
    error_message = "enable_selection = false drops the tag selection only."
  }

  assert {
    condition     = aws_backup_vault.this.force_destroy && aws_backup_vault.dr[0].force_destroy
    error_message = "vault_force_destroy must reach both vaults."
  }

  assert {
    condition     = length(aws_iam_role.dlm) == 1 && length(aws_backup_vault.dr) == 1 && aws_backup_plan.this.name == "ec2stack-test-plan"
    error_message = "Roles, vaults and plan stay without a selection."
  }
}

run "ebs_snapshots_off" {
  command = plan

  variables {
    enable_ebs_snapshots = false
    ebs_target_tags      = {}
  }

  assert {
    condition     = length(aws_dlm_lifecycle_policy.ebs) == 0 && length(aws_iam_role.dlm) == 0
    error_message = "No DLM policy or role when EBS snapshots are off."
  }
}

run "rejects_short_daily_retention" {
  command = plan
  variables {
    retention_days = 3
  }
  expect_failures = [var.retention_days]
}

run "rejects_weekly_below_daily" {
  command = plan
  variables {
    weekly_retention_days = 14
  }
  expect_failures = [var.weekly_retention_days]
}

run "rejects_monthly_below_weekly" {
  command = plan
  variables {
    monthly_retention_days = 60
  }
  expect_failures = [var.monthly_retention_days]
}

run "rejects_retention_above_max" {
  command = plan
  variables {
    monthly_retention_days = 40000
  }
  expect_failures = [var.monthly_retention_days]
}

run "rejects_cross_region_without_key" {
  command = plan
  variables {
    enable_cross_region_copy = true
  }
  expect_failures = [var.dr_kms_key_arn]
}

run "rejects_empty_ebs_target_tags" {
  command = plan
  variables {
    ebs_target_tags = {}
  }
  expect_failures = [var.ebs_target_tags]
}

run "rejects_unknown_resource_type" {
  command = plan
  variables {
    selection_resource_types = ["ec2"]
  }
  expect_failures = [var.selection_resource_types]
}

run "rejects_empty_selection_tags" {
  command = plan
  variables {
    selection_tags = {}
  }
  expect_failures = [var.selection_tags]
}

run "rejects_bad_schedule" {
  command = plan
  variables {
    schedules = { weekly = "every sunday" }
  }
  expect_failures = [var.schedules]
}

run "rejects_bad_snapshot_time" {
  command = plan
  variables {
    ebs_snapshot_time = "3am"
  }
  expect_failures = [var.ebs_snapshot_time]
}

run "rejects_dr_region_equal_to_primary" {
  command = plan

  variables {
    enable_cross_region_copy = true
    dr_kms_key_arn           = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333"
  }

  override_data {
    target = data.aws_region.dr
    values = { name = "us-east-1" }
  }

  expect_failures = [aws_backup_vault.dr]
}

run "database_backups_replicated" {
  command = plan

  variables {
    enable_cross_region_copy       = true
    dr_kms_key_arn                 = "arn:aws:kms:us-west-2:123456789012:key/33333333-3333-3333-3333-333333333333"
    replicate_database_backups     = true
    database_arn                   = "arn:aws:rds:us-east-1:123456789012:db:ec2stack-test-db"
    database_backup_retention_days = 30
  }

  assert {
    condition     = aws_db_instance_automated_backups_replication.this[0].source_db_instance_arn == var.database_arn && aws_db_instance_automated_backups_replication.this[0].kms_key_id == var.dr_kms_key_arn && aws_db_instance_automated_backups_replication.this[0].retention_period == 30
    error_message = "The database's automated backups must be replicated with the DR key, kept as long as in the primary region."
  }
}

run "no_database_replication_by_default" {
  command = plan

  assert {
    condition     = length(aws_db_instance_automated_backups_replication.this) == 0
    error_message = "Database backups are replicated only when asked."
  }
}

run "rejects_database_replication_without_database" {
  command = plan
  variables {
    enable_cross_region_copy   = true
    dr_kms_key_arn             = "arn:aws:kms:us-west-2:123456789012:key/33333333-3333-3333-3333-333333333333"
    replicate_database_backups = true
  }
  expect_failures = [var.database_arn]
}

run "rejects_database_retention_above_rds_limit" {
  command = plan
  variables {
    database_backup_retention_days = 36
  }
  expect_failures = [var.database_backup_retention_days]
}
