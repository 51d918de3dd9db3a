# Plan-level tests, fully offline (mock provider). Run in the module dir:
#   terraform init -backend=false && terraform test

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
}

variables {
  name = "ec2stack-test"
}

run "defaults_alb_only" {
  command = plan

  assert {
    condition     = keys(aws_s3_bucket.this) == ["alb"] && aws_s3_bucket.this["alb"].bucket == "ec2stack-test-alb-logs-123456789012"
    error_message = "defaults must create only the ALB bucket, named <name>-alb-logs-<account>"
  }
  assert {
    condition     = aws_s3_bucket.this["alb"].force_destroy == false
    error_message = "force_destroy must default to false"
  }
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this["alb"].block_public_acls,
      aws_s3_bucket_public_access_block.this["alb"].block_public_policy,
      aws_s3_bucket_public_access_block.this["alb"].ignore_public_acls,
      aws_s3_bucket_public_access_block.this["alb"].restrict_public_buckets,
    ])
    error_message = "all four public access block flags must be on"
  }
  assert {
    condition     = aws_s3_bucket_versioning.this["alb"].versioning_configuration[0].status == "Enabled"
    error_message = "versioning must be enabled"
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this["alb"].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "ALB log bucket must use SSE-S3 (the only encryption ALB log delivery supports)"
  }
  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this["alb"].rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ALB log bucket must have ACLs disabled"
  }
  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this["alb"].rule).abort_incomplete_multipart_upload[0].days_after_initiation == 7
    error_message = "lifecycle must abort incomplete multipart uploads after 7 days"
  }
  assert {
    condition     = toset([for t in one(aws_s3_bucket_lifecycle_configuration.this["alb"].rule).transition : "${t.storage_class}:${t.days}"]) == toset(["STANDARD_IA:30", "GLACIER:90"])
    error_message = "lifecycle must move logs to STANDARD_IA at 30 and GLACIER at 90 days"
  }
  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this["alb"].rule).expiration[0].days == 365 && one(aws_s3_bucket_lifecycle_configuration.this["alb"].rule).noncurrent_version_expiration[0].noncurrent_days == 30
    error_message = "lifecycle must expire logs at 365 days and noncurrent versions at 30"
  }
  assert {
    condition = length([
      for s in jsondecode(aws_s3_bucket_policy.this["alb"].policy).Statement : s
      if s.Effect == "Deny" && s.Principal == { AWS = "*" } && s.Action == "s3:*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
      && toset(s.Resource) == toset(["arn:aws:s3:::ec2stack-test-alb-logs-123456789012", "arn:aws:s3:::ec2stack-test-alb-logs-123456789012/*"])
    ]) == 1
    error_message = "bucket policy must deny every non-TLS request to the bucket and its objects, with the principal written as AWS = \"*\""
  }
  assert {
    condition = length([
      for s in jsondecode(aws_s3_bucket_policy.this["alb"].policy).Statement : s
      if s.Effect == "Allow" && try(s.Principal.Service, "") == "logdelivery.elasticloadbalancing.amazonaws.com" && s.Action == "s3:PutObject"
      && contains(s.Resource, "arn:aws:s3:::ec2stack-test-alb-logs-123456789012/AWSLogs/123456789012/*")
    ]) == 1
    error_message = "ALB bucket policy must let the ELB log-delivery service put objects under AWSLogs/<account>/"
  }
  assert {
    condition = length([
      for s in jsondecode(aws_s3_bucket_policy.this["alb"].policy).Statement : s
      if s.Effect == "Allow" && try(s.Principal.AWS, "") == "arn:aws:iam::127311923021:root" && s.Action == "s3:PutObject"
    ]) == 1
    error_message = "ALB bucket policy must also allow the legacy regional ELB account"
  }
  assert {
    condition     = output.cloudfront_logs_bucket == null
    error_message = "cloudfront output must be null when its bucket is disabled"
  }
}

