# Cross-region automated backups of the database: RDS replicates its snapshots and transaction logs to the DR
# region as they are taken, so a point-in-time restore there loses minutes of data, not the day since the last
# AWS Backup copy. The resource lives in the DR region (provider aws.dr) and encrypts with the DR key.
resource "aws_db_instance_automated_backups_replication" "this" {
  count    = var.replicate_database_backups ? 1 : 0
  provider = aws.dr

  source_db_instance_arn = var.database_arn
  kms_key_id             = var.dr_kms_key_arn
  retention_period       = var.database_backup_retention_days
}
