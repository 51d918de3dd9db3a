# Plan-level tests of the network module, offline (mock provider): network ACL rules and their AWS limits, and the
# flow-log role's trust.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name                        = "ec2stack-test"
  vpc_cidr                    = "10.9.0.0/16"
  availability_zones          = ["eu-west-1a", "eu-west-1b"]
  endpoints_security_group_id = "sg-0123456789abcdef0"
  app_port                    = 8080
  database_port               = 5432
  flow_log_kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "https_only_by_default" {
  command = plan

  assert {
    condition     = !contains(keys(aws_network_acl_rule.this), "private-out-http") && !contains(keys(aws_network_acl_rule.this), "public-out-http")
    error_message = "no port 80 out of the VPC unless the OS needs it"
  }
}

# Ubuntu's package mirrors are plain HTTP: port 80 out of the private tier and through the NAT's public tier.
run "http_egress_for_ubuntu_mirrors" {
  command = plan

  variables {
    http_egress = true
  }

  assert {
    condition = alltrue([for k in ["private-out-http", "public-out-http"] :
      aws_network_acl_rule.this[k].egress && aws_network_acl_rule.this[k].from_port == 80 && aws_network_acl_rule.this[k].cidr_block == "0.0.0.0/0"
    ])
    error_message = "http_egress must open 80 out of the private and public tiers"
  }
}

# AWS allows 20 rules per direction and network ACL; the private tier's inbound side uses 4 before SSH.
run "sixteen_ssh_cidrs_fit" {
  command = plan

  variables {
    ssh_authorized_cidrs = [for i in range(16) : "203.0.${i}.0/24"]
  }

  assert {
    condition     = length([for k, r in aws_network_acl_rule.this : k if startswith(k, "private-in-")]) == 20
    error_message = "16 SSH CIDRs fill the private tier's 20 inbound rules"
  }
}

run "rejects_seventeen_ssh_cidrs" {
  command = plan

  variables {
    ssh_authorized_cidrs = [for i in range(17) : "203.0.${i}.0/24"]
  }

  expect_failures = [var.ssh_authorized_cidrs]
}
