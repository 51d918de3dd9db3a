terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
      # CloudFront only accepts ACM certificates and CLOUDFRONT-scope web ACLs (and their log groups) from us-east-1.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
