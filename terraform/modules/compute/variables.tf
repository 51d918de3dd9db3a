variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev."
  type        = string
}

variable "tags" {
  description = "Tags the Auto Scaling group puts on every instance and volume it launches (provider default_tags do not reach them)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the internet-facing load balancer (one per AZ)."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets the Auto Scaling group launches instances in (one per AZ)."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "app_security_group_id" {
  description = "Security group of the instances."
  type        = string
}

variable "instance_profile_arn" {
  description = "Instance profile the instances run with."
  type        = string
}

variable "ebs_kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the root volumes."
  type        = string
}

variable "operating_system" {
  description = "AMI family: \"al2023\" (Amazon Linux 2023) or \"ubuntu-22.04\"; the image named by ami_name from the official owner is used."
  type        = string
  default     = "al2023"

  validation {
    condition     = contains(["al2023", "ubuntu-22.04"], var.operating_system)
    error_message = "operating_system must be \"al2023\" or \"ubuntu-22.04\"; got \"${var.operating_system}\"."
  }
}

variable "ami_name" {
  description = "Exact name of the pinned image from the operating_system family's official owner, e.g. \"al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64\". Pinned by name, not id, because ids differ per region; the launch template's image changes only when this pin changes (`ec2stack ami --update ENV`)."
  type        = string

  validation {
    condition     = can(regex(lookup(local.ami_name_shapes, var.operating_system, "^$"), var.ami_name))
    error_message = "ami_name must be an image name of the operating_system family (al2023: al2023-ami-2023.<version>-kernel-6.1-x86_64; ubuntu-22.04: ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-<yyyymmdd>); got \"${var.ami_name}\" for operating_system \"${var.operating_system}\"."
  }
}

variable "instance_type" {
  description = "EC2 instance type, e.g. t3.small."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(nano|micro|small|medium|large|metal|[0-9]*xlarge)(-[0-9a-z]+)?$", var.instance_type))
    error_message = "instance_type must be an EC2 instance type name such as t3.small (family, generation, \".\", size); got \"${var.instance_type}\"."
  }
}

variable "spot_instance_types" {
  description = "With enable_spot: further instance types of the same size class the Spot pool may use besides instance_type."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.spot_instance_types : can(regex("^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(nano|micro|small|medium|large|metal|[0-9]*xlarge)(-[0-9a-z]+)?$", t))])
    error_message = "spot_instance_types must be EC2 instance type names such as t3a.small; got [${join(", ", var.spot_instance_types)}]."
  }
}

variable "enable_spot" {
  description = "Run all capacity on Spot through a mixed-instances policy (cheap, interruptible: dev only)."
  type        = bool
  default     = false
}

variable "root_volume_size_gb" {
  description = "Size of the encrypted gp3 root volume, in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.root_volume_size_gb == floor(var.root_volume_size_gb) && var.root_volume_size_gb >= 8 && var.root_volume_size_gb <= 1024
    error_message = "root_volume_size_gb must be a whole number from 8 to 1024; got ${var.root_volume_size_gb}."
  }
}

variable "enable_detailed_monitoring" {
  description = "One-minute EC2 metrics (detailed monitoring) instead of five-minute basic monitoring."
  type        = bool
  default     = false
}

variable "asg_min_size" {
  description = "Minimum number of instances."
  type        = number

  validation {
    condition     = var.asg_min_size == floor(var.asg_min_size) && var.asg_min_size >= 0 && var.asg_min_size <= 100
    error_message = "asg_min_size must be a whole number from 0 to 100; got ${var.asg_min_size}."
  }
}

variable "asg_max_size" {
  description = "Maximum number of instances."
  type        = number

  validation {
    condition     = var.asg_max_size == floor(var.asg_max_size) && var.asg_max_size >= 1 && var.asg_max_size <= 100
    error_message = "asg_max_size must be a whole number from 1 to 100; got ${var.asg_max_size}."
  }

  validation {
    condition     = var.asg_min_size <= var.asg_max_size
    error_message = "asg_min_size (${var.asg_min_size}) must not be greater than asg_max_size (${var.asg_max_size})."
  }
}

