# Plan-level tests, fully offline (mock provider). Run in the module dir:
#   terraform init -backend=false && terraform test

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
}

variables {
  name              = "ec2stack-test"
  subnet_ids        = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]
  security_group_id = "sg-0123abcd"
  kms_key_arn       = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  log_kms_key_arn   = "arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000"
}

run "defaults_postgres" {
  command = plan

  assert {
    condition     = aws_db_instance.this.engine == "postgres" && aws_db_instance.this.engine_version == "16"
    error_message = "default engine must be postgres 16"
  }
  assert {
    condition     = aws_db_parameter_group.this.family == "postgres16"
    error_message = "parameter group family must follow the engine version"
  }
  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.kms_key_id == var.kms_key_arn && aws_db_instance.this.storage_type == "gp3"
    error_message = "storage must be gp3 and encrypted with our CMK"
  }
  assert {
    condition     = aws_db_instance.this.publicly_accessible == false
    error_message = "instance must not be public"
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.master_user_secret_kms_key_id == var.kms_key_arn
    error_message = "master password must be managed in Secrets Manager with our CMK"
  }
  assert {
    condition     = aws_db_instance.this.iam_database_authentication_enabled && aws_db_instance.this.copy_tags_to_snapshot && aws_db_instance.this.auto_minor_version_upgrade
    error_message = "IAM auth, copy_tags_to_snapshot and auto minor upgrades must be on"
  }
  assert {
    condition     = length([for p in aws_db_parameter_group.this.parameter : p if p.name == "rds.force_ssl" && p.value == "1"]) == 1
    error_message = "postgres parameter group must set rds.force_ssl = 1"
  }
  assert {
    condition     = aws_db_instance.this.performance_insights_enabled && aws_db_instance.this.performance_insights_kms_key_id == var.kms_key_arn && aws_db_instance.this.performance_insights_retention_period == 7
    error_message = "Performance Insights must be on with our CMK and 7 days retention"
  }
  assert {
    condition     = aws_db_instance.this.monitoring_interval == 60 && length(aws_iam_role.monitoring) == 1 && length(aws_iam_role_policy_attachment.monitoring) == 1
    error_message = "enhanced monitoring must be on at 60 s with its role"
  }
  assert {
    condition     = jsondecode(aws_iam_role.monitoring[0].assume_role_policy).Statement[0].Principal.Service == "monitoring.rds.amazonaws.com"
    error_message = "monitoring role must trust monitoring.rds.amazonaws.com only"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.monitoring[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    error_message = "monitoring role must carry AmazonRDSEnhancedMonitoringRole"
  }
  assert {
    condition     = toset(aws_db_instance.this.enabled_cloudwatch_logs_exports) == toset(["postgresql", "upgrade"])
    error_message = "postgres must export postgresql and upgrade logs"
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period == 7 && aws_db_instance.this.apply_immediately == false
    error_message = "backups must be kept 7 days by default and changes wait for the maintenance window"
  }
  assert {
    condition     = aws_db_instance.this.skip_final_snapshot && aws_db_instance.this.final_snapshot_identifier == null && aws_db_instance.this.deletion_protection == false
    error_message = "without deletion protection the final snapshot is skipped"
  }
  assert {
    condition     = aws_db_instance.this.max_allocated_storage == 100 && aws_db_instance.this.allocated_storage == 20
    error_message = "storage must start at 20 GiB and autoscale to 100 GiB"
  }
  assert {
    condition     = length(aws_db_instance.replica) == 0 && output.replica_endpoint == null
    error_message = "no replica by default"
  }
  assert {
    condition     = output.port == 5432 && output.engine == "postgres"
    error_message = "postgres listens on 5432"
  }
}

