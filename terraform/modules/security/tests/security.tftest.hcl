# Plan-level tests of the security module, offline (mock providers): security group rules, the keys each region
# needs, key policy conditions and the refusal of an account without the Auto Scaling service-linked role.

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
  mock_data "aws_iam_roles" {
    defaults = { names = ["AWSServiceRoleForAutoScaling"] }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

mock_provider "aws" {
  alias = "dr"
}

mock_provider "aws" {
  alias = "us_east_1"
}

variables {
  name          = "ec2stack-test"
  vpc_id        = "vpc-0123456789abcdef0"
  app_port      = 8080
  database_port = 5432

  log_group_prefix     = "/ec2stack-test"
  ssm_parameter_prefix = "/ec2stack-test"
}

# Behind CloudFront only its origin-facing prefix list reaches the ALB, on 443 alone: each reference to that list
# weighs its 55 maximum entries against the group's quota of 60 rules, so AWS refuses a second one.
run "alb_behind_cloudfront_references_the_prefix_list_once" {
  command = plan

  variables {
    restrict_alb_to_cloudfront = true
    cloudfront_prefix_list_id  = "pl-3b927c52"
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.alb) == ["https"] && aws_vpc_security_group_ingress_rule.alb["https"].prefix_list_id == "pl-3b927c52" && aws_vpc_security_group_ingress_rule.alb["https"].from_port == 443
    error_message = "behind CloudFront the ALB group must have one ingress rule, 443 from the prefix list"
  }
}

run "alb_facing_clients" {
  command = plan

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.alb)) == toset(["http", "https"]) && aws_vpc_security_group_ingress_rule.alb["http"].cidr_ipv4 == "0.0.0.0/0"
    error_message = "without CloudFront the ALB takes 80 and 443 from clients"
  }
  assert {
    condition     = length(aws_vpc_security_group_egress_rule.app_http) == 0
    error_message = "no port 80 out unless the OS needs it"
  }
  assert {
    condition     = length(aws_kms_key.logs_us_east_1) == 0 && output.logs_kms_key_arn_us_east_1 == ""
    error_message = "no us-east-1 logs key unless asked for"
  }
}

run "ubuntu_mirrors_over_http" {
  command = plan

  variables {
    http_egress = true
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.app_http[0].from_port == 80 && aws_vpc_security_group_egress_rule.app_http[0].cidr_ipv4 == "0.0.0.0/0"
    error_message = "http_egress must let the instances reach the package mirrors on 80"
  }
}

# The CLOUDFRONT WAF log group lives in us-east-1: its key must be there too (KMS keys are regional).
run "us_east_1_logs_key_in_another_region" {
  command = plan

  variables {
    enable_us_east_1_logs_key = true
  }

  assert {
    condition     = length(aws_kms_key.logs_us_east_1) == 1 && aws_kms_key.logs_us_east_1[0].enable_key_rotation && length(aws_kms_alias.logs_us_east_1) == 1
    error_message = "outside us-east-1 a rotated logs key must be created in us-east-1"
  }
  assert {
    condition     = toset(keys(data.aws_iam_policy_document.logs_key)) == toset(["eu-west-1", "us-east-1"])
    error_message = "each logs key needs a policy for CloudWatch Logs of its own region"
  }
}

run "us_east_1_logs_key_in_us_east_1" {
  command = plan

  override_data {
    target = data.aws_region.current
    values = { name = "us-east-1" }
  }

  variables {
    enable_us_east_1_logs_key = true
  }

  assert {
    condition     = length(aws_kms_key.logs_us_east_1) == 1 && aws_kms_alias.logs_us_east_1[0].name == "alias/ec2stack-test-logs-us-east-1" && keys(data.aws_iam_policy_document.logs_key) == ["us-east-1"]
    error_message = "the CloudFront WAF logs key is created in us-east-1 whatever the stack's region, with an alias of its own"
  }
}

# A new account has no Auto Scaling service-linked role until Auto Scaling creates it: the key policies name it,
# so the plan refuses, saying how to create it.
run "refuses_an_account_without_the_autoscaling_role" {
  command = plan

  override_data {
    target = data.aws_iam_roles.autoscaling_service_linked
    values = { names = [] }
  }

  expect_failures = [aws_kms_key.this]
}

run "one_ssh_rule_per_cidr" {
  command = plan

  variables {
    ssh_authorized_cidrs = ["203.0.113.0/24"]
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.app_ssh) == 1
    error_message = "one SSH rule per authorized CIDR"
  }
}
