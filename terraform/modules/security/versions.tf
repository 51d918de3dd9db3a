terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
      # aws.dr: the disaster-recovery region (key for cross-region backup copies); aws.us_east_1: what must live in
      # us-east-1 (the CloudFront WAF logs key). Always passed.
      configuration_aliases = [aws.dr, aws.us_east_1]
    }
  }
}