run "insights_monitoring_tls_off" {
  command = plan

  variables {
    enforce_tls                 = false
    enable_performance_insights = false
    monitoring_interval         = 0
  }

  assert {
    condition     = length(aws_db_parameter_group.this.parameter) == 0
    error_message = "enforce_tls = false: the parameter group carries no parameters"
  }
  assert {
    condition     = aws_db_instance.this.performance_insights_enabled == false
    error_message = "enable_performance_insights = false: Performance Insights must be off"
  }
  assert {
    condition     = aws_db_instance.this.monitoring_interval == 0 && length(aws_iam_role.monitoring) == 0
    error_message = "monitoring_interval = 0: enhanced monitoring and its role must be off"
  }
  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.publicly_accessible == false && aws_db_instance.this.iam_database_authentication_enabled
    error_message = "encryption, privacy and IAM auth do not depend on these settings"
  }
}

run "mysql_prod_like" {
  command = plan

  variables {
    engine                      = "mysql"
    instance_class              = "db.m6g.large"
    multi_az                    = true
    backup_retention_days       = 30
    deletion_protection         = true
    enable_read_replica         = true
    max_allocated_storage_gb    = 20
    monitoring_interval         = 0
    enable_performance_insights = true
  }

  assert {
    condition     = aws_db_instance.this.engine_version == "8.0" && aws_db_parameter_group.this.family == "mysql8.0"
    error_message = "mysql defaults to 8.0 / family mysql8.0"
  }
  assert {
    condition     = length([for p in aws_db_parameter_group.this.parameter : p if p.name == "require_secure_transport" && p.value == "ON"]) == 1
    error_message = "mysql parameter group must set require_secure_transport = ON"
  }
  assert {
    condition     = toset(aws_db_instance.this.enabled_cloudwatch_logs_exports) == toset(["error", "general", "slowquery"])
    error_message = "mysql must export error, general and slowquery logs"
  }
  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.deletion_protection && aws_db_instance.this.backup_retention_period == 30
    error_message = "multi_az, deletion protection and retention must follow the inputs"
  }
  assert {
    condition     = aws_db_instance.this.skip_final_snapshot == false
    error_message = "with deletion protection a final snapshot must be taken"
  }
  # The exported logs go to log groups we create first, with our key and retention (RDS would create its own).
  assert {
    condition = toset(keys(aws_cloudwatch_log_group.exports)) == toset([
      "ec2stack-test-db/error", "ec2stack-test-db/general", "ec2stack-test-db/slowquery",
      "ec2stack-test-db-replica/error", "ec2stack-test-db-replica/general", "ec2stack-test-db-replica/slowquery",
    ]) && aws_cloudwatch_log_group.exports["ec2stack-test-db/error"].name == "/aws/rds/instance/ec2stack-test-db/error"
    error_message = "every exported log of the instance and the replica needs its /aws/rds/instance/<id>/<log> group"
  }
  assert {
    condition     = alltrue([for g in aws_cloudwatch_log_group.exports : g.kms_key_id == var.log_kms_key_arn && g.retention_in_days == 365])
    error_message = "the database log groups must use the logs key and the retention"
  }
  assert {
    condition     = aws_db_instance.this.monitoring_interval == 0 && length(aws_iam_role.monitoring) == 0
    error_message = "monitoring_interval 0 must turn monitoring and its role off"
  }
  assert {
    condition     = output.port == 3306
    error_message = "mysql listens on 3306"
  }
  assert {
    condition     = length(aws_db_instance.replica) == 1 && aws_db_instance.replica[0].replicate_source_db == "ec2stack-test-db"
    error_message = "enable_read_replica must create one replica of the primary"
  }
  assert {
    condition     = aws_db_instance.replica[0].instance_class == "db.m6g.large" && aws_db_instance.replica[0].storage_encrypted && aws_db_instance.replica[0].kms_key_id == var.kms_key_arn && aws_db_instance.replica[0].publicly_accessible == false
    error_message = "replica must use the same class, be encrypted with our CMK and not be public"
  }
  assert {
    condition     = aws_db_instance.replica[0].performance_insights_enabled && aws_db_instance.replica[0].monitoring_interval == 0
    error_message = "replica must follow the primary's PI/monitoring settings"
  }
}

