variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 40 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; got \"${var.name}\"."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the backup vault (its key policy must allow AWS Backup)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a customer-managed KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID); got \"${var.kms_key_arn}\"."
  }
}

variable "retention_days" {
  description = "Days the daily recovery points are kept (7 to 35000)."
  type        = number
  default     = 7

  validation {
    condition     = var.retention_days == floor(var.retention_days) && var.retention_days >= 7 && var.retention_days <= 35000
    error_message = "retention_days must be a whole number from 7 to 35000; got ${var.retention_days}."
  }
}

variable "weekly_retention_days" {
  description = "Days the weekly recovery points are kept; at least retention_days."
  type        = number
  default     = 35

  validation {
    condition     = var.weekly_retention_days == floor(var.weekly_retention_days) && var.weekly_retention_days >= var.retention_days && var.weekly_retention_days <= 35000
    error_message = "weekly_retention_days must be a whole number from retention_days (${var.retention_days}) to 35000; got ${var.weekly_retention_days}."
  }
}

variable "monthly_retention_days" {
  description = "Days the monthly recovery points are kept; at least weekly_retention_days."
  type        = number
  default     = 365

  validation {
    condition     = var.monthly_retention_days == floor(var.monthly_retention_days) && var.monthly_retention_days >= var.weekly_retention_days && var.monthly_retention_days <= 35000
    error_message = "monthly_retention_days must be a whole number from weekly_retention_days (${var.weekly_retention_days}) to 35000; got ${var.monthly_retention_days}."
  }
}

variable "schedules" {
  description = "AWS Backup cron schedules (UTC) of the daily, weekly and monthly rules."
  type = object({
    daily   = optional(string, "cron(0 5 * * ? *)")
    weekly  = optional(string, "cron(0 5 ? * SUN *)")
    monthly = optional(string, "cron(0 5 1 * ? *)")
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for s in [var.schedules.daily, var.schedules.weekly, var.schedules.monthly] : can(regex("^cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)$", s))])
    error_message = "schedules must be six-field AWS cron expressions such as cron(0 5 * * ? *); got daily \"${var.schedules.daily}\", weekly \"${var.schedules.weekly}\", monthly \"${var.schedules.monthly}\"."
  }
}

variable "selection_tags" {
  description = "Resources carrying all of these tags are backed up by the plan (e.g. { Backup = \"true\" })."
  type        = map(string)
  default     = { Backup = "true" }

  validation {
    condition     = length(var.selection_tags) >= 1 && alltrue([for k, v in var.selection_tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256])
    error_message = "selection_tags must hold at least one tag with a 1-128 character key and a value of at most 256 characters; got {${join(", ", [for k, v in var.selection_tags : "${k} = \"${v}\""])}}."
  }
}

variable "selection_resource_types" {
  description = "Kinds of resource the plan may select (with selection_tags): \"rds\" (DB instances). Instances and volumes are left out: DLM snapshots the volumes."
  type        = list(string)
  default     = ["rds"]

  validation {
    condition     = length(var.selection_resource_types) >= 1 && alltrue([for t in var.selection_resource_types : contains(["rds"], t)])
    error_message = "selection_resource_types must list at least one of [\"rds\"]; got [${join(", ", var.selection_resource_types)}]."
  }
}

variable "enable_cross_region_copy" {
  description = "Create a vault in the aws.dr region and copy every recovery point (and DLM EBS snapshot) there, encrypted with dr_kms_key_arn."
  type        = bool
  default     = false
}

variable "dr_kms_key_arn" {
  description = "Customer-managed KMS key in the DR region encrypting the DR vault and the copied EBS snapshots; required with enable_cross_region_copy."
  type        = string
  default     = null

  validation {
    condition     = var.dr_kms_key_arn == null ? !var.enable_cross_region_copy : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.dr_kms_key_arn))
    error_message = "dr_kms_key_arn must be the ARN of a customer-managed KMS key in the DR region when enable_cross_region_copy is true; got \"${coalesce(var.dr_kms_key_arn, "null")}\"."
  }
}

