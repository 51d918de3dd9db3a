variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev. Buckets are named <name>-<kind>-logs-<account id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 3-32 lowercase letters, digits or single hyphens, starting with a letter and not ending in a hyphen (it becomes part of S3 bucket names); got \"${var.name}\"."
  }
}

variable "enable_alb_logs" {
  description = "Create the bucket the application load balancer writes its access logs to."
  type        = bool
  default     = true
}

variable "enable_cloudfront_logs" {
  description = "Create the bucket CloudFront standard logging writes to (ACLs stay enabled on it: CloudFront needs them)."
  type        = bool
  default     = false
}

variable "log_expiration_days" {
  description = "Days after which log objects are deleted."
  type        = number
  default     = 365

  validation {
    condition     = var.log_expiration_days == floor(var.log_expiration_days) && var.log_expiration_days >= 30
    error_message = "log_expiration_days must be a whole number of at least 30; got ${var.log_expiration_days}."
  }
}

variable "transition_to_ia_days" {
  description = "Days after which log objects move to STANDARD_IA (S3 requires at least 30)."
  type        = number
  default     = 30

  validation {
    condition     = var.transition_to_ia_days == floor(var.transition_to_ia_days) && var.transition_to_ia_days >= 30
    error_message = "transition_to_ia_days must be a whole number of at least 30 (S3 minimum for STANDARD_IA); got ${var.transition_to_ia_days}."
  }

  validation {
    condition     = var.transition_to_ia_days < var.log_expiration_days
    error_message = "transition_to_ia_days must be less than log_expiration_days (${var.log_expiration_days}); got ${var.transition_to_ia_days}."
  }
}

variable "transition_to_glacier_days" {
  description = "Days after which log objects move to GLACIER; at least 30 days after the STANDARD_IA transition, as S3 requires."
  type        = number
  default     = 90

  validation {
    condition     = var.transition_to_glacier_days == floor(var.transition_to_glacier_days) && var.transition_to_glacier_days >= var.transition_to_ia_days + 30
    error_message = "transition_to_glacier_days must be a whole number at least 30 days after transition_to_ia_days (${var.transition_to_ia_days}), as S3 keeps objects 30 days in STANDARD_IA; got ${var.transition_to_glacier_days}."
  }

  validation {
    condition     = var.transition_to_glacier_days < var.log_expiration_days
    error_message = "transition_to_glacier_days must be less than log_expiration_days (${var.log_expiration_days}); got ${var.transition_to_glacier_days}."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a noncurrent (overwritten or expired) log object version is kept before it is deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days == floor(var.noncurrent_version_expiration_days) && var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1; got ${var.noncurrent_version_expiration_days}."
  }
}

variable "force_destroy" {
  description = "Let destroy delete buckets that still hold logs (tests and the emulator only; keep false for real environments)."
  type        = bool
  default     = false
}
