variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod; got \"${var.environment}\"."
  }
}

variable "project" {
  description = "Project name; resource names are <project>-<environment>-..."
  type        = string
  default     = "ec2stack"

  validation {
    condition     = length(var.project) <= 24 && can(regex("^[a-z]([a-z0-9]|-[a-z0-9])*$", var.project))
    error_message = "project must be 1 to 24 lowercase letters, digits and single hyphens, starting with a letter (it prefixes S3 bucket names, and <project>-staging must fit AWS's 32-character load balancer names); got \"${var.project}\"."
  }
}

variable "tags" {
  description = "Tags the Auto Scaling group propagates to instances and volumes (use the same as the provider default_tags)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in ["Project", "Environment", "ManagedBy"] : contains(keys(var.tags), k)])
    error_message = "tags must carry Project, Environment and ManagedBy (the required tags); got keys [${join(", ", keys(var.tags))}]."
  }
  validation {
    condition     = lookup(var.tags, "Environment", var.environment) == var.environment
    error_message = "tags.Environment must equal environment (\"${var.environment}\"); got \"${lookup(var.tags, "Environment", "")}\"."
  }
}

# Network
variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  type        = string
}

variable "availability_zone_count" {
  description = "Number of availability zones (2 or 3); the first N zones of the region in name order."
  type        = number

  validation {
    condition     = var.availability_zone_count >= 2 && var.availability_zone_count <= 3
    error_message = "availability_zone_count must be 2 or 3; got ${var.availability_zone_count}."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each subnet."
  type        = number
  default     = 8
}

variable "nat_gateway_mode" {
  description = "\"single\" shared NAT gateway or one \"per_az\"."
  type        = string
}

variable "interface_endpoint_services" {
  description = "Services reached through interface VPC endpoints."
  type        = list(string)
  default     = ["ec2", "ssm", "ssmmessages", "ec2messages"]
}

# Security
variable "ssh_authorized_cidrs" {
  description = "CIDRs allowed to SSH to the instances; empty = no SSH rule."
  type        = list(string)
  default     = []
}

variable "app_port" {
  description = "TCP port of the application on the instances."
  type        = number
  default     = 8080
}

variable "kms_deletion_window_days" {
  description = "Deletion window of the customer-managed keys."
  type        = number
}

variable "log_retention_days" {
  description = "Retention of the log groups (flow, system, security, application), in days."
  type        = number
}

# Compute
variable "operating_system" {
  description = "\"al2023\" or \"ubuntu-22.04\"."
  type        = string
  default     = "al2023"
}

variable "ami_name" {
  description = "Exact name of the pinned image of the operating_system family (see the compute module)."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type."
  type        = string
}

variable "asg_min_size" {
  description = "Minimum instances."
  type        = number
}

variable "asg_max_size" {
  description = "Maximum instances."
  type        = number
}

variable "asg_desired_capacity" {
  description = "Initial instances."
  type        = number
}

variable "enable_spot" {
  description = "All capacity on Spot (dev)."
  type        = bool
}

variable "spot_instance_types" {
  description = "Extra instance types for the Spot pool."
  type        = list(string)
  default     = []
}

variable "enable_detailed_monitoring" {
  description = "One-minute EC2 metrics."
  type        = bool
}

variable "cpu_target_utilization" {
  description = "Target average CPU (percent) of the scaling policy."
  type        = number
  default     = 60
}

variable "health_check" {
  description = "Target-group health check (path, matcher, interval, timeout, thresholds)."
  type        = any
  default     = {}
}

variable "enable_deletion_protection" {
  description = "Deletion protection on the load balancer."
  type        = bool
  default     = false
}

variable "rollout" {
  description = "How a new launch template version rolls through the instances (instance refresh preferences, see the compute module's rollout): min/max healthy percentage, checkpoints, delays, skip matching, auto rollback."
  type        = any
  default     = {}
}

variable "blue_green" {
  description = "Blue/green deployment instead of rolling instance refreshes (see the compute module's blue_green): { live = \"blue\" or \"green\", green_ami_name, idle_weight }; null = rolling."
  type        = any
  default     = null
}

variable "emulator_mode" {
  description = "The emulator switch: turns off, through plain module settings, what moto cannot run (docs/emulator.md). Never true on AWS."
  type        = bool
  default     = false
}

variable "off_hours_schedule" {
  description = "Scale the instances down out of hours (non-prod cost lever); null = always on. See the compute module."
  type        = any
  default     = null
}

# Database
variable "enable_database" {
  description = "Create the RDS database tier."
  type        = bool
  default     = true
}

variable "database" {
  description = "RDS settings (see the database module): engine, engine_version, instance_class, allocated_storage_gb, multi_az, deletion_protection, backup_retention_days, enable_read_replica."
  type = object({
    engine                = optional(string, "postgres")
    engine_version        = optional(string)
    instance_class        = optional(string, "db.t3.micro")
    allocated_storage_gb  = optional(number, 20)
    multi_az              = optional(bool, false)
    deletion_protection   = optional(bool, false)
    backup_retention_days = optional(number, 7)
    enable_read_replica   = optional(bool, false)
  })
  default = {}
}

# Edge
variable "domain_name" {
  description = "Public name of the application, e.g. app.example.com; \"\" = no DNS records or custom certificates (CloudFront then uses its default certificate)."
  type        = string
  default     = ""
}

variable "hosted_zone_id" {
  description = "Existing hosted zone for domain_name; \"\" = create one for it."
  type        = string
  default     = ""
}

variable "enable_cloudfront" {
  description = "Put CloudFront in front of the ALB (the ALB then accepts only CloudFront's origin-facing prefix list)."
  type        = bool
  default     = false
}

variable "enable_waf" {
  description = "WAFv2 web ACLs on CloudFront and the ALB."
  type        = bool
  default     = false
}

# Monitoring
variable "enable_alarms" {
  description = "CloudWatch alarms (warning and critical) wired to the SNS topic."
  type        = bool
  default     = true
}

variable "enable_on_call" {
  description = "Comprehensive alerting: the composite service-down alarm and Auto Scaling notifications (prod)."
  type        = bool
  default     = false
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alert topic."
  type        = list(string)
  default     = []
}

variable "alarm_thresholds" {
  description = "Per-environment alarm thresholds (see the monitoring module); {} = its defaults."
  type        = any
  default     = {}
}

# Backup
variable "enable_backup" {
  description = "AWS Backup plan (daily, weekly, monthly) and daily EBS snapshots (DLM)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Retention of the daily backups, in days (weekly and monthly keep longer)."
  type        = number
  default     = 7
}

variable "enable_cross_region_backup" {
  description = "Copy backups and EBS snapshots to the disaster-recovery region (provider aws.dr)."
  type        = bool
  default     = false
}