variable "enable_ebs_snapshots" {
  description = "Create a DLM lifecycle policy taking daily snapshots of the EBS volumes carrying ebs_target_tags."
  type        = bool
  default     = true
}

variable "ebs_target_tags" {
  description = "Tags that select the volumes DLM snapshots: exactly the tags the Auto Scaling group propagates to its volumes."
  type        = map(string)
  default     = {}

  validation {
    condition     = !var.enable_ebs_snapshots || length(var.ebs_target_tags) >= 1
    error_message = "ebs_target_tags must hold at least one tag when enable_ebs_snapshots is true; got {${join(", ", [for k, v in var.ebs_target_tags : "${k} = \"${v}\""])}}."
  }
}

variable "ebs_snapshot_retention_count" {
  description = "Number of daily DLM snapshots kept per volume (and days each cross-region copy is kept)."
  type        = number
  default     = 7

  validation {
    condition     = var.ebs_snapshot_retention_count == floor(var.ebs_snapshot_retention_count) && var.ebs_snapshot_retention_count >= 1 && var.ebs_snapshot_retention_count <= 1000
    error_message = "ebs_snapshot_retention_count must be a whole number from 1 to 1000; got ${var.ebs_snapshot_retention_count}."
  }
}

variable "ebs_snapshot_time" {
  description = "UTC time (HH:MM) of the daily DLM snapshot."
  type        = string
  default     = "03:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.ebs_snapshot_time))
    error_message = "ebs_snapshot_time must be a UTC time HH:MM such as 03:00; got \"${var.ebs_snapshot_time}\"."
  }
}

variable "ebs_kms_key_arns" {
  description = "Customer-managed keys of the snapshotted volumes; the DLM role gets the KMS rights it needs on them (and on dr_kms_key_arn) to copy encrypted snapshots."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for k in var.ebs_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", k))])
    error_message = "ebs_kms_key_arns must hold KMS key ARNs (arn:aws:kms:REGION:ACCOUNT:key/ID); got [${join(", ", var.ebs_kms_key_arns)}]."
  }
}

variable "vault_force_destroy" {
  description = "Let terraform destroy the vaults while they still hold recovery points (never in prod)."
  type        = bool
  default     = false
}

variable "enable_selection" {
  description = "Select the resources carrying selection_tags for the plan. false leaves the plan with nothing to back up: only for an API without CreateBackupSelection."
  type        = bool
  default     = true
}

variable "replicate_database_backups" {
  description = "Replicate the database's automated backups (snapshots and transaction logs) to the DR region, encrypted with dr_kms_key_arn: point-in-time restore there after a region loss."
  type        = bool
  default     = false

  validation {
    condition     = !var.replicate_database_backups || var.dr_kms_key_arn != null
    error_message = "replicate_database_backups needs dr_kms_key_arn, the key the replicated backups are encrypted with in the DR region."
  }
}

variable "database_arn" {
  description = "ARN of the RDS instance whose automated backups are replicated (with replicate_database_backups)."
  type        = string
  default     = null

  validation {
    condition     = var.database_arn == null ? !var.replicate_database_backups : can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:db:[a-z][a-z0-9-]*$", var.database_arn))
    error_message = "database_arn must be the ARN of an RDS DB instance when replicate_database_backups is true; got \"${coalesce(var.database_arn, "null")}\"."
  }
}

variable "database_backup_retention_days" {
  description = "Days the replicated automated backups are kept in the DR region (1-35, as RDS allows)."
  type        = number
  default     = 7

  validation {
    condition     = var.database_backup_retention_days >= 1 && var.database_backup_retention_days <= 35 && floor(var.database_backup_retention_days) == var.database_backup_retention_days
    error_message = "database_backup_retention_days must be a whole number of days from 1 to 35 (RDS limit); got ${var.database_backup_retention_days}."
  }
}
