locals {
  default_engine_versions = {
    postgres = "16"
    mysql    = "8.0"
  }
  engine_version = coalesce(var.engine_version, local.default_engine_versions[var.engine])

  # Parameter group family: postgres<major> (postgres16) or mysql<major.minor> (mysql8.0).
  version_parts = split(".", local.engine_version)
  family        = var.engine == "postgres" ? "postgres${local.version_parts[0]}" : "mysql${join(".", slice(local.version_parts, 0, 2))}"

  port = var.engine == "postgres" ? 5432 : 3306

  log_exports = {
    postgres = ["postgresql", "upgrade"]
    mysql    = ["error", "general", "slowquery"]
  }

  # Refuse unencrypted connections (security baseline: TLS-only parameter group).
  tls_parameters = {
    postgres = { name = "rds.force_ssl", value = "1" }
    mysql    = { name = "require_secure_transport", value = "ON" }
  }
  parameters = var.enforce_tls ? [local.tls_parameters[var.engine]] : []

  performance_insights_enabled = var.enable_performance_insights
  monitoring_enabled           = var.monitoring_interval > 0

  identifier = "${var.name}-db"

  # RDS creates /aws/rds/instance/<id>/<log> itself on first export, unencrypted and kept forever: create them
  # first, with our key and retention, for the instance and its replica.
  log_groups = merge([
    for id in concat([local.identifier], var.enable_read_replica ? ["${local.identifier}-replica"] : []) : {
      for log in local.log_exports[var.engine] : "${id}/${log}" => "/aws/rds/instance/${id}/${log}"
    }
  ]...)
}

resource "aws_cloudwatch_log_group" "exports" {
  for_each = local.log_groups

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
}

# When the instance is created: names its final snapshot, so a later instance of the same name (a second
# destroy of prod) does not collide with the first one's snapshot.
resource "terraform_data" "created" {
  input = { identifier = local.identifier, at = timestamp() }

  lifecycle {
    ignore_changes = [input]
  }
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_db_subnet_group" "this" {
  name        = "${var.name}-db"
  description = "${var.name} database subnets"
  subnet_ids  = var.subnet_ids
}

resource "aws_db_parameter_group" "this" {
  # A prefix, not a fixed name: a new family (major upgrade) creates the new group before the old one goes.
  name_prefix = "${var.name}-${replace(local.family, ".", "-")}-"
  family      = local.family
  description = "${var.name} ${local.family} parameters (TLS only)"

  dynamic "parameter" {
    for_each = local.parameters
    content {
      name  = parameter.value.name
      value = parameter.value.value
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_iam_role" "monitoring" {
  count = local.monitoring_enabled ? 1 : 0

  name        = "${var.name}-rds-monitoring"
  description = "Lets RDS Enhanced Monitoring publish OS metrics of ${local.identifier} to CloudWatch Logs."
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
      # Only for this account's database instances (confused deputy).
      Condition = {
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:rds:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:db:*" }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = local.monitoring_enabled ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "this" {
  identifier     = local.identifier
  engine         = var.engine
  engine_version = local.engine_version
  instance_class = var.instance_class
  port           = local.port

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_name                       = var.database_name
  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  db_subnet_group_name                = aws_db_subnet_group.this.name
  vpc_security_group_ids              = [var.security_group_id]
  parameter_group_name                = aws_db_parameter_group.this.name
  publicly_accessible                 = false
  multi_az                            = var.multi_az
  iam_database_authentication_enabled = true

  performance_insights_enabled          = local.performance_insights_enabled
  performance_insights_kms_key_id       = local.performance_insights_enabled ? var.kms_key_arn : null
  performance_insights_retention_period = local.performance_insights_enabled ? var.performance_insights_retention_days : null
  monitoring_interval                   = local.monitoring_enabled ? var.monitoring_interval : 0
  monitoring_role_arn                   = local.monitoring_enabled ? aws_iam_role.monitoring[0].arn : null
  enabled_cloudwatch_logs_exports       = local.log_exports[var.engine]

  # Automated backups give point-in-time recovery to any second inside the retention window (README).
  backup_retention_period    = var.backup_retention_days
  backup_window              = var.backup_window
  maintenance_window         = var.maintenance_window
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  apply_immediately          = false

  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = var.deletion_protection ? "${local.identifier}-final-${formatdate("YYYYMMDDhhmmss", terraform_data.created.output.at)}" : null

  # The role's permissions must exist before RDS starts publishing metrics with it; the log groups before RDS
  # creates its own.
  depends_on = [aws_iam_role_policy_attachment.monitoring, aws_cloudwatch_log_group.exports]
}

resource "aws_db_instance" "replica" {
  count = var.enable_read_replica ? 1 : 0

  identifier          = "${local.identifier}-replica"
  replicate_source_db = aws_db_instance.this.identifier
  instance_class      = var.instance_class
  port                = local.port

  max_allocated_storage = var.max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  vpc_security_group_ids              = [var.security_group_id]
  parameter_group_name                = aws_db_parameter_group.this.name
  publicly_accessible                 = false
  iam_database_authentication_enabled = true

  performance_insights_enabled          = local.performance_insights_enabled
  performance_insights_kms_key_id       = local.performance_insights_enabled ? var.kms_key_arn : null
  performance_insights_retention_period = local.performance_insights_enabled ? var.performance_insights_retention_days : null
  monitoring_interval                   = local.monitoring_enabled ? var.monitoring_interval : 0
  monitoring_role_arn                   = local.monitoring_enabled ? aws_iam_role.monitoring[0].arn : null
  enabled_cloudwatch_logs_exports       = local.log_exports[var.engine]

  maintenance_window         = var.maintenance_window
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  apply_immediately          = false

  # A replica has no backups of its own and nothing to snapshot on delete: the source keeps the data.
  deletion_protection = var.deletion_protection
  skip_final_snapshot = true

  depends_on = [aws_iam_role_policy_attachment.monitoring, aws_cloudwatch_log_group.exports]
}
