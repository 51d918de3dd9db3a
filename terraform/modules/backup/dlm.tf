# Data Lifecycle Manager: daily snapshots of the volumes the Auto Scaling group tags, copied (encrypted) to the DR
# region when cross-region copy is on.

resource "aws_iam_role" "dlm" {
  count = var.enable_ebs_snapshots ? 1 : 0

  name = "${var.name}-dlm"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "dlm.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Only for this account's lifecycle policies (confused deputy).
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:dlm:${data.aws_region.current.name}:${local.account_id}:policy/*" }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "dlm" {
  count = var.enable_ebs_snapshots ? 1 : 0

  role       = aws_iam_role.dlm[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"
}

# Snapshots of CMK-encrypted volumes, and their encrypted cross-region copies, need these rights on the keys.
resource "aws_iam_role_policy" "dlm_kms" {
  count = var.enable_ebs_snapshots && length(local.key_users.dlm) > 0 ? 1 : 0

  name   = "kms"
  role   = aws_iam_role.dlm[0].id
  policy = local.key_use_policies.dlm
}

resource "aws_dlm_lifecycle_policy" "ebs" {
  count = var.enable_ebs_snapshots ? 1 : 0

  description        = "${var.name} daily EBS snapshots"
  execution_role_arn = aws_iam_role.dlm[0].arn
  state              = "ENABLED"

  policy_details {
    resource_types = ["VOLUME"]
    target_tags    = var.ebs_target_tags

    schedule {
      name      = "daily"
      copy_tags = true

      create_rule {
        interval      = 24
        interval_unit = "HOURS"
        times         = [var.ebs_snapshot_time]
      }

      retain_rule {
        count = var.ebs_snapshot_retention_count
      }

      tags_to_add = { SnapshotCreator = "dlm" }

      dynamic "cross_region_copy_rule" {
        for_each = var.enable_cross_region_copy ? [data.aws_region.dr.name] : []

        content {
          target    = cross_region_copy_rule.value
          encrypted = true
          cmk_arn   = var.dr_kms_key_arn
          copy_tags = true

          retain_rule {
            interval      = var.ebs_snapshot_retention_count
            interval_unit = "DAYS"
          }
        }
      }
    }
  }

  depends_on = [aws_iam_role_policy_attachment.dlm]
}
