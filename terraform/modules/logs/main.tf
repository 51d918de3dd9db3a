locals {
  # One bucket per enabled log kind, keyed by kind so enabling the other never touches an existing bucket.
  # object_ownership: the ALB delivers with a bucket policy, so ACLs are off (BucketOwnerEnforced); CloudFront
  # standard logging still delivers through the awslogsdelivery account's ACL grant, which CloudFront adds
  # itself when logging is configured, so that bucket keeps ACLs on (BucketOwnerPreferred; no canned ACL is set).
  kinds = merge(
    var.enable_alb_logs ? { alb = { object_ownership = "BucketOwnerEnforced" } } : {},
    var.enable_cloudfront_logs ? { cloudfront = { object_ownership = "BucketOwnerPreferred" } } : {},
  )

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Elastic Load Balancing's own account in each region opened before August 2022 (AWS's ALB access-log
  # documentation): those regions deliver as that account. Regions opened since then (me-central-1, ap-south-2,
  # ...) only know the log-delivery service principal, and have no such account.
  legacy_elb_accounts = {
    "us-east-1"      = "127311923021", "us-east-2" = "033677994240", "us-west-1" = "027434742980", "us-west-2" = "797873946194",
    "af-south-1"     = "098369216593", "ap-east-1" = "754344448648", "ap-south-1" = "718504428378", "ap-northeast-1" = "582318560864",
    "ap-northeast-2" = "600734575887", "ap-northeast-3" = "383597477331", "ap-southeast-1" = "114774131450",
    "ap-southeast-2" = "783225319266", "ap-southeast-3" = "589379963580", "ca-central-1" = "985666609251",
    "eu-central-1"   = "054676820928", "eu-west-1" = "156460612806", "eu-west-2" = "652711504416", "eu-west-3" = "009996457667",
    "eu-south-1"     = "635631232127", "eu-north-1" = "897822967062", "me-south-1" = "076674570225", "sa-east-1" = "507241528517",
    "us-gov-west-1"  = "048591011584", "us-gov-east-1" = "190560391635", "cn-north-1" = "638102146993", "cn-northwest-1" = "037604701340",
  }
  legacy_elb_account = lookup(local.legacy_elb_accounts, local.region, "")

  bucket_names = { for kind, _ in local.kinds : kind => "${var.name}-${kind}-logs-${local.account_id}" }
  bucket_arns  = { for kind, bucket in local.bucket_names : kind => "arn:${local.partition}:s3:::${bucket}" }

  # Everyone, including the delivery services, must use TLS. Public principals are written as AWS = "*"
  # (equivalent to "*" on AWS; moto 5.2.1 crashes on a bare "Principal": "*").
  deny_insecure_transport = {
    for kind, arn in local.bucket_arns : kind => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = [arn, "${arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }

  # ALB access logs land under [prefix/]AWSLogs/<account>/. The log-delivery service principal everywhere, and in
  # older regions also the regional ELB account, which delivers there.
  alb_delivery_resources = var.enable_alb_logs ? [
    "${local.bucket_arns["alb"]}/AWSLogs/${local.account_id}/*",
    "${local.bucket_arns["alb"]}/*/AWSLogs/${local.account_id}/*",
  ] : []

  alb_delivery_statements = var.enable_alb_logs ? concat([
    {
      Sid       = "AllowAlbLogDelivery"
      Effect    = "Allow"
      Principal = { Service = "logdelivery.elasticloadbalancing.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = local.alb_delivery_resources
    }], local.legacy_elb_account == "" ? [] : [
    {
      Sid       = "AllowAlbLogDeliveryLegacyRegions"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${local.legacy_elb_account}:root" }
      Action    = "s3:PutObject"
      Resource  = local.alb_delivery_resources
    },
  ]) : []

  policy_statements = {
    for kind, _ in local.kinds : kind => concat(
      [local.deny_insecure_transport[kind]],
      kind == "alb" ? local.alb_delivery_statements : [],
    )
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# Exceptions (security baseline, S3 row), for the two ignores below:
# - AWS-0132 / CKV_AWS_145 (SSE-KMS with our CMK): ALB access logs can only be delivered to SSE-S3 buckets.
#   CloudFront standard logging could use a CMK only if the key policy admitted its log-delivery account; ours
#   does not, so both log buckets use SSE-S3 (AES256).
# - AWS-0089 / CKV_AWS_18 (access logging): these are the access-log destinations; they do not log themselves.
#trivy:ignore:AVD-AWS-0089
resource "aws_s3_bucket" "this" {
  for_each = local.kinds

  bucket        = local.bucket_names[each.key]
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.kinds

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.kinds

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    object_ownership = each.value.object_ownership
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.kinds

  bucket = aws_s3_bucket.this[each.key].id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3, not our CMK: the stated exception above the bucket (trivy reports AVD-AWS-0132 on this resource).
#trivy:ignore:AVD-AWS-0132
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.kinds

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.kinds

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "log-retention"
    status = "Enabled"

    filter {}

    transition {
      days          = var.transition_to_ia_days
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = var.transition_to_glacier_days
      storage_class = "GLACIER"
    }

    expiration {
      days = var.log_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Rules that act on noncurrent versions need versioning in place first.
  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.kinds

  bucket = aws_s3_bucket.this[each.key].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.policy_statements[each.key]
  })

  # S3 rejects concurrent bucket-level changes; the access block goes first so the policy is judged against it.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
