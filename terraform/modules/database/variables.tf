variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 3-32 lowercase letters, digits or single hyphens, starting with a letter and not ending in a hyphen; got \"${var.name}\"."
  }
}

variable "subnet_ids" {
  description = "Database-tier subnets of the DB subnet group (at least two, in different AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least 2 subnets in different AZs (RDS requires it, even for Single-AZ); got ${length(var.subnet_ids)}."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must be subnet ids such as subnet-0abc123; got [${join(", ", var.subnet_ids)}]."
  }

  validation {
    condition     = length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must not repeat a subnet; got [${join(", ", var.subnet_ids)}]."
  }
}

variable "security_group_id" {
  description = "Security group of the database (ingress on the database port from the app tier only)."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.security_group_id))
    error_message = "security_group_id must be a security group id such as sg-0abc123; got \"${var.security_group_id}\"."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the storage, the Performance Insights data and the Secrets Manager master secret."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID, not an alias); got \"${var.kms_key_arn}\"."
  }
}

variable "engine" {
  description = "Database engine: \"postgres\" or \"mysql\"."
  type        = string
  default     = "postgres"

  validation {
    condition     = contains(["postgres", "mysql"], var.engine)
    error_message = "engine must be \"postgres\" or \"mysql\"; got \"${var.engine}\"."
  }
}

variable "engine_version" {
  description = "Engine version: a major (\"16\" for postgres, \"8.0\" for mysql) lets RDS pick the latest minor and auto minor upgrades keep it current; null uses those per-engine defaults."
  type        = string
  default     = null

  validation {
    condition = var.engine_version == null || (
      var.engine == "postgres" ? can(regex("^[0-9]{2}(\\.[0-9]+)?$", var.engine_version)) : can(regex("^[0-9]\\.[0-9](\\.[0-9]+)?$", var.engine_version))
    )
    error_message = "engine_version must look like \"16\" or \"16.4\" for postgres and \"8.0\" or \"8.0.39\" for mysql; got \"${coalesce(var.engine_version, "null")}\" for engine \"${var.engine}\"."
  }
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t3.micro."
  type        = string
  default     = "db.t3.micro"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.<family>.<size>, e.g. db.t3.micro; got \"${var.instance_class}\"."
  }
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage_gb == floor(var.allocated_storage_gb) && var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 65536
    error_message = "allocated_storage_gb must be a whole number from 20 to 65536 (gp3 limits); got ${var.allocated_storage_gb}."
  }
}

variable "max_allocated_storage_gb" {
  description = "Upper limit for storage autoscaling in GiB; equal to allocated_storage_gb turns autoscaling off."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage_gb == floor(var.max_allocated_storage_gb) && var.max_allocated_storage_gb >= var.allocated_storage_gb && var.max_allocated_storage_gb <= 65536
    error_message = "max_allocated_storage_gb must be a whole number from allocated_storage_gb (${var.allocated_storage_gb}) to 65536; got ${var.max_allocated_storage_gb}."
  }
}

variable "database_name" {
  description = "Name of the database created in the instance."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be 1-63 letters, digits or underscores, starting with a letter; got \"${var.database_name}\"."
  }
}

variable "master_username" {
  description = "Master user name; its password is generated and kept by RDS in Secrets Manager."
  type        = string
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,15}$", var.master_username)) && lower(var.master_username) != "rdsadmin" && !(var.engine == "postgres" && lower(var.master_username) == "admin")
    error_message = "master_username must be 1-16 letters, digits or underscores starting with a letter, and not a name RDS reserves (rdsadmin; admin on postgres); got \"${var.master_username}\"."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second AZ (prod)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Days of automated backups kept; point-in-time recovery reaches back this far."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days == floor(var.backup_retention_days) && var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be a whole number from 1 to 35; got ${var.backup_retention_days}."
  }

  validation {
    condition     = !var.multi_az || var.backup_retention_days >= 7
    error_message = "backup_retention_days must be at least 7 when multi_az is true; got ${var.backup_retention_days}."
  }
}

variable "backup_window" {
  description = "Daily UTC window for automated backups (hh24:mi-hh24:mi); must not overlap maintenance_window."
  type        = string
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must be hh24:mi-hh24:mi in UTC, e.g. 03:00-04:00; got \"${var.backup_window}\"."
  }
}

variable "maintenance_window" {
  description = "Weekly UTC window for maintenance (ddd:hh24:mi-ddd:hh24:mi); must not overlap backup_window."
  type        = string
  default     = "sun:04:30-sun:05:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. sun:04:30-sun:05:30; got \"${var.maintenance_window}\"."
  }
}

variable "deletion_protection" {
  description = "Refuse deletion of the instance (prod). When false, destroy skips the final snapshot; when true, a final snapshot is taken if protection is lifted and the instance deleted."
  type        = bool
  default     = false
}

variable "enable_read_replica" {
  description = "Create one read replica of the instance in the same region."
  type        = bool
  default     = false
}

variable "enable_performance_insights" {
  description = "Turn on Performance Insights (encrypted with kms_key_arn). MySQL does not support it on micro/small classes."
  type        = bool
  default     = true

  validation {
    condition     = !(var.enable_performance_insights && var.engine == "mysql" && can(regex("^db\\.t[234]g?\\.(micro|small)$", var.instance_class)))
    error_message = "enable_performance_insights must be false for mysql on ${var.instance_class}: RDS for MySQL has no Performance Insights on t2/t3/t4g micro and small classes."
  }
}

variable "performance_insights_retention_days" {
  description = "Days Performance Insights data is kept: 7 (free tier), a multiple of 31 up to 713, or 731."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_days == 7 || var.performance_insights_retention_days == 731 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days >= 31 && var.performance_insights_retention_days <= 713)
    error_message = "performance_insights_retention_days must be 7, 731, or a multiple of 31 from 31 to 713; got ${var.performance_insights_retention_days}."
  }
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds; 0 turns it (and its IAM role) off."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60; got ${var.monitoring_interval}."
  }
}

variable "enforce_tls" {
  description = "Refuse unencrypted connections through the parameter group (rds.force_ssl for PostgreSQL, require_secure_transport for MySQL). false creates the group without parameters."
  type        = bool
  default     = true
}

variable "log_kms_key_arn" {
  description = "Customer-managed KMS key (CloudWatch Logs key) encrypting the log groups of the exported database logs."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); got \"${var.log_kms_key_arn}\"."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the exported database logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653); got ${var.log_retention_days}."
  }
}
