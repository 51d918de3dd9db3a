variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter; got \"${var.name}\"."
  }
}

variable "create_security_headers_policy" {
  description = "Create our own CloudFront response headers policy (HSTS for a year with preload, nosniff, frame options, referrer, XSS); false attaches AWS's managed SecurityHeadersPolicy instead."
  type        = bool
  default     = true
}

variable "wait_for_deployment" {
  description = "Wait until the CloudFront distribution is deployed to every edge location before the apply goes on."
  type        = bool
  default     = true
}

variable "domain_name" {
  description = "Name users reach the application at, e.g. app.example.com; \"\" disables Route 53, ACM and the CloudFront custom domain."
  type        = string
  default     = ""

  validation {
    condition     = var.domain_name == "" || (length(var.domain_name) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name)))
    error_message = "domain_name must be \"\" or a lowercase fully qualified name without a trailing dot such as app.example.com; got \"${var.domain_name}\"."
  }

  validation {
    condition     = length(var.domain_name) <= 64
    error_message = "domain_name must be at most 64 characters, ACM's limit on a certificate's first name; got ${length(var.domain_name)} characters."
  }
}

variable "create_hosted_zone" {
  description = "Create a public hosted zone named domain_name (delegate it from the parent zone with the name_servers output); exclusive with hosted_zone_id."
  type        = bool
  default     = false

  validation {
    condition     = !var.create_hosted_zone || var.domain_name != ""
    error_message = "create_hosted_zone needs a domain_name to name the zone; got create_hosted_zone = true with domain_name = \"\"."
  }
}

variable "hosted_zone_id" {
  description = "Existing public hosted zone that holds domain_name (records and ACM validation go there); \"\" when create_hosted_zone is true or there is no domain."
  type        = string
  default     = ""

  validation {
    condition     = var.hosted_zone_id == "" || can(regex("^[A-Z0-9]{1,32}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be \"\" or a bare Route 53 zone id such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix); got \"${var.hosted_zone_id}\"."
  }

  validation {
    condition     = !(var.create_hosted_zone && var.hosted_zone_id != "")
    error_message = "create_hosted_zone and hosted_zone_id are mutually exclusive; got create_hosted_zone = true and hosted_zone_id = \"${var.hosted_zone_id}\"."
  }

  validation {
    condition     = var.domain_name == "" || var.create_hosted_zone || var.hosted_zone_id != ""
    error_message = "domain_name \"${var.domain_name}\" needs a zone: set create_hosted_zone = true or hosted_zone_id."
  }

  validation {
    condition     = var.domain_name != "" || var.hosted_zone_id == ""
    error_message = "hosted_zone_id is only used with a domain_name; got hosted_zone_id = \"${var.hosted_zone_id}\" with domain_name = \"\"."
  }
}

variable "alb_arn" {
  description = "ARN of the application load balancer the edge fronts (the regional web ACL is associated with it)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/[A-Za-z0-9-]+/[a-z0-9]+$", var.alb_arn))
    error_message = "alb_arn must be an application load balancer ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID); got \"${var.alb_arn}\"."
  }
}

variable "alb_dns_name" {
  description = "DNS name of the load balancer: the CloudFront origin, and the alias target when CloudFront is off."
  type        = string

  validation {
    condition     = length(var.alb_dns_name) <= 253 && can(regex("^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$", var.alb_dns_name))
    error_message = "alb_dns_name must be a DNS name such as my-alb-123.us-east-1.elb.amazonaws.com; got \"${var.alb_dns_name}\"."
  }
}

variable "alb_zone_id" {
  description = "Canonical hosted zone id of the load balancer (aws_lb.zone_id), for alias records."
  type        = string

  validation {
    condition     = can(regex("^[A-Z0-9]{1,32}$", var.alb_zone_id))
    error_message = "alb_zone_id must be a Route 53 zone id such as Z35SXDOTRQ7X7K; got \"${var.alb_zone_id}\"."
  }
}