# The final snapshot's name carries the instance's creation time: a second prod destroy (of a later instance of the
# same name) must not collide with the first one's snapshot. Applied with the mock provider to read the name.
run "final_snapshot_name_is_unique" {
  command = apply

  variables {
    deletion_protection = true
    monitoring_interval = 0 # the mock role's ARN would not pass the provider's ARN check
  }

  assert {
    condition     = can(regex("^ec2stack-test-db-final-[0-9]{14}$", aws_db_instance.this.final_snapshot_identifier))
    error_message = "the final snapshot must be named <identifier>-final-<creation time>, not a fixed name"
  }
}

run "monitoring_role_trusts_this_account_only" {
  command = plan

  assert {
    condition     = jsondecode(aws_iam_role.monitoring[0].assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:rds:eu-west-1:123456789012:db:*" && jsondecode(aws_iam_role.monitoring[0].assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "the Enhanced Monitoring role must trust RDS on behalf of this account's instances only"
  }
}

run "explicit_engine_version" {
  command = plan

  variables {
    engine_version = "15.7"
  }

  assert {
    condition     = aws_db_instance.this.engine_version == "15.7" && aws_db_parameter_group.this.family == "postgres15"
    error_message = "family must be postgres<major> for a full version"
  }
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "Ec2stack_Dev"
  }
  expect_failures = [var.name]
}

run "rejects_one_subnet" {
  command = plan
  variables {
    subnet_ids = ["subnet-0a1b2c3d"]
  }
  expect_failures = [var.subnet_ids]
}

run "rejects_bad_security_group" {
  command = plan
  variables {
    security_group_id = "default"
  }
  expect_failures = [var.security_group_id]
}

run "rejects_kms_alias" {
  command = plan
  variables {
    kms_key_arn = "alias/aws/rds"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_unknown_engine" {
  command = plan
  variables {
    engine = "mariadb"
  }
  expect_failures = [var.engine]
}

run "rejects_mysql_version_for_postgres" {
  command = plan
  variables {
    engine_version = "8.0"
  }
  expect_failures = [var.engine_version]
}

run "rejects_bad_instance_class" {
  command = plan
  variables {
    instance_class = "t3.micro"
  }
  expect_failures = [var.instance_class]
}

run "rejects_small_storage" {
  command = plan
  variables {
    allocated_storage_gb = 10
  }
  expect_failures = [var.allocated_storage_gb]
}

run "rejects_max_below_allocated" {
  command = plan
  variables {
    allocated_storage_gb     = 50
    max_allocated_storage_gb = 40
  }
  expect_failures = [var.max_allocated_storage_gb]
}

run "rejects_bad_database_name" {
  command = plan
  variables {
    database_name = "1app-db"
  }
  expect_failures = [var.database_name]
}

run "rejects_reserved_username" {
  command = plan
  variables {
    master_username = "rdsadmin"
  }
  expect_failures = [var.master_username]
}

run "rejects_retention_out_of_range" {
  command = plan
  variables {
    backup_retention_days = 36
  }
  expect_failures = [var.backup_retention_days]
}

run "rejects_short_retention_with_multi_az" {
  command = plan
  variables {
    multi_az              = true
    backup_retention_days = 3
  }
  expect_failures = [var.backup_retention_days]
}

run "rejects_bad_backup_window" {
  command = plan
  variables {
    backup_window = "3am-4am"
  }
  expect_failures = [var.backup_window]
}

run "rejects_bad_maintenance_window" {
  command = plan
  variables {
    maintenance_window = "sunday:04:30-sunday:05:30"
  }
  expect_failures = [var.maintenance_window]
}

run "rejects_pi_on_small_mysql" {
  command = plan
  variables {
    engine = "mysql"
  }
  expect_failures = [var.enable_performance_insights]
}

run "rejects_bad_pi_retention" {
  command = plan
  variables {
    performance_insights_retention_days = 30
  }
  expect_failures = [var.performance_insights_retention_days]
}

run "rejects_bad_monitoring_interval" {
  command = plan
  variables {
    monitoring_interval = 45
  }
  expect_failures = [var.monitoring_interval]
}
