variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev; log groups live under /<name>/."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the system, security and application log groups, in days (per environment)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got ${var.log_retention_days}."
  }
}
