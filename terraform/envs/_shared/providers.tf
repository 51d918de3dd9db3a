provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# CloudFront's ACM certificate and CLOUDFRONT-scope WAF live in us-east-1 whatever the environment's region.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.tags
  }
}

# Disaster-recovery region: cross-region copies of backups and EBS snapshots.
provider "aws" {
  alias  = "dr"
  region = var.dr_region

  default_tags {
    tags = local.tags
  }
}
