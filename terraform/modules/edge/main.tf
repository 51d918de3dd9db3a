locals {
  enable_dns        = var.domain_name != ""
  enable_cloudfront = var.enable_cloudfront
  enable_waf_alb    = var.enable_waf
  enable_waf_cf     = var.enable_waf && var.enable_cloudfront
  zone_id           = var.create_hosted_zone ? one(aws_route53_zone.this[*].zone_id) : var.hosted_zone_id
  origin_id         = "alb"

  # CloudFront reaches the ALB over HTTPS and checks the ALB's certificate against the origin's name, so the origin
  # is a name of ours that the ALB certificate also covers (an alias record to the ALB), never *.elb.amazonaws.com.
  origin_domain_name = local.enable_dns && local.enable_cloudfront ? "origin.${var.domain_name}" : ""

  # Managed CloudFront policies, as constants: moto has no `data "aws_cloudfront_cache_policy"` (404), and these ids
  # are the same in every account.
  cache_policy_caching_disabled                    = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # Managed-CachingDisabled
  origin_request_policy_all_viewer_except_host     = "b689b0a8-53d0-40ab-baf2-68738e2966ac" # Managed-AllViewerExceptHostHeader
  response_headers_policy_managed_security_headers = "67f7725c-6f97-4210-82d7-5512b31e9d03" # Managed-SecurityHeadersPolicy

  # Rules of both web ACLs. Priority order: cheap rate limit first, then reputation, then the content inspection groups.
  waf_managed_rule_groups = {
    AWSManagedRulesAmazonIpReputationList = 20
    AWSManagedRulesCommonRuleSet          = 30
    AWSManagedRulesKnownBadInputsRuleSet  = 40 # Log4j (CVE-2021-44228) among others: blocks, never count mode
  }
  waf_rate_limit_priority = 10

  # Behind CloudFront the ALB sees CloudFront's addresses, not the clients': rules keyed on the source address
  # (rate limit, IP reputation) belong to the CLOUDFRONT ACL only. The client address in X-Forwarded-For is no
  # substitute: a rate-based rule reads its first entry, which the client writes.
  regional_source_ip_rules     = !local.enable_cloudfront
  regional_managed_rule_groups = { for k, v in local.waf_managed_rule_groups : k => v if local.regional_source_ip_rules || k != "AWSManagedRulesAmazonIpReputationList" }
}

################################################################################
# Route 53
################################################################################

# TODO(edge): DNSSEC signing (aws_route53_key_signing_key with an ECC_NIST_P256 KMS key in us-east-1 +
# aws_route53_hosted_zone_dnssec, then a DS record in the parent) and query logging (aws_route53_query_log with a
# us-east-1 log group and a resource policy for route53.amazonaws.com) for zones this module creates
# (security baseline, CKV2_AWS_38/39). Not done yet: both need account-level pieces (the parent zone's DS record,
# a shared KMS key policy) and are not verified on moto.
resource "aws_route53_zone" "this" {
  count = var.create_hosted_zone ? 1 : 0

  name    = var.domain_name
  comment = "${var.name}: public zone of the application (managed by Terraform)."
}

# Alias records for the application name: to CloudFront when it is on, else straight to the load balancer.
resource "aws_route53_record" "alias" {
  for_each = local.enable_dns ? toset(["A", "AAAA"]) : toset([])

  zone_id = local.zone_id
  name    = var.domain_name
  type    = each.key

  alias {
    name                   = local.enable_cloudfront ? aws_cloudfront_distribution.this[0].domain_name : var.alb_dns_name
    zone_id                = local.enable_cloudfront ? aws_cloudfront_distribution.this[0].hosted_zone_id : var.alb_zone_id
    evaluate_target_health = !local.enable_cloudfront # Route 53 cannot evaluate CloudFront target health.
  }
}

################################################################################
# ACM: one certificate for the ALB (stack region), one for CloudFront (us-east-1)
################################################################################

# The origin name CloudFront connects to, aliased to the load balancer (in the ALB certificate's names).
resource "aws_route53_record" "origin" {
  count = local.origin_domain_name != "" ? 1 : 0

  zone_id = local.zone_id
  name    = local.origin_domain_name
  type    = "A"

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = true
  }
}