variable "asg_desired_capacity" {
  description = "Instances to start with; must lie within asg_min_size..asg_max_size."
  type        = number

  validation {
    condition     = var.asg_desired_capacity >= var.asg_min_size && var.asg_desired_capacity <= var.asg_max_size
    error_message = "asg_desired_capacity (${var.asg_desired_capacity}) must lie between asg_min_size (${var.asg_min_size}) and asg_max_size (${var.asg_max_size})."
  }
}

variable "health_check_grace_period" {
  description = "Seconds after launch before ELB health checks count against an instance."
  type        = number
  default     = 300

  validation {
    condition     = var.health_check_grace_period >= 0 && var.health_check_grace_period <= 7200
    error_message = "health_check_grace_period must be from 0 to 7200 seconds; got ${var.health_check_grace_period}."
  }
}

variable "cpu_target_utilization" {
  description = "Average CPU utilisation (percent) the target-tracking policy keeps the group at."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_utilization >= 10 && var.cpu_target_utilization <= 90
    error_message = "cpu_target_utilization must be from 10 to 90 percent; got ${var.cpu_target_utilization}."
  }
}

variable "app_port" {
  description = "TCP port the sample application listens on."
  type        = number
}

variable "health_check" {
  description = "Target-group health check of the instances."
  type = object({
    path                = optional(string, "/health")
    matcher             = optional(string, "200")
    interval            = optional(number, 15)
    timeout             = optional(number, 5)
    healthy_threshold   = optional(number, 2)
    unhealthy_threshold = optional(number, 3)
  })
  default = {}

  validation {
    condition     = startswith(var.health_check.path, "/")
    error_message = "health_check.path must start with \"/\"; got \"${var.health_check.path}\"."
  }

  validation {
    condition     = var.health_check.interval >= 5 && var.health_check.interval <= 300 && var.health_check.timeout >= 2 && var.health_check.timeout < var.health_check.interval
    error_message = "health_check needs interval 5-300 s and a timeout of at least 2 s below the interval; got interval ${var.health_check.interval}, timeout ${var.health_check.timeout}."
  }

  validation {
    condition     = var.health_check.healthy_threshold >= 2 && var.health_check.healthy_threshold <= 10 && var.health_check.unhealthy_threshold >= 2 && var.health_check.unhealthy_threshold <= 10
    error_message = "health_check thresholds must be from 2 to 10; got healthy ${var.health_check.healthy_threshold}, unhealthy ${var.health_check.unhealthy_threshold}."
  }
}

variable "enable_https" {
  description = "Serve HTTPS on 443 with certificate_arn and make 80 redirect to it. false: plain HTTP on port 80, acceptable only while there is no certificate (e.g. dev without a domain). A bool of its own so the listener set is known at plan time even when the certificate is created in the same run."
  type        = bool
  default     = false
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener (with enable_https)."
  type        = string
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be empty or an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID); got \"${var.certificate_arn}\"."
  }
}

variable "access_logs_bucket" {
  description = "S3 bucket for the ALB access logs; empty disables them."
  type        = string
  default     = ""
}

variable "enable_deletion_protection" {
  description = "Protect the load balancer from deletion (prod)."
  type        = bool
  default     = false
}

variable "cloudwatch_agent_config_parameter" {
  description = "SSM parameter holding the CloudWatch agent configuration the instances load at boot."
  type        = string
}

variable "enable_instance_refresh" {
  description = "Roll the instances through an instance refresh (Rolling, with the preferences of rollout) when the launch template changes; false: new instances get the new template only as the group replaces them."
  type        = bool
  default     = true
}

