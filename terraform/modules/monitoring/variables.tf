variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev; log groups live under /<name>/."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 40 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; got \"${var.name}\"."
  }
}

variable "environment" {
  description = "Environment name (dev, staging or prod); shown in alarm descriptions and the dashboard."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod; got \"${var.environment}\"."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a customer-managed KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID); got \"${var.kms_key_arn}\"."
  }
}

variable "log_retention_days" {
  description = "Retention of the system, security and application log groups, in days (per environment)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got ${var.log_retention_days}."
  }
}

variable "autoscaling_group_names" {
  description = "Every Auto Scaling group of the application (blue/green: both), for the EventBridge filter and the ASG notifications; [] = autoscaling_group_name alone."
  type        = list(string)
  default     = []
}

variable "autoscaling_group_name" {
  description = "Name of the application's (live) Auto Scaling group: EC2/CWAgent alarm dimension, dashboard; the EventBridge filter and ASG notifications unless autoscaling_group_names is set."
  type        = string

  validation {
    condition     = length(var.autoscaling_group_name) >= 1 && length(var.autoscaling_group_name) <= 255
    error_message = "autoscaling_group_name must be 1 to 255 characters; got \"${var.autoscaling_group_name}\"."
  }
}

variable "alb_arn_suffix" {
  description = "arn_suffix of the application load balancer (app/NAME/ID): the LoadBalancer dimension of AWS/ApplicationELB metrics."
  type        = string

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "alb_arn_suffix must look like app/NAME/ID (the load balancer's arn_suffix); got \"${var.alb_arn_suffix}\"."
  }
}

variable "target_group_arn_suffix" {
  description = "arn_suffix of the instances' target group (targetgroup/NAME/ID): the TargetGroup dimension of AWS/ApplicationELB metrics."
  type        = string

  validation {
    condition     = can(regex("^targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must look like targetgroup/NAME/ID (the target group's arn_suffix); got \"${var.target_group_arn_suffix}\"."
  }
}

variable "db_instance_id" {
  description = "RDS DB instance identifier (the DBInstanceIdentifier dimension, not the dbi- resource id). null: no RDS alarms or widgets. Must be known at plan time (pass the configured identifier)."
  type        = string
  default     = null

  validation {
    condition     = var.db_instance_id == null || can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,62}$", var.db_instance_id))
    error_message = "db_instance_id must be null or an RDS identifier (a letter, then up to 62 letters, digits or hyphens); got \"${coalesce(var.db_instance_id, "null")}\"."
  }
}

variable "nat_gateway_ids" {
  description = "NAT gateways to chart on the dashboard, keyed by a stable name (\"shared\" or the AZ) -> NAT gateway id. Keys must be known at plan time."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for id in values(var.nat_gateway_ids) : can(regex("^nat-[0-9a-z]+$", id))])
    error_message = "nat_gateway_ids values must be NAT gateway ids (nat-...); got [${join(", ", values(var.nat_gateway_ids))}]."
  }
}

variable "sns_kms_key_arn" {
  description = "Customer-managed KMS key encrypting the alerts topic; its key policy must let cloudwatch.amazonaws.com and events.amazonaws.com (and the autoscaling service-linked role, for ASG notifications) use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.sns_kms_key_arn))
    error_message = "sns_kms_key_arn must be the ARN of a customer-managed KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID, never alias/aws/sns); got \"${var.sns_kms_key_arn}\"."
  }
}

variable "alarm_emails" {
  description = "Email addresses subscribed to the alerts topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$", e))])
    error_message = "alarm_emails must hold email addresses such as ops@example.com; got [${join(", ", var.alarm_emails)}]."
  }

  validation {
    condition     = length(distinct([for e in var.alarm_emails : lower(e)])) == length(var.alarm_emails)
    error_message = "alarm_emails must not list an address twice; got [${join(", ", var.alarm_emails)}]."
  }
}

variable "enable_alarms" {
  description = "Create the CloudWatch metric alarms (warning and critical levels) wired to the alerts topic."
  type        = bool
  default     = true
}

variable "enable_composite_alarm" {
  description = "Create the \"service down\" composite alarm (unhealthy hosts and ELB 5xx both critical); needs enable_alarms."
  type        = bool
  default     = true
}

variable "enable_asg_notifications" {
  description = "Send Auto Scaling launch/terminate notifications (aws_autoscaling_notification) to the alerts topic, in addition to the EventBridge rule."
  type        = bool
  default     = true
}

