# AWS Backup: a CMK-encrypted vault, a daily/weekly/monthly plan selecting resources by tag, an optional DR-region
# vault every recovery point is copied to; and a DLM policy for daily EBS snapshots of the application volumes.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

data "aws_region" "dr" {
  provider = aws.dr
}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # What AWS Backup may select, as ARN patterns; the tags then pick this environment's resources among them.
  # Instances and their volumes are not in it: they are rebuilt from the launch template, and DLM snapshots the
  # volumes (dlm.tf).
  selection_resource_patterns = {
    rds = "arn:${local.partition}:rds:*:*:db:*"
  }

  rules = {
    daily   = { schedule = var.schedules.daily, delete_after = var.retention_days }
    weekly  = { schedule = var.schedules.weekly, delete_after = var.weekly_retention_days }
    monthly = { schedule = var.schedules.monthly, delete_after = var.monthly_retention_days }
  }
}

resource "aws_backup_vault" "this" {
  name          = "${var.name}-vault"
  kms_key_arn   = var.kms_key_arn
  force_destroy = var.vault_force_destroy
}

resource "aws_backup_vault" "dr" {
  count    = var.enable_cross_region_copy ? 1 : 0
  provider = aws.dr

  name          = "${var.name}-dr-vault"
  kms_key_arn   = var.dr_kms_key_arn
  force_destroy = var.vault_force_destroy

  lifecycle {
    precondition {
      condition     = data.aws_region.dr.name != data.aws_region.current.name
      error_message = "The aws.dr provider must point at another region than the primary (${data.aws_region.current.name}) for cross-region copies."
    }
  }
}

resource "aws_backup_plan" "this" {
  name = "${var.name}-plan"

  dynamic "rule" {
    for_each = local.rules

    content {
      rule_name         = rule.key
      target_vault_name = aws_backup_vault.this.name
      schedule          = rule.value.schedule
      start_window      = 60
      completion_window = 360

      lifecycle {
        delete_after = rule.value.delete_after
      }

      dynamic "copy_action" {
        for_each = aws_backup_vault.dr

        content {
          destination_vault_arn = copy_action.value.arn

          lifecycle {
            delete_after = rule.value.delete_after
          }
        }
      }

      recovery_point_tags = { BackupRule = rule.key }
    }
  }
}

# Role AWS Backup assumes to back up and restore the selected resources.
resource "aws_iam_role" "backup" {
  name = "${var.name}-backup"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Only on behalf of this account (confused deputy).
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"])

  role       = aws_iam_role.backup.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/${each.key}"
}

# AWS Backup reads CMK-encrypted resources and writes copies with the DR key through this role.
resource "aws_iam_role_policy" "backup_kms" {
  name   = "kms"
  role   = aws_iam_role.backup.id
  policy = local.key_use_policies.backup
}

locals {
  # The customer-managed keys AWS Backup and DLM read encrypted resources with and write encrypted copies with,
  # and one policy per role on its keys: use of the keys, and grants for AWS resources only.
  key_users = {
    backup = concat([var.kms_key_arn], var.enable_cross_region_copy ? [var.dr_kms_key_arn] : [])
    dlm    = concat(var.ebs_kms_key_arns, var.enable_cross_region_copy ? [var.dr_kms_key_arn] : [])
  }
  key_use_policies = {
    for role, keys in local.key_users : role => jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "UseKeys"
          Effect   = "Allow"
          Action   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
          Resource = keys
        },
        {
          Sid       = "GrantsForAwsResources"
          Effect    = "Allow"
          Action    = ["kms:CreateGrant"]
          Resource  = keys
          Condition = { Bool = { "kms:GrantIsForAWSResource" = "true" } }
        },
      ]
    })
  }
}

# The resources of selection_resource_types carrying all selection_tags (AND).
resource "aws_backup_selection" "this" {
  count = var.enable_selection ? 1 : 0

  name         = "${var.name}-by-tag"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [for t in var.selection_resource_types : local.selection_resource_patterns[t]]

  condition {
    dynamic "string_equals" {
      for_each = var.selection_tags

      content {
        key   = "aws:ResourceTag/${string_equals.key}"
        value = string_equals.value
      }
    }
  }

  depends_on = [aws_iam_role_policy_attachment.backup, aws_iam_role_policy.backup_kms]
}