resource "aws_acm_certificate" "alb" {
  count = local.enable_dns ? 1 : 0

  domain_name               = var.domain_name
  subject_alternative_names = local.origin_domain_name != "" ? [local.origin_domain_name] : []
  validation_method         = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate" "cloudfront" {
  count    = local.enable_dns && local.enable_cloudfront ? 1 : 0
  provider = aws.us_east_1

  domain_name       = var.domain_name
  validation_method = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# One validation record per certificate name, keyed by the names we ask for (known at plan; the validation options
# are not, once a certificate has several names). ACM gives both certificates the same validation CNAME for a name
# (same account), hence allow_overwrite.
resource "aws_route53_record" "alb_validation" {
  for_each = toset(local.enable_dns ? local.alb_certificate_names : [])

  zone_id         = local.zone_id
  name            = local.alb_validation[each.key].resource_record_name
  type            = local.alb_validation[each.key].resource_record_type
  records         = [local.alb_validation[each.key].resource_record_value]
  ttl             = 60
  allow_overwrite = true
}

resource "aws_route53_record" "cloudfront_validation" {
  for_each = toset(local.enable_dns && local.enable_cloudfront ? [var.domain_name] : [])

  zone_id         = local.zone_id
  name            = local.cloudfront_validation[each.key].resource_record_name
  type            = local.cloudfront_validation[each.key].resource_record_type
  records         = [local.cloudfront_validation[each.key].resource_record_value]
  ttl             = 60
  allow_overwrite = true
}

locals {
  alb_certificate_names = compact([var.domain_name, local.origin_domain_name])
  alb_validation        = { for o in flatten(aws_acm_certificate.alb[*].domain_validation_options) : o.domain_name => o }
  cloudfront_validation = { for o in flatten(aws_acm_certificate.cloudfront[*].domain_validation_options) : o.domain_name => o }
}

resource "aws_acm_certificate_validation" "alb" {
  count = local.enable_dns ? 1 : 0

  certificate_arn         = aws_acm_certificate.alb[0].arn
  validation_record_fqdns = [for r in aws_route53_record.alb_validation : r.fqdn]
}

resource "aws_acm_certificate_validation" "cloudfront" {
  count    = local.enable_dns && local.enable_cloudfront ? 1 : 0
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.cloudfront[0].arn
  validation_record_fqdns = [for r in aws_route53_record.cloudfront_validation : r.fqdn]
}

################################################################################
# CloudFront
################################################################################

# Our own security headers (HSTS for a year with preload, nosniff, frame options, referrer, XSS); without it
# (create_security_headers_policy = false) the distribution uses AWS's managed SecurityHeadersPolicy.
resource "aws_cloudfront_response_headers_policy" "this" {
  count = local.enable_cloudfront && var.create_security_headers_policy ? 1 : 0

  name    = "${var.name}-security-headers"
  comment = "Security headers for ${var.name}."

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }

    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  count = local.enable_cloudfront ? 1 : 0

  comment         = "${var.name}: edge of the application load balancer."
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  price_class     = var.cloudfront_price_class
  aliases         = local.enable_dns ? [var.domain_name] : []
  web_acl_id      = local.enable_waf_cf ? aws_wafv2_web_acl.cloudfront[0].arn : null
  # The apply waits until the distribution is deployed everywhere, so the alias records point at a live one.
  wait_for_deployment = var.wait_for_deployment

  origin {
    origin_id   = local.origin_id
    domain_name = local.origin_domain_name

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }

    dynamic "custom_header" {
      for_each = var.cloudfront_origin_verify_secret == "" ? [] : [1]
      content {
        name  = "X-Origin-Verify"
        value = var.cloudfront_origin_verify_secret
      }
    }
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.cache_policy_caching_disabled
    origin_request_policy_id   = local.origin_request_policy_all_viewer_except_host
    response_headers_policy_id = var.create_security_headers_policy ? aws_cloudfront_response_headers_policy.this[0].id : local.response_headers_policy_managed_security_headers
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  # Exception (stated): without a domain there is no certificate to present, so CloudFront serves its default
  # *.cloudfront.net certificate, whose minimum protocol CloudFront fixes at TLSv1.
  viewer_certificate {
    cloudfront_default_certificate = !local.enable_dns
    acm_certificate_arn            = local.enable_dns ? aws_acm_certificate_validation.cloudfront[0].certificate_arn : null
    ssl_support_method             = local.enable_dns ? "sni-only" : null
    minimum_protocol_version       = local.enable_dns ? "TLSv1.2_2021" : "TLSv1"
  }

  dynamic "logging_config" {
    for_each = var.cloudfront_logs_bucket == "" ? [] : [1]
    content {
      bucket          = "${var.cloudfront_logs_bucket}.s3.amazonaws.com"
      prefix          = "cloudfront/${var.name}/"
      include_cookies = false
    }
  }
}