variable "rollout" {
  description = <<-EOT
    How a new launch template version rolls through the Auto Scaling group (instance refresh, Rolling):
    min_healthy_percentage / max_healthy_percentage of the desired capacity kept in service / allowed during the
    refresh, checkpoints (ascending percentages of the group replaced, ending at 100; [] = no pause) with
    checkpoint_delay_seconds of pause at each, instance_warmup_seconds before a new instance counts as healthy,
    skip_matching (leave instances already on the new template), auto_rollback (undo the refresh when it fails or a
    rollback alarm goes to ALARM).
  EOT
  type = object({
    min_healthy_percentage   = optional(number, 90)
    max_healthy_percentage   = optional(number, 100)
    checkpoints              = optional(list(number), [])
    checkpoint_delay_seconds = optional(number, 300)
    instance_warmup_seconds  = optional(number, 300)
    skip_matching            = optional(bool, true)
    auto_rollback            = optional(bool, true)
  })
  default = {}

  validation {
    condition     = var.rollout.min_healthy_percentage >= 0 && var.rollout.min_healthy_percentage <= 100 && floor(var.rollout.min_healthy_percentage) == var.rollout.min_healthy_percentage
    error_message = "rollout.min_healthy_percentage must be a whole number from 0 to 100 (AWS instance refresh); got ${var.rollout.min_healthy_percentage}."
  }
  validation {
    condition     = var.rollout.max_healthy_percentage >= 100 && var.rollout.max_healthy_percentage <= 200 && floor(var.rollout.max_healthy_percentage) == var.rollout.max_healthy_percentage
    error_message = "rollout.max_healthy_percentage must be a whole number from 100 to 200 (AWS instance refresh); got ${var.rollout.max_healthy_percentage}."
  }
  validation {
    condition     = var.rollout.max_healthy_percentage - var.rollout.min_healthy_percentage <= 100
    error_message = "rollout.max_healthy_percentage minus rollout.min_healthy_percentage must be at most 100 (AWS instance refresh); got ${var.rollout.max_healthy_percentage} - ${var.rollout.min_healthy_percentage}."
  }
  validation {
    condition     = var.rollout.min_healthy_percentage < 100 || var.rollout.max_healthy_percentage > 100
    error_message = "rollout.min_healthy_percentage = 100 needs rollout.max_healthy_percentage above 100 (new instances launch before old ones stop); got ${var.rollout.max_healthy_percentage}."
  }
  validation {
    condition     = alltrue([for i, c in var.rollout.checkpoints : c >= 1 && c <= 100 && floor(c) == c && c > try(var.rollout.checkpoints[i - 1], 0)]) && try(var.rollout.checkpoints[length(var.rollout.checkpoints) - 1], 100) == 100
    error_message = "rollout.checkpoints must be whole percentages from 1 to 100, strictly ascending and ending at 100 (or [] for no checkpoint); got ${jsonencode(var.rollout.checkpoints)}."
  }
  validation {
    condition     = var.rollout.checkpoint_delay_seconds >= 0 && var.rollout.checkpoint_delay_seconds <= 172800
    error_message = "rollout.checkpoint_delay_seconds must be from 0 to 172800 (2 days, the AWS maximum); got ${var.rollout.checkpoint_delay_seconds}."
  }
  validation {
    condition     = var.rollout.instance_warmup_seconds >= 0 && floor(var.rollout.instance_warmup_seconds) == var.rollout.instance_warmup_seconds
    error_message = "rollout.instance_warmup_seconds must be a whole number of seconds, 0 or more; got ${var.rollout.instance_warmup_seconds}."
  }
}

variable "rollback_alarm_names" {
  description = "CloudWatch alarms whose ALARM state rolls an instance refresh back (with rollout.auto_rollback); they must exist when a refresh starts. [] = roll back on failure only."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.rollback_alarm_names) <= 10
    error_message = "rollback_alarm_names holds at most 10 alarms (AWS instance refresh alarm specification); got ${length(var.rollback_alarm_names)}."
  }
}

