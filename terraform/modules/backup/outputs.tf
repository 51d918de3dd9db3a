output "vault_name" {
  description = "Name of the primary-region backup vault."
  value       = aws_backup_vault.this.name
}

output "vault_arn" {
  description = "ARN of the primary-region backup vault."
  value       = aws_backup_vault.this.arn
}

output "plan_id" {
  description = "ID of the backup plan (daily, weekly, monthly rules)."
  value       = aws_backup_plan.this.id
}

output "dr_vault_arn" {
  description = "ARN of the DR-region vault the recovery points are copied to; null without cross-region copy."
  value       = one(aws_backup_vault.dr[*].arn)
}

output "dlm_policy_id" {
  description = "ID of the DLM EBS snapshot policy; null when EBS snapshots are off."
  value       = one(aws_dlm_lifecycle_policy.ebs[*].id)
}

output "backup_role_arn" {
  description = "ARN of the IAM role AWS Backup assumes for the selection (backup and restore)."
  value       = aws_iam_role.backup.arn
}

output "selection_tags" {
  description = "Tags a resource must carry (all of them) to be backed up by the plan."
  value       = var.selection_tags
}

output "database_backups_replication_id" {
  description = "ID (the replicated backups' ARN) of the database's automated backups replication in the DR region; null when off."
  value       = one(aws_db_instance_automated_backups_replication.this[*].id)
}
