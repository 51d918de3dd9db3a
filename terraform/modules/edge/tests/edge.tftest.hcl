# Plan-level tests of the edge module, offline (mock providers). The provider of each resource cannot be asserted
# here: that the CLOUDFRONT web ACL, its log group and logging configuration and the CloudFront certificate go through
# aws.us_east_1 is checked on a real plan's JSON (configuration.*.provider_config_key); these tests assert the scope.

mock_provider "aws" {}

mock_provider "aws" {
  alias = "us_east_1"

  # ACM fills domain_validation_options during plan on AWS (the validation records' for_each keys on it); mocks
  # would leave it unknown.
  mock_resource "aws_acm_certificate" {
    override_during = plan
    defaults = {
      arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000001"
      domain_validation_options = [{
        domain_name           = "app.example.com"
        resource_record_name  = "_abc.app.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_xyz.acm-validations.aws."
      }]
    }
  }
}

override_resource {
  target          = aws_acm_certificate.alb
  override_during = plan
  values = {
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000002"
    domain_validation_options = [{
      domain_name           = "app.example.com"
      resource_record_name  = "_abc.app.example.com."
      resource_record_type  = "CNAME"
      resource_record_value = "_xyz.acm-validations.aws."
      }, {
      domain_name           = "origin.app.example.com"
      resource_record_name  = "_def.origin.app.example.com."
      resource_record_type  = "CNAME"
      resource_record_value = "_uvw.acm-validations.aws."
    }]
  }
}

variables {
  name                            = "ec2stack-test"
  domain_name                     = "app.example.com"
  create_hosted_zone              = true
  alb_arn                         = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/ec2stack-test/50dc6c495c0c9188"
  alb_dns_name                    = "ec2stack-test-123.eu-west-1.elb.amazonaws.com"
  alb_zone_id                     = "Z32O12XQLNTSW2"
  cloudfront_logs_bucket          = "ec2stack-test-logs"
  cloudfront_origin_verify_secret = "0123456789abcdef0123"
  logs_kms_key_arn                = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  logs_kms_key_arn_us_east_1      = "arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000"
}