variable "blue_green" {
  description = <<-EOT
    Blue/green deployment instead of rolling instance refreshes; null = rolling. Two Auto Scaling groups of the same
    size, blue (running ami_name) and green (running green_ami_name), each with its own target group, behind one
    weighted listener forward: the live color gets 100 - idle_weight percent of the requests, the other idle_weight
    (0 = none; up to 50 for a canary). A release pins the new image on the idle color (`ec2stack ami --update ENV`),
    then `ec2stack switch ENV` makes it live; switching back is the same command, and changes only the weights.
  EOT
  type = object({
    live           = string
    green_ami_name = string
    idle_weight    = optional(number, 0)
  })
  default = null

  validation {
    condition     = var.blue_green == null || try(contains(["blue", "green"], var.blue_green.live), false)
    error_message = "blue_green.live must be \"blue\" or \"green\"; got \"${try(var.blue_green.live, "")}\"."
  }
  validation {
    condition     = var.blue_green == null || try(can(regex(lookup(local.ami_name_shapes, var.operating_system, "^$"), var.blue_green.green_ami_name)), false)
    error_message = "blue_green.green_ami_name must be an image name of the operating_system family, like ami_name; got \"${try(var.blue_green.green_ami_name, "")}\" for operating_system \"${var.operating_system}\"."
  }
  validation {
    condition     = var.blue_green == null || try(var.blue_green.idle_weight >= 0 && var.blue_green.idle_weight <= 50 && floor(var.blue_green.idle_weight) == var.blue_green.idle_weight, false)
    error_message = "blue_green.idle_weight must be a whole percentage from 0 to 50 (the idle color's share of the requests); got ${try(var.blue_green.idle_weight, "?")}."
  }
}

variable "capacity_wait_timeout" {
  description = "How long terraform waits for the Auto Scaling group to reach its desired healthy capacity (a duration such as \"10m\"); \"0\" does not wait."
  type        = string
  default     = "10m"

  validation {
    condition     = can(regex("^(0|[0-9]+(s|m|h))$", var.capacity_wait_timeout))
    error_message = "capacity_wait_timeout must be 0 or a duration such as 10m, 600s or 1h; got \"${var.capacity_wait_timeout}\"."
  }
}

variable "off_hours_schedule" {
  description = "Scale the group down out of hours (cost lever for non-prod): cron recurrences in time_zone for scale-down and scale-up, and the sizes to use off hours. null = always on."
  type = object({
    time_zone       = optional(string, "UTC")
    scale_down_cron = optional(string, "0 20 * * MON-FRI")
    scale_up_cron   = optional(string, "0 7 * * MON-FRI")
    min_size        = optional(number, 0)
    max_size        = optional(number, 1)
    desired         = optional(number, 0)
  })
  default = null

  validation {
    condition     = var.off_hours_schedule == null || try(can(regex("^([^ ]+ ){4}[^ ]+$", var.off_hours_schedule.scale_down_cron)) && can(regex("^([^ ]+ ){4}[^ ]+$", var.off_hours_schedule.scale_up_cron)), false)
    error_message = "off_hours_schedule crons must be five-field cron expressions such as \"0 20 * * MON-FRI\"; got \"${try(var.off_hours_schedule.scale_down_cron, "")}\" and \"${try(var.off_hours_schedule.scale_up_cron, "")}\"."
  }

  validation {
    condition     = var.off_hours_schedule == null || try(var.off_hours_schedule.min_size <= var.off_hours_schedule.desired && var.off_hours_schedule.desired <= var.off_hours_schedule.max_size, false)
    error_message = "off_hours_schedule needs min_size <= desired <= max_size; got ${try(var.off_hours_schedule.min_size, "?")} <= ${try(var.off_hours_schedule.desired, "?")} <= ${try(var.off_hours_schedule.max_size, "?")}."
  }

  validation {
    condition     = var.off_hours_schedule == null || try(can(regex("^(UTC|[A-Za-z]+/[A-Za-z_+-]+(/[A-Za-z_+-]+)?)$", var.off_hours_schedule.time_zone)), false)
    error_message = "off_hours_schedule.time_zone must be UTC or an IANA time zone such as Europe/Berlin; got \"${try(var.off_hours_schedule.time_zone, "")}\"."
  }
}
