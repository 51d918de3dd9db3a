# dev: the development environment: cheap, Spot, SSH from a configurable list, no backups, no edge.
# Values only: `diff` against another environment's main.tf shows every difference.
locals {
  environment = "dev"

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
  vpc_cidr                = "10.0.0.0/16"
  availability_zone_count = 2
  nat_gateway_mode        = "single"

  # Security
  ssh_authorized_cidrs     = var.ssh_authorized_cidrs
  kms_deletion_window_days = 7
  log_retention_days       = 14

  # Compute
  ami_name                   = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
  instance_type              = "t3.small"
  asg_min_size               = 1
  asg_max_size               = 3
  asg_desired_capacity       = 1
  enable_spot                = true
  spot_instance_types        = ["t3a.small"]
  enable_detailed_monitoring = false
  enable_deletion_protection = false
  off_hours_schedule         = { time_zone = "UTC" }

  # Rollout: a new launch template rolls through an instance refresh, rolled back on failure or critical alarm.
  rollout = { min_healthy_percentage = 100, max_healthy_percentage = 200, checkpoints = [], instance_warmup_seconds = 120 }

  # Blue/green instead of rolling (null = off): a second group on its own image behind a weighted listener.
  blue_green = null

  # Database
  database = {
    instance_class        = "db.t3.micro"
    multi_az              = false
    deletion_protection   = false
    backup_retention_days = 7
  }

  # Edge
  hosted_zone_id    = ""
  domain_name       = ""
  enable_cloudfront = false
  enable_waf        = false

  # Monitoring
  alarm_emails     = var.alarm_emails
  enable_on_call   = false
  alarm_thresholds = { cpu_warning = 80, cpu_critical = 95 }

  # Backup
  enable_backup              = false
  backup_retention_days      = 7
  enable_cross_region_backup = false
}
