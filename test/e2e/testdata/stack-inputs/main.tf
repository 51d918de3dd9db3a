# Test fixture: the stack module with every input a user sets exposed as a variable (good dev values by default),
# so the validation test can break one input at a time with -var and read the plan error.
terraform {
  required_version = ">= 1.11.0"

  # The test gives every case its own state path, so cases can plan in parallel.
  backend "local" {}

  required_providers {
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}


variable "environment" {
  type    = string
  default = "dev"
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "subnet_newbits" {
  type    = number
  default = 8
}

variable "availability_zone_count" {
  type    = number
  default = 2
}

variable "nat_gateway_mode" {
  type    = string
  default = "single"
}

variable "interface_endpoint_services" {
  type    = list(string)
  default = ["ec2", "ssm", "ssmmessages", "ec2messages"]
}

variable "ssh_authorized_cidrs" {
  type    = list(string)
  default = []
}

variable "app_port" {
  type    = number
  default = 8080
}

variable "kms_deletion_window_days" {
  type    = number
  default = 7
}

variable "log_retention_days" {
  type    = number
  default = 14
}

variable "operating_system" {
  type    = string
  default = "al2023"
}

variable "ami_name" {
  type    = string
  default = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "spot_instance_types" {
  type    = list(string)
  default = []
}

variable "asg_min_size" {
  type    = number
  default = 1
}

variable "asg_max_size" {
  type    = number
  default = 3
}

variable "asg_desired_capacity" {
  type    = number
  default = 1
}

variable "cpu_target_utilization" {
  type    = number
  default = 60
}

variable "health_check" {
  type    = any
  default = {}
}

variable "database" {
  type    = any
  default = {}
}

variable "backup_retention_days" {
  type    = number
  default = 7
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}

variable "off_hours_schedule" {
  type    = any
  default = null
}

variable "project" {
  type    = string
  default = "ec2stack"
}

variable "tags" {
  type    = map(string)
  default = { Project = "ec2stack", Environment = "dev", ManagedBy = "terraform" }
}

variable "enable_deletion_protection" {
  type    = bool
  default = false
}

variable "enable_backup" {
  type    = bool
  default = true
}

variable "domain_name" {
  type    = string
  default = ""
}

variable "hosted_zone_id" {
  type    = string
  default = ""
}

variable "alarm_thresholds" {
  type    = any
  default = {}
}

module "stack" {
  source = "../../../../terraform/modules/stack"
  providers = {
    aws = aws
    # One provider for all three roles: inputs fail before any region matters, and one provider process
    # instead of three makes each case's plan a third cheaper.
    aws.us_east_1 = aws
    aws.dr        = aws
  }

  environment                 = var.environment
  project                     = var.project
  tags                        = var.tags
  enable_deletion_protection  = var.enable_deletion_protection
  domain_name                 = var.domain_name
  hosted_zone_id              = var.hosted_zone_id
  alarm_thresholds            = var.alarm_thresholds
  vpc_cidr                    = var.vpc_cidr
  subnet_newbits              = var.subnet_newbits
  availability_zone_count     = var.availability_zone_count
  nat_gateway_mode            = var.nat_gateway_mode
  interface_endpoint_services = var.interface_endpoint_services
  ssh_authorized_cidrs        = var.ssh_authorized_cidrs
  app_port                    = var.app_port
  kms_deletion_window_days    = var.kms_deletion_window_days
  log_retention_days          = var.log_retention_days
  operating_system            = var.operating_system
  ami_name                    = var.ami_name
  instance_type               = var.instance_type
  spot_instance_types         = var.spot_instance_types
  asg_min_size                = var.asg_min_size
  asg_max_size                = var.asg_max_size
  asg_desired_capacity        = var.asg_desired_capacity
  cpu_target_utilization      = var.cpu_target_utilization
  health_check                = var.health_check
  database                    = var.database
  enable_backup               = var.enable_backup
  backup_retention_days       = var.backup_retention_days
  alarm_emails                = var.alarm_emails
  off_hours_schedule          = var.off_hours_schedule
  enable_spot                 = true
  enable_detailed_monitoring  = false
  emulator_mode               = true
}
