# staging: production-like, on-demand, SSH only from the corporate CIDRs given, backups 14 days.
# Values only: `diff` against another environment's main.tf shows every difference.
locals {
  environment = "staging"

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
  vpc_cidr                = "10.1.0.0/16"
  availability_zone_count = 2
  nat_gateway_mode        = "single"

  # Security
  ssh_authorized_cidrs     = var.ssh_authorized_cidrs
  kms_deletion_window_days = 14
  log_retention_days       = 30

  # Compute
  ami_name                   = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
  instance_type              = "t3.medium"
  asg_min_size               = 2
  asg_max_size               = 4
  asg_desired_capacity       = 2
  enable_spot                = false
  spot_instance_types        = []
  enable_detailed_monitoring = true
  enable_deletion_protection = false
  off_hours_schedule         = { time_zone = "UTC" }

  # Rollout: a new launch template rolls through an instance refresh, rolled back on failure or critical alarm.
  rollout = { min_healthy_percentage = 50, max_healthy_percentage = 150, checkpoints = [50, 100], checkpoint_delay_seconds = 120, instance_warmup_seconds = 180 }

  # Blue/green instead of rolling (null = off): a second group on its own image behind a weighted listener.
  blue_green = null

  # Database
  database = {
    instance_class        = "db.t3.small"
    multi_az              = false
    deletion_protection   = false
    backup_retention_days = 14
  }

  # Edge
  hosted_zone_id    = var.hosted_zone_id
  domain_name       = coalesce(var.domain_name, "staging.ec2stack.example") # placeholder: set TF_VAR_domain_name to a domain you own
  enable_cloudfront = true
  enable_waf        = true

  # Monitoring
  alarm_emails     = var.alarm_emails
  enable_on_call   = false
  alarm_thresholds = { cpu_warning = 70, cpu_critical = 90 }

  # Backup
  enable_backup              = true
  backup_retention_days      = 14
  enable_cross_region_backup = false
}
