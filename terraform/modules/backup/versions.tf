terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
      # aws.dr: the disaster-recovery region (DR vault, copy target). Always passed, used only with cross-region copy.
      configuration_aliases = [aws.dr]
    }
  }
}