variable "alarm_thresholds" {
  description = "Alarm thresholds per level. Percentages for cpu/memory/disk, counts per 5 minutes for 5xx, seconds for latency (p95), bytes for RDS free storage (alarm when below), connections for RDS."
  type = object({
    cpu_warning                     = optional(number, 70)
    cpu_critical                    = optional(number, 90)
    memory_warning                  = optional(number, 75)
    memory_critical                 = optional(number, 90)
    disk_warning                    = optional(number, 75)
    disk_critical                   = optional(number, 90)
    alb_5xx_warning                 = optional(number, 10)
    alb_5xx_critical                = optional(number, 50)
    latency_warning_seconds         = optional(number, 1)
    latency_critical_seconds        = optional(number, 3)
    unhealthy_hosts_critical        = optional(number, 1)
    rds_cpu_warning                 = optional(number, 70)
    rds_cpu_critical                = optional(number, 90)
    rds_free_storage_warning_bytes  = optional(number, 5000000000)
    rds_free_storage_critical_bytes = optional(number, 2000000000)
    rds_connections_warning         = optional(number, 80)
    rds_connections_critical        = optional(number, 150)
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([
      for pair in [["cpu", var.alarm_thresholds.cpu_warning, var.alarm_thresholds.cpu_critical], ["memory", var.alarm_thresholds.memory_warning, var.alarm_thresholds.memory_critical], ["disk", var.alarm_thresholds.disk_warning, var.alarm_thresholds.disk_critical], ["rds_cpu", var.alarm_thresholds.rds_cpu_warning, var.alarm_thresholds.rds_cpu_critical]] :
      pair[1] > 0 && pair[1] < pair[2] && pair[2] <= 100
    ])
    error_message = "alarm_thresholds percentages must satisfy 0 < warning < critical <= 100 for cpu, memory, disk and rds_cpu; got cpu ${var.alarm_thresholds.cpu_warning}/${var.alarm_thresholds.cpu_critical}, memory ${var.alarm_thresholds.memory_warning}/${var.alarm_thresholds.memory_critical}, disk ${var.alarm_thresholds.disk_warning}/${var.alarm_thresholds.disk_critical}, rds_cpu ${var.alarm_thresholds.rds_cpu_warning}/${var.alarm_thresholds.rds_cpu_critical}."
  }

  validation {
    condition     = var.alarm_thresholds.alb_5xx_warning >= 1 && var.alarm_thresholds.alb_5xx_warning < var.alarm_thresholds.alb_5xx_critical
    error_message = "alarm_thresholds.alb_5xx_warning must be at least 1 and below alb_5xx_critical; got ${var.alarm_thresholds.alb_5xx_warning}/${var.alarm_thresholds.alb_5xx_critical}."
  }

  validation {
    condition     = var.alarm_thresholds.latency_warning_seconds > 0 && var.alarm_thresholds.latency_warning_seconds < var.alarm_thresholds.latency_critical_seconds
    error_message = "alarm_thresholds.latency_warning_seconds must be above 0 and below latency_critical_seconds; got ${var.alarm_thresholds.latency_warning_seconds}/${var.alarm_thresholds.latency_critical_seconds}."
  }

  validation {
    condition     = var.alarm_thresholds.unhealthy_hosts_critical >= 1 && var.alarm_thresholds.unhealthy_hosts_critical == floor(var.alarm_thresholds.unhealthy_hosts_critical)
    error_message = "alarm_thresholds.unhealthy_hosts_critical must be a whole number of at least 1; got ${var.alarm_thresholds.unhealthy_hosts_critical}."
  }

  validation {
    condition     = var.alarm_thresholds.rds_free_storage_critical_bytes > 0 && var.alarm_thresholds.rds_free_storage_critical_bytes < var.alarm_thresholds.rds_free_storage_warning_bytes
    error_message = "alarm_thresholds.rds_free_storage_warning_bytes must be above rds_free_storage_critical_bytes (the alarm fires when free storage falls below), both above 0; got ${var.alarm_thresholds.rds_free_storage_warning_bytes}/${var.alarm_thresholds.rds_free_storage_critical_bytes}."
  }

  validation {
    condition     = var.alarm_thresholds.rds_connections_warning >= 1 && var.alarm_thresholds.rds_connections_warning < var.alarm_thresholds.rds_connections_critical
    error_message = "alarm_thresholds.rds_connections_warning must be at least 1 and below rds_connections_critical; got ${var.alarm_thresholds.rds_connections_warning}/${var.alarm_thresholds.rds_connections_critical}."
  }
}