run "everything_on" {
  command = plan

  # CloudFront viewer side: HTTPS only, our us-east-1 certificate, SNI, modern TLS.
  assert {
    condition     = aws_cloudfront_distribution.this[0].default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https"
    error_message = "viewers must be redirected to HTTPS"
  }
  assert {
    condition     = one(aws_cloudfront_distribution.this[0].viewer_certificate).minimum_protocol_version == "TLSv1.2_2021" && one(aws_cloudfront_distribution.this[0].viewer_certificate).ssl_support_method == "sni-only"
    error_message = "the custom certificate must be served with SNI and TLSv1.2_2021"
  }
  assert {
    condition     = one(aws_cloudfront_distribution.this[0].viewer_certificate).cloudfront_default_certificate == false
    error_message = "with a domain the default CloudFront certificate must not be used"
  }
  assert {
    condition     = aws_cloudfront_distribution.this[0].aliases == toset(["app.example.com"])
    error_message = "the distribution must answer for domain_name"
  }
  assert {
    condition     = aws_acm_certificate.cloudfront[0].domain_name == "app.example.com" && aws_acm_certificate_validation.cloudfront[0].certificate_arn == aws_acm_certificate.cloudfront[0].arn
    error_message = "CloudFront must use the validated us-east-1 certificate"
  }

  # Origin side: HTTPS to a name of ours that the ALB certificate covers (CloudFront checks the origin certificate
  # against the origin name), TLSv1.2, optional verify header.
  assert {
    condition     = one(aws_cloudfront_distribution.this[0].origin).domain_name == "origin.app.example.com" && output.origin_domain_name == "origin.app.example.com"
    error_message = "the origin must be origin.<domain_name>, not the ALB's *.elb.amazonaws.com name"
  }
  assert {
    condition     = contains(aws_acm_certificate.alb[0].subject_alternative_names, one(aws_cloudfront_distribution.this[0].origin).domain_name)
    error_message = "the ALB certificate must cover the origin name"
  }
  assert {
    condition     = aws_route53_record.origin[0].name == "origin.app.example.com" && aws_route53_record.origin[0].alias[0].name == var.alb_dns_name && aws_route53_record.origin[0].alias[0].zone_id == var.alb_zone_id
    error_message = "origin.<domain_name> must be an alias to the ALB"
  }
  assert {
    condition     = one(one(aws_cloudfront_distribution.this[0].origin).custom_origin_config).origin_protocol_policy == "https-only"
    error_message = "CloudFront must reach the ALB over HTTPS only"
  }
  assert {
    condition     = one(one(aws_cloudfront_distribution.this[0].origin).custom_origin_config).origin_ssl_protocols == toset(["TLSv1.2"])
    error_message = "the origin must accept TLSv1.2 only"
  }
  assert {
    condition     = [for h in one(aws_cloudfront_distribution.this[0].origin).custom_header : h.name] == ["X-Origin-Verify"]
    error_message = "the X-Origin-Verify header must be sent when a secret is given"
  }

  # Behaviour: managed policies (dynamic app), no legacy forwarded_values on AWS, our headers policy.
  assert {
    condition     = aws_cloudfront_distribution.this[0].default_cache_behavior[0].cache_policy_id == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" && aws_cloudfront_distribution.this[0].default_cache_behavior[0].origin_request_policy_id == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    error_message = "the behaviour must use CachingDisabled and AllViewerExceptHostHeader"
  }
  assert {
    condition     = length(aws_cloudfront_distribution.this[0].default_cache_behavior[0].forwarded_values) == 0
    error_message = "forwarded_values must not be sent to AWS next to a cache policy"
  }
  assert {
    condition     = length(aws_cloudfront_response_headers_policy.this) == 1
    error_message = "the custom response headers policy must exist on AWS"
  }
  assert {
    condition = alltrue([
      one(one(aws_cloudfront_response_headers_policy.this[0].security_headers_config).strict_transport_security).access_control_max_age_sec == 31536000,
      one(one(aws_cloudfront_response_headers_policy.this[0].security_headers_config).strict_transport_security).include_subdomains,
      one(one(aws_cloudfront_response_headers_policy.this[0].security_headers_config).strict_transport_security).preload,
      one(one(aws_cloudfront_response_headers_policy.this[0].security_headers_config).frame_options).frame_option == "DENY",
      length(one(aws_cloudfront_response_headers_policy.this[0].security_headers_config).content_type_options) == 1,
      length(one(aws_cloudfront_response_headers_policy.this[0].security_headers_config).referrer_policy) == 1,
      one(one(aws_cloudfront_response_headers_policy.this[0].security_headers_config).xss_protection).mode_block,
    ])
    error_message = "the response headers policy must set HSTS (1 year, subdomains, preload), nosniff, DENY, referrer and XSS headers"
  }

  # Distribution settings.
  assert {
    condition     = aws_cloudfront_distribution.this[0].http_version == "http2and3" && aws_cloudfront_distribution.this[0].is_ipv6_enabled && aws_cloudfront_distribution.this[0].enabled && aws_cloudfront_distribution.this[0].price_class == "PriceClass_100"
    error_message = "distribution must be enabled, IPv6, http2and3, PriceClass_100 by default"
  }
  assert {
    condition     = aws_cloudfront_distribution.this[0].wait_for_deployment
    error_message = "on AWS the apply must wait for the deployment"
  }
  assert {
    condition     = one(aws_cloudfront_distribution.this[0].logging_config).bucket == "ec2stack-test-logs.s3.amazonaws.com"
    error_message = "access logs must go to the logs bucket's regional domain"
  }

  # WAF: both scopes, the three managed groups (never count) and the rate rule, metrics and samples on.
  assert {
    condition     = aws_wafv2_web_acl.cloudfront[0].scope == "CLOUDFRONT" && aws_wafv2_web_acl.regional[0].scope == "REGIONAL"
    error_message = "one CLOUDFRONT and one REGIONAL web ACL are expected"
  }
  assert {
    condition     = toset([for r in aws_wafv2_web_acl.cloudfront[0].rule : r.name]) == toset(["rate-limit", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"])
    error_message = "the CLOUDFRONT web ACL needs Common, KnownBadInputs, IpReputation and the rate rule"
  }
  # Behind CloudFront the ALB sees CloudFront's addresses: no rule of the REGIONAL ACL may key on the source address.
  assert {
    condition     = toset([for r in aws_wafv2_web_acl.regional[0].rule : r.name]) == toset(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"])
    error_message = "behind CloudFront the REGIONAL web ACL must drop the rate rule and the IP reputation list (they would count CloudFront's addresses)"
  }
  assert {
    condition = alltrue(flatten([for acl in [aws_wafv2_web_acl.cloudfront[0], aws_wafv2_web_acl.regional[0]] : [
      for r in acl.rule : length(r.override_action[0].none) == 1 && length(r.override_action[0].count) == 0 if r.name != "rate-limit"
    ]]))
    error_message = "managed rule groups (KnownBadInputs included) must block: override_action none, never count"
  }
  assert {
    condition = alltrue([for acl in [aws_wafv2_web_acl.cloudfront[0]] :
      one([for r in acl.rule : r if r.name == "rate-limit"]).statement[0].rate_based_statement[0].limit == 2000 &&
      length(one([for r in acl.rule : r if r.name == "rate-limit"]).action[0].block) == 1
    ])
    error_message = "the rate rule must block above waf_rate_limit (2000)"
  }
  assert {
    condition = alltrue(flatten([for acl in [aws_wafv2_web_acl.cloudfront[0], aws_wafv2_web_acl.regional[0]] : concat(
      [acl.visibility_config[0].cloudwatch_metrics_enabled && acl.visibility_config[0].sampled_requests_enabled],
      [for r in acl.rule : r.visibility_config[0].cloudwatch_metrics_enabled && r.visibility_config[0].sampled_requests_enabled],
    )]))
    error_message = "metrics and sampled requests must be on for every ACL and rule"
  }
  assert {
    condition     = aws_wafv2_web_acl_association.alb[0].resource_arn == var.alb_arn
    error_message = "the REGIONAL web ACL must be associated with the ALB"
  }

  # WAF logging to encrypted aws-waf-logs-* groups; the CLOUDFRONT one with the us-east-1 key.
  assert {
    condition     = aws_cloudwatch_log_group.waf_cloudfront[0].name == "aws-waf-logs-ec2stack-test-cloudfront" && aws_cloudwatch_log_group.waf_regional[0].name == "aws-waf-logs-ec2stack-test-regional"
    error_message = "WAF log groups must be named aws-waf-logs-*"
  }
  assert {
    condition     = aws_cloudwatch_log_group.waf_cloudfront[0].kms_key_id == var.logs_kms_key_arn_us_east_1 && aws_cloudwatch_log_group.waf_regional[0].kms_key_id == var.logs_kms_key_arn && aws_cloudwatch_log_group.waf_regional[0].retention_in_days == 365
    error_message = "WAF log groups must be encrypted with the key of their region and kept 365 days by default"
  }
  assert {
    condition     = length(aws_wafv2_web_acl_logging_configuration.cloudfront) == 1 && length(aws_wafv2_web_acl_logging_configuration.regional) == 1
    error_message = "both web ACLs must log"
  }

  # DNS and ACM.
  assert {
    condition     = length(aws_route53_zone.this) == 1 && toset(keys(aws_route53_record.alias)) == toset(["A", "AAAA"])
    error_message = "a zone and A/AAAA alias records are expected"
  }
  assert {
    condition     = aws_route53_record.alias["A"].alias[0].evaluate_target_health == false
    error_message = "alias records must point at CloudFront (no target health) when it is on"
  }
  assert {
    condition     = aws_acm_certificate.alb[0].options[0].certificate_transparency_logging_preference == "ENABLED" && aws_acm_certificate.cloudfront[0].options[0].certificate_transparency_logging_preference == "ENABLED"
    error_message = "certificate transparency logging must be on"
  }
  assert {
    condition     = toset(keys(aws_route53_record.alb_validation)) == toset(["app.example.com", "origin.app.example.com"]) && length(aws_route53_record.cloudfront_validation) == 1 && aws_route53_record.alb_validation["app.example.com"].allow_overwrite && aws_route53_record.alb_validation["origin.app.example.com"].name == "_def.origin.app.example.com."
    error_message = "each certificate needs its DNS validation record (allow_overwrite)"
  }
  assert {
    condition     = output.alb_certificate_arn == "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000002" && output.fqdn == "app.example.com"
    error_message = "alb_certificate_arn must be the validated regional certificate"
  }
  assert {
    condition     = length(data.aws_ec2_managed_prefix_list.cloudfront) == 1 && data.aws_ec2_managed_prefix_list.cloudfront[0].name == "com.amazonaws.global.cloudfront.origin-facing"
    error_message = "the CloudFront origin-facing prefix list must be looked up"
  }
}

run "managed_headers_no_wait" {
  command = plan

  variables {
    create_security_headers_policy = false
    wait_for_deployment            = false
  }

  assert {
    condition     = length(aws_cloudfront_response_headers_policy.this) == 0 && aws_cloudfront_distribution.this[0].default_cache_behavior[0].response_headers_policy_id == "67f7725c-6f97-4210-82d7-5512b31e9d03"
    error_message = "without our own policy the managed SecurityHeadersPolicy is attached"
  }
  assert {
    condition     = length(aws_cloudfront_distribution.this[0].default_cache_behavior[0].forwarded_values) == 0 && !aws_cloudfront_distribution.this[0].wait_for_deployment
    error_message = "never forwarded_values next to a cache policy; the deployment wait follows wait_for_deployment"
  }
  assert {
    condition     = !one(aws_cloudfront_distribution.this[0].viewer_certificate).cloudfront_default_certificate && one(aws_cloudfront_distribution.this[0].viewer_certificate).minimum_protocol_version == "TLSv1.2_2021"
    error_message = "the ACM certificate settings do not depend on these settings"
  }
}

# CloudFront without a domain would have no origin name a certificate covers (the ALB's *.elb.amazonaws.com name
# can never be): refused.
run "cloudfront_without_domain" {
  command = plan

  variables {
    domain_name                     = ""
    create_hosted_zone              = false
    cloudfront_logs_bucket          = ""
    cloudfront_origin_verify_secret = ""
  }

  expect_failures = [var.enable_cloudfront]
}

run "existing_zone_no_cloudfront" {
  command = plan

  variables {
    create_hosted_zone = false
    hosted_zone_id     = "Z0123456789ABCDEFGHIJ"
    enable_cloudfront  = false
  }

  assert {
    condition     = length(aws_route53_zone.this) == 0 && aws_route53_record.alias["A"].zone_id == "Z0123456789ABCDEFGHIJ"
    error_message = "records must go to the given zone"
  }
  assert {
    condition     = aws_route53_record.alias["A"].alias[0].name == var.alb_dns_name && aws_route53_record.alias["AAAA"].alias[0].zone_id == var.alb_zone_id && aws_route53_record.alias["A"].alias[0].evaluate_target_health
    error_message = "without CloudFront the alias records point at the ALB"
  }
  assert {
    condition     = length(aws_cloudfront_distribution.this) == 0 && length(aws_acm_certificate.cloudfront) == 0 && length(aws_wafv2_web_acl.cloudfront) == 0 && length(aws_cloudwatch_log_group.waf_cloudfront) == 0 && length(data.aws_ec2_managed_prefix_list.cloudfront) == 0
    error_message = "without CloudFront: no distribution, us-east-1 certificate, CLOUDFRONT ACL or prefix list"
  }
  assert {
    condition     = length(aws_acm_certificate.alb) == 1 && length(aws_wafv2_web_acl.regional) == 1 && output.cloudfront_prefix_list_id == "" && output.fqdn == "app.example.com"
    error_message = "without CloudFront the ALB keeps its certificate and regional WAF"
  }
  assert {
    condition     = toset([for r in aws_wafv2_web_acl.regional[0].rule : r.name]) == toset(["rate-limit", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"])
    error_message = "facing clients directly, the REGIONAL web ACL keeps the rate rule and the IP reputation list"
  }
  assert {
    condition     = length(aws_route53_record.origin) == 0 && length(aws_acm_certificate.alb[0].subject_alternative_names) == 0
    error_message = "without CloudFront there is no origin name"
  }
}

run "domain_too_long_for_acm" {
  command = plan
  variables { domain_name = "a-name-of-sixty-five-characters-is-longer-than-acm-allows.example" }
  expect_failures = [var.domain_name]
}

run "edge_off" {
  command = plan

  variables {
    domain_name                = ""
    create_hosted_zone         = false
    enable_cloudfront          = false
    enable_waf                 = false
    logs_kms_key_arn_us_east_1 = ""
  }

  assert {
    condition = alltrue([
      length(aws_route53_zone.this) == 0, length(aws_route53_record.alias) == 0,
      length(aws_acm_certificate.alb) == 0, length(aws_acm_certificate.cloudfront) == 0,
      length(aws_cloudfront_distribution.this) == 0, length(aws_cloudfront_response_headers_policy.this) == 0,
      length(aws_wafv2_web_acl.cloudfront) == 0, length(aws_wafv2_web_acl.regional) == 0,
      length(aws_wafv2_web_acl_association.alb) == 0, length(aws_cloudwatch_log_group.waf_regional) == 0,
      length(aws_wafv2_web_acl_logging_configuration.regional) == 0, length(data.aws_ec2_managed_prefix_list.cloudfront) == 0,
    ])
    error_message = "with everything off the module creates nothing"
  }
  assert {
    condition     = output.fqdn == var.alb_dns_name && output.cloudfront_distribution_id == "" && output.regional_web_acl_arn == ""
    error_message = "with everything off the application is reached at the ALB"
  }
}

# ---- validation: every input rejects bad values ----

run "bad_name" {
  command = plan
  variables { name = "Ec2Stack" }
  expect_failures = [var.name]
}

run "bad_domain_name" {
  command = plan
  variables { domain_name = "App.Example.com." }
  expect_failures = [var.domain_name]
}

run "zone_without_domain" {
  command = plan
  variables {
    domain_name       = ""
    enable_cloudfront = false
  }
  expect_failures = [var.create_hosted_zone]
}

run "bad_hosted_zone_id" {
  command = plan
  variables {
    create_hosted_zone = false
    hosted_zone_id     = "/hostedzone/Z0123"
  }
  expect_failures = [var.hosted_zone_id]
}

run "zone_both_ways" {
  command = plan
  variables { hosted_zone_id = "Z0123456789ABCDEFGHIJ" }
  expect_failures = [var.hosted_zone_id]
}

run "domain_without_zone" {
  command = plan
  variables { create_hosted_zone = false }
  expect_failures = [var.hosted_zone_id]
}

run "bad_alb_arn" {
  command = plan
  variables { alb_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188" }
  expect_failures = [var.alb_arn]
}

run "bad_alb_dns_name" {
  command = plan
  variables { alb_dns_name = "https://alb.example.com/" }
  expect_failures = [var.alb_dns_name]
}

run "bad_alb_zone_id" {
  command = plan
  variables { alb_zone_id = "z32o12" }
  expect_failures = [var.alb_zone_id]
}

run "rate_limit_too_low" {
  command = plan
  variables { waf_rate_limit = 99 }
  expect_failures = [var.waf_rate_limit]
}

run "rate_limit_fraction" {
  command = plan
  variables { waf_rate_limit = 150.5 }
  expect_failures = [var.waf_rate_limit]
}

run "bad_price_class" {
  command = plan
  variables { cloudfront_price_class = "PriceClass_300" }
  expect_failures = [var.cloudfront_price_class]
}

run "bad_logs_bucket" {
  command = plan
  variables { cloudfront_logs_bucket = "s3://Logs" }
  expect_failures = [var.cloudfront_logs_bucket]
}

run "short_origin_secret" {
  command = plan
  variables { cloudfront_origin_verify_secret = "short" }
  expect_failures = [var.cloudfront_origin_verify_secret]
}

run "bad_retention" {
  command = plan
  variables { waf_log_retention_days = 10 }
  expect_failures = [var.waf_log_retention_days]
}

run "bad_logs_kms_key" {
  command = plan
  variables { logs_kms_key_arn = "alias/logs" }
  expect_failures = [var.logs_kms_key_arn]
}

run "us_east_1_key_in_other_region" {
  command = plan
  variables { logs_kms_key_arn_us_east_1 = "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000" }
  expect_failures = [var.logs_kms_key_arn_us_east_1]
}

run "cloudfront_waf_needs_us_east_1_key" {
  command = plan
  variables { logs_kms_key_arn_us_east_1 = "" }
  expect_failures = [var.logs_kms_key_arn_us_east_1]
}
