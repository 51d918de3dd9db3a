# The composition the environment roots call: wires network, security, monitoring and compute together.
# No resources of its own.

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
  database_port               = var.database_port
  ssh_authorized_cidrs        = var.ssh_authorized_cidrs
  flow_log_kms_key_arn        = module.security.logs_kms_key_arn
  flow_log_retention_days     = var.log_retention_days
}

module "security" {
  source = "../security"

  name                     = local.name
  vpc_id                   = module.network.vpc_id
  app_port                 = var.app_port
  database_port            = var.database_port
  ssh_authorized_cidrs     = var.ssh_authorized_cidrs
  kms_deletion_window_days = var.kms_deletion_window_days
  log_group_prefix         = "/${local.name}"
  ssm_parameter_prefix     = "/${local.name}"
}

module "monitoring" {
  source = "../monitoring"

  name               = local.name
  kms_key_arn        = module.security.logs_kms_key_arn
  log_retention_days = var.log_retention_days
}

module "compute" {
  source = "../compute"

  name                       = local.name
  tags                       = var.tags
  vpc_id                     = module.network.vpc_id
  public_subnet_ids          = values(module.network.public_subnet_ids)
  private_subnet_ids         = values(module.network.private_subnet_ids)
  alb_security_group_id      = module.security.alb_security_group_id
  app_security_group_id      = module.security.app_security_group_id
  instance_profile_arn       = module.security.instance_profile_arn
  ebs_kms_key_arn            = module.security.ebs_kms_key_arn
  operating_system           = var.operating_system
  instance_type              = var.instance_type
  enable_spot                = var.enable_spot
  spot_instance_types        = var.spot_instance_types
  enable_detailed_monitoring = var.enable_detailed_monitoring
  asg_min_size               = var.asg_min_size
  asg_max_size               = var.asg_max_size
  asg_desired_capacity       = var.asg_desired_capacity
  cpu_target_utilization     = var.cpu_target_utilization
  app_port                   = var.app_port
  health_check               = var.health_check
  certificate_arn            = var.certificate_arn
  enable_deletion_protection = var.enable_deletion_protection
  log_group_names            = module.monitoring.log_group_names
  emulator_mode              = var.emulator_mode
}
