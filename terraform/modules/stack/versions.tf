terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
      # aws.us_east_1: CloudFront's certificate and WAF; aws.dr: the disaster-recovery region for backup copies.
      configuration_aliases = [aws.us_east_1, aws.dr]
    }
  }
}
