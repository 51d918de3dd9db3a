variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev."
  type        = string
}

variable "vpc_id" {
  description = "VPC the security groups belong to."
  type        = string
}

variable "app_port" {
  description = "TCP port the instances serve the application on (ALB -> EC2)."
  type        = number

  validation {
    condition     = var.app_port == floor(var.app_port) && var.app_port >= 1024 && var.app_port <= 65535 && var.app_port != 22
    error_message = "app_port must be a whole number from 1024 to 65535 (an unprivileged port); got ${var.app_port}."
  }
}

variable "database_port" {
  description = "TCP port of the database (EC2 -> RDS); 5432 for PostgreSQL, 3306 for MySQL."
  type        = number

  validation {
    condition     = var.database_port == floor(var.database_port) && var.database_port >= 1024 && var.database_port <= 65535
    error_message = "database_port must be a whole number from 1024 to 65535; got ${var.database_port}."
  }
}

variable "ssh_authorized_cidrs" {
  description = "IPv4 CIDRs allowed to SSH (port 22) to the instances. Empty list: no SSH rule at all (access through SSM Session Manager). 0.0.0.0/0 is never accepted."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.ssh_authorized_cidrs : can(cidrhost(c, 0)) && try(cidrhost(c, 0) == split("/", c)[0], false)])
    error_message = "ssh_authorized_cidrs must hold IPv4 network addresses in CIDR notation such as 203.0.113.0/24; got [${join(", ", var.ssh_authorized_cidrs)}]."
  }

  validation {
    condition     = !anytrue([for c in var.ssh_authorized_cidrs : can(regex("/0$", c))])
    error_message = "ssh_authorized_cidrs must not open SSH to the whole internet: remove 0.0.0.0/0 (got [${join(", ", var.ssh_authorized_cidrs)}]); list your corporate or VPN ranges instead."
  }
}

variable "http_egress" {
  description = "Let the instances reach the internet on port 80: for an OS whose package mirrors are plain HTTP (Ubuntu; apt checks package signatures)."
  type        = bool
  default     = false
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled key deletion completes (7 to 30 days; use 30 in prod)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days == floor(var.kms_deletion_window_days) && var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be a whole number from 7 to 30; got ${var.kms_deletion_window_days}."
  }
}

variable "log_group_prefix" {
  description = "Prefix of the CloudWatch log groups the instances write to (the instance policy is scoped to it), e.g. /ec2stack-dev."
  type        = string
}

variable "ssm_parameter_prefix" {
  description = "SSM Parameter Store path the instances may read (e.g. the CloudWatch agent configuration), e.g. /ec2stack-dev."
  type        = string
}

variable "restrict_alb_to_cloudfront" {
  description = "Accept traffic on the ALB only from CloudFront's origin-facing prefix list (when the edge is on)."
  type        = bool
  default     = false
}

variable "cloudfront_prefix_list_id" {
  description = "ID of the com.amazonaws.global.cloudfront.origin-facing managed prefix list (with restrict_alb_to_cloudfront)."
  type        = string
  default     = ""
}

variable "enable_dr_key" {
  description = "Create a key in the disaster-recovery region (provider aws.dr) for cross-region backup and snapshot copies."
  type        = bool
  default     = false
}

variable "enable_us_east_1_logs_key" {
  description = "Create a CloudWatch Logs key in us-east-1 (provider aws.us_east_1) for what must live there whatever the stack's region: the CLOUDFRONT-scope WAF log group."
  type        = bool
  default     = false
}
