terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
      # aws.dr: the disaster-recovery region (key for cross-region backup copies). Always passed.
      configuration_aliases = [aws.dr]
    }
  }
}
