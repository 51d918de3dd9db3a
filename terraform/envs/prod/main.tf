# prod: 3 AZs, NAT per AZ, no SSH at all (SSM Session Manager only), Multi-AZ RDS, deletion protection, backups 30 days.
# Values only: `diff` against another environment's main.tf shows every difference.
locals {
  environment = "prod"

  tags = {
    Project     = var.project
    Environment = local.environment
    ManagedBy   = "terraform"
  }
}

module "stack" {
  source = "../../modules/stack"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
    aws.dr        = aws.dr
  }

  project       = var.project
  environment   = local.environment
  tags          = local.tags
  emulator_mode = var.emulator_mode

  # Network
  vpc_cidr                = "10.2.0.0/16"
  availability_zone_count = 3
  nat_gateway_mode        = "per_az"

  # Security
  ssh_authorized_cidrs     = []
  kms_deletion_window_days = 30
  log_retention_days       = 365

  # Compute
  ami_name                   = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
  instance_type              = "t3.large"
  asg_min_size               = 3
  asg_max_size               = 10
  asg_desired_capacity       = 3
  enable_spot                = false
  spot_instance_types        = []
  enable_detailed_monitoring = true
  enable_deletion_protection = true
  off_hours_schedule         = null

  # Rollout: a new launch template rolls through an instance refresh, rolled back on failure or critical alarm.
  rollout = { min_healthy_percentage = 100, max_healthy_percentage = 150, checkpoints = [34, 67, 100], checkpoint_delay_seconds = 600, instance_warmup_seconds = 300 }

  # Blue/green instead of rolling (null = off): a second group on its own image behind a weighted listener.
  blue_green = null

  # Database
  database = {
    instance_class        = "db.t3.medium"
    multi_az              = true
    deletion_protection   = true
    backup_retention_days = 30
  }

  # Edge
  hosted_zone_id    = var.hosted_zone_id
  domain_name       = coalesce(var.domain_name, "app.ec2stack.example") # placeholder: set TF_VAR_domain_name to a domain you own
  enable_cloudfront = true
  enable_waf        = true

  # Monitoring
  alarm_emails     = var.alarm_emails
  enable_on_call   = true
  alarm_thresholds = { cpu_warning = 60, cpu_critical = 80 }

  # Backup
  enable_backup              = true
  backup_retention_days      = 30
  enable_cross_region_backup = true
}