variable "enable_cloudfront" {
  description = "Put a CloudFront distribution in front of the load balancer (then the ALB should admit only the CloudFront origin-facing prefix list). Needs domain_name: CloudFront reaches the ALB over HTTPS at origin.<domain_name>, a name the ALB certificate covers."
  type        = bool
  default     = true

  validation {
    condition     = !var.enable_cloudfront || var.domain_name != ""
    error_message = "enable_cloudfront needs a domain_name: CloudFront checks the ALB's certificate against the origin's name, and no certificate can cover the ALB's *.elb.amazonaws.com name."
  }
}

variable "enable_waf" {
  description = "Attach WAFv2 web ACLs: a REGIONAL one to the load balancer and, with CloudFront, a CLOUDFRONT one to the distribution."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes from one IP address above which the rate-based WAF rule blocks that address."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit == floor(var.waf_rate_limit) && var.waf_rate_limit >= 100 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be a whole number from 100 to 2000000000; got ${var.waf_rate_limit}."
  }
}

variable "cloudfront_price_class" {
  description = "CloudFront price class: PriceClass_100 (North America, Europe), PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cloudfront_price_class)
    error_message = "cloudfront_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All; got \"${var.cloudfront_price_class}\"."
  }
}

variable "cloudfront_logs_bucket" {
  description = "Name of the S3 bucket that receives CloudFront standard access logs (ACLs enabled for log delivery); \"\" = no access logging."
  type        = string
  default     = ""

  validation {
    condition     = var.cloudfront_logs_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.cloudfront_logs_bucket))
    error_message = "cloudfront_logs_bucket must be \"\" or an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens); got \"${var.cloudfront_logs_bucket}\"."
  }
}

variable "cloudfront_origin_verify_secret" {
  description = "Value CloudFront sends to the origin in an X-Origin-Verify header, so the ALB can reject requests that bypass CloudFront; \"\" = no header."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    # The value is secret: the message states the rule but cannot print it.
    condition     = var.cloudfront_origin_verify_secret == "" || can(regex("^[A-Za-z0-9_-]{16,256}$", var.cloudfront_origin_verify_secret))
    error_message = "cloudfront_origin_verify_secret must be \"\" or 16-256 letters, digits, \"_\" or \"-\"; the value given (not shown, it is secret) is not."
  }
}

variable "waf_log_retention_days" {
  description = "Retention of the WAF log groups, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.waf_log_retention_days)
    error_message = "waf_log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got ${var.waf_log_retention_days}."
  }
}

variable "logs_kms_key_arn" {
  description = "Customer-managed KMS key (in the stack's region) that encrypts the regional WAF log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.logs_kms_key_arn))
    error_message = "logs_kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); got \"${var.logs_kms_key_arn}\"."
  }
}

variable "logs_kms_key_arn_us_east_1" {
  description = "Customer-managed KMS key in us-east-1 that encrypts the CLOUDFRONT WAF log group (KMS keys are regional, and that group lives in us-east-1 whatever the stack's region); required with CloudFront and WAF."
  type        = string
  default     = ""

  validation {
    condition     = var.logs_kms_key_arn_us_east_1 == "" || can(regex("^arn:aws[a-z-]*:kms:us-east-1:[0-9]{12}:key/[A-Za-z0-9-]+$", var.logs_kms_key_arn_us_east_1))
    error_message = "logs_kms_key_arn_us_east_1 must be \"\" or a KMS key ARN in us-east-1 (arn:aws:kms:us-east-1:ACCOUNT:key/ID); got \"${var.logs_kms_key_arn_us_east_1}\"."
  }

  validation {
    condition     = !(var.enable_waf && var.enable_cloudfront) || var.logs_kms_key_arn_us_east_1 != ""
    error_message = "The CLOUDFRONT WAF log group lives in us-east-1 and needs a key there: set logs_kms_key_arn_us_east_1 (a KMS key ARN in us-east-1)."
  }
}
