# The composition the environment roots call: wires the modules together. No resources of its own.

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  name               = "${var.project}-${var.environment}"
  availability_zones = slice(sort(data.aws_availability_zones.available.names), 0, var.availability_zone_count)
  database_port      = var.database.engine == "mysql" ? 3306 : 5432
  enable_https       = var.domain_name != ""

  # The emulator switch becomes plain settings of the modules here and nowhere else: every argument below that
  # reads local.on_aws is something moto 5.2.1 cannot run or read back (docs/emulator.md says what and why).
  on_aws = !var.emulator_mode

  # The critical alarms that roll an instance refresh back, named as the monitoring module names its alarms
  # ("<name>-<key with hyphens>"): computed from the name prefix, since module.monitoring reads compute's outputs.
  rollback_alarm_names = var.enable_alarms ? [for k in ["unhealthy_hosts_critical", "alb_target_5xx_critical", "alb_elb_5xx_critical"] : "${local.name}-${replace(k, "_", "-")}"] : []

  # Ubuntu's package mirrors are plain HTTP: the instances need port 80 out to install updates.
  http_egress = var.operating_system == "ubuntu-22.04"
}

module "network" {
  source = "../network"

  name                        = local.name
  vpc_cidr                    = var.vpc_cidr
  subnet_newbits              = var.subnet_newbits
  availability_zones          = local.availability_zones
  nat_gateway_mode            = var.nat_gateway_mode
  interface_endpoint_services = var.interface_endpoint_services
  endpoints_security_group_id = module.security.endpoints_security_group_id
  app_port                    = var.app_port
  database_port               = local.database_port
  ssh_authorized_cidrs        = var.ssh_authorized_cidrs
  http_egress                 = local.http_egress
  flow_log_kms_key_arn        = module.security.logs_kms_key_arn
  flow_log_retention_days     = var.log_retention_days
}

module "security" {
  source = "../security"
  providers = {
    aws           = aws
    aws.dr        = aws.dr
    aws.us_east_1 = aws.us_east_1
  }

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  app_port                   = var.app_port
  database_port              = local.database_port
  ssh_authorized_cidrs       = var.ssh_authorized_cidrs
  http_egress                = local.http_egress
  kms_deletion_window_days   = var.kms_deletion_window_days
  log_group_prefix           = "/${local.name}"
  ssm_parameter_prefix       = "/${local.name}"
  restrict_alb_to_cloudfront = var.enable_cloudfront
  cloudfront_prefix_list_id  = module.edge.cloudfront_prefix_list_id
  enable_dr_key              = var.enable_backup && var.enable_cross_region_backup
  enable_us_east_1_logs_key  = var.enable_cloudfront && var.enable_waf
}

module "logs" {
  source = "../logs"

  name                   = local.name
  enable_alb_logs        = true
  enable_cloudfront_logs = var.enable_cloudfront
  # Without deletion protection (dev, staging) destroy empties the versioned log buckets; with it (prod) it
  # refuses while they hold logs.
  force_destroy = !var.enable_deletion_protection
}

module "compute" {
  source = "../compute"

  name                              = local.name
  tags                              = var.tags
  vpc_id                            = module.network.vpc_id
  public_subnet_ids                 = values(module.network.public_subnet_ids)
  private_subnet_ids                = values(module.network.private_subnet_ids)
  alb_security_group_id             = module.security.alb_security_group_id
  app_security_group_id             = module.security.app_security_group_id
  instance_profile_arn              = module.security.instance_profile_arn
  ebs_kms_key_arn                   = module.security.ebs_kms_key_arn
  operating_system                  = var.operating_system
  ami_name                          = var.ami_name
  instance_type                     = var.instance_type
  enable_spot                       = var.enable_spot
  spot_instance_types               = var.spot_instance_types
  enable_detailed_monitoring        = var.enable_detailed_monitoring
  asg_min_size                      = var.asg_min_size
  asg_max_size                      = var.asg_max_size
  asg_desired_capacity              = var.asg_desired_capacity
  cpu_target_utilization            = var.cpu_target_utilization
  off_hours_schedule                = var.off_hours_schedule
  app_port                          = var.app_port
  health_check                      = var.health_check
  enable_https                      = local.enable_https
  certificate_arn                   = module.edge.alb_certificate_arn
  access_logs_bucket                = module.logs.alb_logs_bucket
  enable_deletion_protection        = var.enable_deletion_protection && local.on_aws
  cloudwatch_agent_config_parameter = module.monitoring.cloudwatch_agent_config_parameter
  capacity_wait_timeout             = local.on_aws ? "10m" : "0"
  enable_instance_refresh           = local.on_aws
  rollout                           = var.rollout
  blue_green                        = var.blue_green
  rollback_alarm_names              = local.rollback_alarm_names
}

