# Test fixture: a dev environment root of one VPC, fast to plan and apply on moto (the terraform adapter and CLI tests).
terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
    }
  }
  backend "s3" {
    use_lockfile = true
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "emulator_mode" {
  type    = bool
  default = false
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "ec2stack", Environment = "dev", ManagedBy = "terraform" }
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "ec2stack-fixture", EmulatorMode = tostring(var.emulator_mode) }
}

output "environment" {
  value = "dev"
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "emulator_mode" {
  value = var.emulator_mode
}