# The ALB security group should admit only CloudFront's origin-facing addresses (the lead wires this into it).
data "aws_ec2_managed_prefix_list" "cloudfront" {
  count = local.enable_cloudfront ? 1 : 0

  name = "com.amazonaws.global.cloudfront.origin-facing"
}

################################################################################
# WAFv2: CLOUDFRONT scope (us-east-1) for the distribution, REGIONAL for the ALB.
# Two resources rather than for_each over scopes: a resource's provider cannot vary per instance.
################################################################################

resource "aws_wafv2_web_acl" "cloudfront" {
  count    = local.enable_waf_cf ? 1 : 0
  provider = aws.us_east_1

  name        = "${var.name}-cloudfront"
  description = "Edge protection of the ${var.name} CloudFront distribution."
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-limit"
    priority = local.waf_rate_limit_priority

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-cloudfront-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = local.waf_managed_rule_groups
    content {
      name     = rule.key
      priority = rule.value

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          name        = rule.key
          vendor_name = "AWS"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-cloudfront-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-cloudfront"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl" "regional" {
  count = local.enable_waf_alb ? 1 : 0

  name        = "${var.name}-regional"
  description = "Protection of the ${var.name} application load balancer."
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = local.regional_source_ip_rules ? [1] : []
    content {
      name     = "rate-limit"
      priority = local.waf_rate_limit_priority

      action {
        block {}
      }

      statement {
        rate_based_statement {
          limit              = var.waf_rate_limit
          aggregate_key_type = "IP"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-regional-rate-limit"
        sampled_requests_enabled   = true
      }
    }
  }

  dynamic "rule" {
    for_each = local.regional_managed_rule_groups
    content {
      name     = rule.key
      priority = rule.value

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          name        = rule.key
          vendor_name = "AWS"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-regional-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-regional"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "alb" {
  count = local.enable_waf_alb ? 1 : 0

  resource_arn = var.alb_arn
  web_acl_arn  = aws_wafv2_web_acl.regional[0].arn
}

# WAF logs only to destinations named aws-waf-logs-*; the CLOUDFRONT ACL's log group must be in us-east-1.
resource "aws_cloudwatch_log_group" "waf_cloudfront" {
  count    = local.enable_waf_cf ? 1 : 0
  provider = aws.us_east_1

  name              = "aws-waf-logs-${var.name}-cloudfront"
  retention_in_days = var.waf_log_retention_days
  kms_key_id        = var.logs_kms_key_arn_us_east_1
}

resource "aws_cloudwatch_log_group" "waf_regional" {
  count = local.enable_waf_alb ? 1 : 0

  name              = "aws-waf-logs-${var.name}-regional"
  retention_in_days = var.waf_log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_wafv2_web_acl_logging_configuration" "cloudfront" {
  count    = local.enable_waf_cf ? 1 : 0
  provider = aws.us_east_1

  resource_arn            = aws_wafv2_web_acl.cloudfront[0].arn
  log_destination_configs = [aws_cloudwatch_log_group.waf_cloudfront[0].arn]
}

resource "aws_wafv2_web_acl_logging_configuration" "regional" {
  count = local.enable_waf_alb ? 1 : 0

  resource_arn            = aws_wafv2_web_acl.regional[0].arn
  log_destination_configs = [aws_cloudwatch_log_group.waf_regional[0].arn]
}