run "both_buckets" {
  command = plan

  variables {
    enable_cloudfront_logs = true
    force_destroy          = true
  }

  assert {
    condition     = toset(keys(aws_s3_bucket.this)) == toset(["alb", "cloudfront"]) && aws_s3_bucket.this["cloudfront"].bucket == "ec2stack-test-cloudfront-logs-123456789012"
    error_message = "both kinds must get their own bucket"
  }
  assert {
    condition     = aws_s3_bucket.this["cloudfront"].force_destroy && aws_s3_bucket.this["alb"].force_destroy
    error_message = "force_destroy must reach every bucket"
  }
  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this["cloudfront"].rule).object_ownership == "BucketOwnerPreferred"
    error_message = "CloudFront log bucket must keep ACLs on (BucketOwnerPreferred) for awslogsdelivery"
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this["cloudfront"].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "CloudFront log bucket must be encrypted (SSE-S3)"
  }
  assert {
    condition     = length(jsondecode(aws_s3_bucket_policy.this["cloudfront"].policy).Statement) == 1 && jsondecode(aws_s3_bucket_policy.this["cloudfront"].policy).Statement[0].Sid == "DenyInsecureTransport"
    error_message = "CloudFront bucket policy must only deny non-TLS access (no ALB delivery grant)"
  }
  assert {
    condition     = aws_s3_bucket_public_access_block.this["cloudfront"].block_public_acls && aws_s3_bucket_public_access_block.this["cloudfront"].restrict_public_buckets
    error_message = "CloudFront bucket must block public access"
  }
}

run "cloudfront_only" {
  command = plan

  variables {
    enable_alb_logs        = false
    enable_cloudfront_logs = true
  }

  assert {
    condition     = keys(aws_s3_bucket.this) == ["cloudfront"]
    error_message = "without ALB logs there is no ALB bucket"
  }
}

# Regions opened since August 2022 have no ELB account (the provider's aws_elb_service_account fails there): the
# service principal alone delivers.
run "region_without_elb_account" {
  command = plan

  override_data {
    target = data.aws_region.current
    values = { name = "me-central-1" }
  }

  assert {
    condition = [
      for s in jsondecode(aws_s3_bucket_policy.this["alb"].policy).Statement : try(s.Principal.Service, s.Principal.AWS) if s.Effect == "Allow"
    ] == ["logdelivery.elasticloadbalancing.amazonaws.com"]
    error_message = "in me-central-1 only the log-delivery service principal may deliver ALB logs"
  }
}

run "nothing_enabled" {
  command = plan

  variables {
    enable_alb_logs = false
  }

  assert {
    condition     = length(aws_s3_bucket.this) == 0 && output.alb_logs_bucket == null && output.cloudfront_logs_bucket == null && output.bucket_arns == {}
    error_message = "with both kinds disabled nothing is created"
  }
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "Ec2stack_Dev"
  }
  expect_failures = [var.name]
}

run "rejects_short_expiration" {
  command = plan
  variables {
    log_expiration_days = 14
  }
  expect_failures = [var.log_expiration_days]
}

run "rejects_early_ia_transition" {
  command = plan
  variables {
    transition_to_ia_days = 7
  }
  expect_failures = [var.transition_to_ia_days]
}

run "rejects_ia_after_expiration" {
  command = plan
  variables {
    log_expiration_days        = 60
    transition_to_ia_days      = 60
    transition_to_glacier_days = 59
  }
  expect_failures = [var.transition_to_ia_days]
}

run "rejects_glacier_too_soon_after_ia" {
  command = plan
  variables {
    transition_to_ia_days      = 30
    transition_to_glacier_days = 45
  }
  expect_failures = [var.transition_to_glacier_days]
}

run "rejects_glacier_after_expiration" {
  command = plan
  variables {
    log_expiration_days        = 90
    transition_to_glacier_days = 120
  }
  expect_failures = [var.transition_to_glacier_days]
}

run "rejects_bad_noncurrent_expiration" {
  command = plan
  variables {
    noncurrent_version_expiration_days = 0
  }
  expect_failures = [var.noncurrent_version_expiration_days]
}
