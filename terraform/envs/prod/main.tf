# prod: 3 AZs, NAT per AZ, no SSH at all (SSM Session Manager only), deletion protection.
# Values only: `diff` against another environment's main.tf shows every difference.
locals {
  environment = "prod"

  tags = {
    Project     = "ec2stack"
    Environment = local.environment
    ManagedBy   = "terraform"
  }
}

module "stack" {
  source = "../../modules/stack"

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
  instance_type              = "t3.large"
  asg_min_size               = 3
  asg_max_size               = 10
  asg_desired_capacity       = 3
  enable_spot                = false
  spot_instance_types        = []
  enable_detailed_monitoring = true
  enable_deletion_protection = true
}
