# Customer-managed keys with rotation and explicit key policies that grant exactly the services using each key.
# Every policy starts from the account statement (IAM decides inside the account) and adds its services.

locals {
  autoscaling_role = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"

  # KMS keys are regional and CloudWatch Logs only uses a key of its own region: what lives in us-east-1 whatever
  # the stack's region (the CLOUDFRONT-scope WAF log group) needs a logs key there.
  logs_key_regions = distinct(concat([local.region], var.enable_us_east_1_logs_key ? ["us-east-1"] : []))

  keys = {
    ebs  = { description = "EBS volumes of the instances", policy = data.aws_iam_policy_document.ebs_key.json }
    logs = { description = "CloudWatch Logs", policy = data.aws_iam_policy_document.logs_key[local.region].json }
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

# CloudWatch Logs (flow logs, system/security/application logs, WAF logs), limited to this account's log groups
# of the key's region.
data "aws_iam_policy_document" "logs_key" {
  for_each = toset(local.logs_key_regions)

  source_policy_documents = [data.aws_iam_policy_document.account.json]

  statement {
    sid       = "CloudWatchLogsUseOfTheKey"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${each.key}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${each.key}:${local.account_id}:log-group:*"]
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

  # Only on behalf of this account's alarms and rules (confused deputy).
  statement {
    sid       = "AlarmsAndEventsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
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

# The EBS and SNS key policies name the Auto Scaling service-linked role. AWS refuses a key policy whose principal
# does not exist, and a new account has that role only once Auto Scaling first created it: refuse at plan, saying
# how to create it, rather than fail at key creation.
data "aws_iam_roles" "autoscaling_service_linked" {
  name_regex  = "^AWSServiceRoleForAutoScaling$"
  path_prefix = "/aws-service-role/autoscaling.amazonaws.com/"
}

resource "aws_kms_key" "this" {
  for_each = local.keys

  description             = "${var.name}: ${each.value.description}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = each.value.policy

  tags = { Name = "${var.name}-${each.key}", Purpose = each.key }

  lifecycle {
    precondition {
      condition     = length(data.aws_iam_roles.autoscaling_service_linked.names) > 0
      error_message = "Account ${local.account_id} has no Auto Scaling service-linked role (AWSServiceRoleForAutoScaling), which the key policies name: create it once with `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`, then plan again."
    }
  }
}

# The CLOUDFRONT WAF log group's key, always created in us-east-1 (a key of its own even when the stack is there
# too, so that what must live in us-east-1 never depends on the stack's region).
resource "aws_kms_key" "logs_us_east_1" {
  count    = var.enable_us_east_1_logs_key ? 1 : 0
  provider = aws.us_east_1

  description             = "${var.name}: CloudWatch Logs in us-east-1 (CloudFront WAF logs)"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.logs_key["us-east-1"].json

  tags = { Name = "${var.name}-logs-us-east-1", Purpose = "logs" }
}

resource "aws_kms_alias" "logs_us_east_1" {
  count    = length(aws_kms_key.logs_us_east_1)
  provider = aws.us_east_1

  name          = "alias/${var.name}-logs-us-east-1"
  target_key_id = aws_kms_key.logs_us_east_1[0].key_id
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
