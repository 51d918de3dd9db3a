# Customer-managed keys with rotation and explicit key policies that grant exactly the services using each key.
# Every policy starts from the account statement (IAM decides inside the account) and adds its services.

locals {
  autoscaling_role = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"

  keys = {
    ebs  = { description = "EBS volumes of the instances", policy = data.aws_iam_policy_document.ebs_key.json }
    logs = { description = "CloudWatch Logs", policy = data.aws_iam_policy_document.logs_key.json }
    data = { description = "RDS storage, Performance Insights, Secrets Manager and AWS Backup", policy = data.aws_iam_policy_document.data_key.json }
    sns  = { description = "SNS alert topic", policy = data.aws_iam_policy_document.sns_key.json }
  }
}

data "aws_iam_policy_document" "account" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

# EBS volumes of the Auto Scaling group. EC2 Auto Scaling launches instances through its service-linked role,
# which needs to use the key and create grants for EC2 (the role must exist in the account: see the README).
data "aws_iam_policy_document" "ebs_key" {
  source_policy_documents = [data.aws_iam_policy_document.account.json]

  statement {
    sid       = "AutoScalingUseOfTheKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.autoscaling_role]
    }
  }

  statement {
    sid       = "AutoScalingGrantsForEC2"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.autoscaling_role]
    }
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

# CloudWatch Logs (flow logs, system/security/application logs, WAF logs), limited to this account's log groups.
data "aws_iam_policy_document" "logs_key" {
  source_policy_documents = [data.aws_iam_policy_document.account.json]

  statement {
    sid       = "CloudWatchLogsUseOfTheKey"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
    }
  }
}

# Data at rest of the database tier: RDS storage, Performance Insights and the master-user secret (RDS and
# Secrets Manager use the key on behalf of this account's principals), and the AWS Backup vaults.
data "aws_iam_policy_document" "data_key" {
  source_policy_documents = [data.aws_iam_policy_document.account.json]

  statement {
    sid       = "BackupUseOfTheKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# SNS alert topic: CloudWatch alarms, EventBridge rules and Auto Scaling notifications publish encrypted messages.
data "aws_iam_policy_document" "sns_key" {
  source_policy_documents = [data.aws_iam_policy_document.account.json]

  statement {
    sid       = "AlarmsAndEventsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
  }

  statement {
    sid       = "AutoScalingNotificationsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.autoscaling_role]
    }
  }
}

resource "aws_kms_key" "this" {
  for_each = local.keys

  description             = "${var.name}: ${each.value.description}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = each.value.policy

  tags = { Name = "${var.name}-${each.key}", Purpose = each.key }
}

resource "aws_kms_alias" "this" {
  for_each = local.keys

  name          = "alias/${var.name}-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}

moved {
  from = aws_kms_key.ebs
  to   = aws_kms_key.this["ebs"]
}

moved {
  from = aws_kms_alias.ebs
  to   = aws_kms_alias.this["ebs"]
}

moved {
  from = aws_kms_key.logs
  to   = aws_kms_key.this["logs"]
}

moved {
  from = aws_kms_alias.logs
  to   = aws_kms_alias.this["logs"]
}

# Disaster-recovery region: the key of the DR backup vault and of cross-region EBS snapshot copies.
resource "aws_kms_key" "dr" {
  count    = var.enable_dr_key ? 1 : 0
  provider = aws.dr

  description             = "${var.name}: backup and snapshot copies in the disaster-recovery region"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.data_key.json

  tags = { Name = "${var.name}-dr", Purpose = "dr" }
}

resource "aws_kms_alias" "dr" {
  count    = var.enable_dr_key ? 1 : 0
  provider = aws.dr

  name          = "alias/${var.name}-dr"
  target_key_id = aws_kms_key.dr[0].key_id
}