module "database" {
  source = "../database"
  count  = var.enable_database ? 1 : 0

  name                  = local.name
  subnet_ids            = values(module.network.database_subnet_ids)
  security_group_id     = module.security.database_security_group_id
  kms_key_arn           = module.security.data_kms_key_arn
  engine                = var.database.engine
  engine_version        = var.database.engine_version
  instance_class        = var.database.instance_class
  allocated_storage_gb  = var.database.allocated_storage_gb
  multi_az              = var.database.multi_az
  deletion_protection   = var.database.deletion_protection && local.on_aws
  backup_retention_days = var.database.backup_retention_days
  enable_read_replica   = var.database.enable_read_replica
  log_kms_key_arn       = module.security.logs_kms_key_arn
  log_retention_days    = var.log_retention_days

  enforce_tls                 = local.on_aws
  enable_performance_insights = local.on_aws
  monitoring_interval         = local.on_aws ? 60 : 0
}

module "edge" {
  source = "../edge"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name                   = local.name
  domain_name            = var.domain_name
  create_hosted_zone     = var.domain_name != "" && var.hosted_zone_id == ""
  hosted_zone_id         = var.hosted_zone_id
  alb_arn                = module.compute.alb_arn
  alb_dns_name           = module.compute.alb_dns_name
  alb_zone_id            = module.compute.alb_zone_id
  enable_cloudfront      = var.enable_cloudfront
  enable_waf             = var.enable_waf
  cloudfront_logs_bucket = module.logs.cloudfront_logs_bucket == null ? "" : module.logs.cloudfront_logs_bucket
  waf_log_retention_days = var.log_retention_days
  logs_kms_key_arn       = module.security.logs_kms_key_arn

  logs_kms_key_arn_us_east_1 = module.security.logs_kms_key_arn_us_east_1

  create_security_headers_policy = local.on_aws
  wait_for_deployment            = local.on_aws
}

module "monitoring" {
  source = "../monitoring"

  name                     = local.name
  environment              = var.environment
  kms_key_arn              = module.security.logs_kms_key_arn
  log_retention_days       = var.log_retention_days
  autoscaling_group_name   = module.compute.autoscaling_group_name
  autoscaling_group_names  = values(module.compute.autoscaling_group_names)
  alb_arn_suffix           = module.compute.alb_arn_suffix
  target_group_arn_suffix  = module.compute.target_group_arn_suffix
  db_instance_id           = one(module.database[*].db_instance_id)
  nat_gateway_ids          = module.network.nat_gateway_ids
  sns_kms_key_arn          = module.security.sns_kms_key_arn
  alarm_emails             = var.alarm_emails
  enable_alarms            = var.enable_alarms
  alarm_thresholds         = var.alarm_thresholds
  enable_composite_alarm   = var.enable_on_call && local.on_aws
  enable_asg_notifications = var.enable_on_call && local.on_aws
}

module "backup" {
  source = "../backup"
  count  = var.enable_backup ? 1 : 0
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name                     = local.name
  kms_key_arn              = module.security.data_kms_key_arn
  retention_days           = var.backup_retention_days
  selection_tags           = { Project = var.project, Environment = var.environment }
  enable_cross_region_copy = var.enable_cross_region_backup
  dr_kms_key_arn           = module.security.dr_kms_key_arn
  # As the log buckets: destroy deletes the recovery points without deletion protection, refuses with it.
  vault_force_destroy = !var.enable_deletion_protection
  # DLM targets exactly the Name tag the Auto Scaling group puts on its volumes (unique to this environment).
  ebs_target_tags  = { Name = module.compute.volume_tags["Name"] }
  ebs_kms_key_arns = [module.security.ebs_kms_key_arn]

  enable_selection     = local.on_aws
  enable_ebs_snapshots = local.on_aws

  # With cross-region copies, the database's automated backups are replicated to the DR region too (moto has no
  # StartDBInstanceAutomatedBackupsReplication).
  replicate_database_backups     = var.enable_cross_region_backup && var.enable_database && local.on_aws
  database_arn                   = one(module.database[*].db_instance_arn)
  database_backup_retention_days = var.database.backup_retention_days
}
