# Plan-level tests of the compute module, offline (mock provider): what the instances' bootstrap installs on each
# supported OS.

mock_provider "aws" {
  # Identifiers shaped as AWS's, for the runs that apply (the provider validates them).
  mock_resource "aws_launch_template" {
    defaults = {
      id = "lt-0123456789abcdef0"
    }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ec2stack-test/0123456789abcdef"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ec2stack-test/0123456789abcdef"
    }
  }

  mock_data "aws_ami" {
    defaults = {
      id               = "ami-0123456789abcdef0"
      root_device_name = "/dev/xvda"
    }
  }
}

variables {
  name                              = "ec2stack-test"
  vpc_id                            = "vpc-0123456789abcdef0"
  public_subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]
  private_subnet_ids                = ["subnet-1a1b2c3d", "subnet-1e1f2a3b"]
  alb_security_group_id             = "sg-0123456789abcdef0"
  app_security_group_id             = "sg-0123456789abcdef1"
  instance_profile_arn              = "arn:aws:iam::123456789012:instance-profile/ec2stack-test-instance"
  ebs_kms_key_arn                   = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  instance_type                     = "t3.micro"
  asg_min_size                      = 1
  asg_max_size                      = 2
  asg_desired_capacity              = 1
  app_port                          = 8080
  cloudwatch_agent_config_parameter = "/ec2stack-test/cloudwatch-agent/config"
  ami_name                          = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
}

# Amazon Linux 2023 logs to the journal only: without rsyslog, /var/log/messages and /var/log/secure never exist
# and the system and security log groups stay empty.
run "al2023_writes_the_shipped_log_files" {
  command = plan

  variables {
    operating_system = "al2023"
    ami_name         = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.this["blue"].user_data), "dnf -y install amazon-cloudwatch-agent python3 rsyslog") && strcontains(base64decode(aws_launch_template.this["blue"].user_data), "systemctl enable --now rsyslog")
    error_message = "on Amazon Linux 2023 the bootstrap must install and start rsyslog"
  }
}

run "ubuntu_uses_apt" {
  command = plan

  variables {
    operating_system = "ubuntu-22.04"
    ami_name         = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240301"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.this["blue"].user_data), "apt-get -y install unattended-upgrades") && !strcontains(base64decode(aws_launch_template.this["blue"].user_data), "rsyslog")
    error_message = "on Ubuntu (rsyslog built in) the bootstrap installs updates with apt"
  }
}

# Rollout: the instance refresh carries the environment's preferences and rolls back on the named alarms.
run "rolling_refresh_preferences_and_auto_rollback" {
  command = plan

  variables {
    rollout              = { min_healthy_percentage = 100, max_healthy_percentage = 150, checkpoints = [34, 67, 100], checkpoint_delay_seconds = 600, instance_warmup_seconds = 300 }
    rollback_alarm_names = ["ec2stack-test-unhealthy-hosts-critical", "ec2stack-test-alb-elb-5xx-critical"]
  }

  assert {
    condition     = aws_autoscaling_group.this["blue"].instance_refresh[0].strategy == "Rolling"
    error_message = "a new launch template must roll through a Rolling instance refresh"
  }
  assert {
    condition     = aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].min_healthy_percentage == 100 && aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].max_healthy_percentage == 150
    error_message = "instance refresh must keep 100 % healthy and allow 150 % during the refresh"
  }
  assert {
    condition     = aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].checkpoint_percentages == tolist([34, 67, 100]) && aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].checkpoint_delay == "600"
    error_message = "instance refresh must pause at 34, 67 and 100 % for 600 s"
  }
  assert {
    condition     = aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].instance_warmup == "300" && aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].skip_matching == true
    error_message = "instance refresh must warm up 300 s and skip instances already on the new template"
  }
  assert {
    condition     = aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].auto_rollback == true
    error_message = "instance refresh must roll back automatically"
  }
  assert {
    condition     = aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].alarm_specification[0].alarms == tolist(["ec2stack-test-unhealthy-hosts-critical", "ec2stack-test-alb-elb-5xx-critical"])
    error_message = "instance refresh must roll back on the named critical alarms"
  }
}

# Without checkpoints no checkpoint preference is sent; without alarms no alarm specification (rollback on failure only).
run "rolling_without_checkpoints_or_alarms" {
  command = plan

  assert {
    condition     = aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].checkpoint_percentages == null && aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].min_healthy_percentage == 90
    error_message = "default rollout: no checkpoints, 90 % healthy"
  }
  assert {
    condition     = length(aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].alarm_specification) == 0 && aws_autoscaling_group.this["blue"].instance_refresh[0].preferences[0].auto_rollback == true
    error_message = "without alarms: auto rollback on failure, no alarm specification"
  }
}

run "no_refresh_when_disabled" {
  command = plan

  variables {
    enable_instance_refresh = false
  }

  assert {
    condition     = length(aws_autoscaling_group.this["blue"].instance_refresh) == 0
    error_message = "enable_instance_refresh = false (the emulator) must plan no instance refresh"
  }
}

run "checkpoints_must_end_at_100" {
  command = plan

  variables {
    rollout = { checkpoints = [50, 90] }
  }

  expect_failures = [var.rollout]
}

run "min_healthy_100_needs_max_above_100" {
  command = plan

  variables {
    rollout = { min_healthy_percentage = 100 }
  }

  expect_failures = [var.rollout]
}

run "max_minus_min_at_most_100" {
  command = plan

  variables {
    rollout = { min_healthy_percentage = 50, max_healthy_percentage = 200 }
  }

  expect_failures = [var.rollout]
}

run "ami_name_must_match_the_family" {
  command = plan

  variables {
    operating_system = "al2023"
    ami_name         = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240301"
  }

  expect_failures = [var.ami_name]
}

# Rolling (blue_green = null): one group, and the listener forwards to its target group directly.
run "rolling_has_one_group_and_a_plain_forward" {
  command = plan

  assert {
    condition     = keys(aws_autoscaling_group.this) == ["blue"] && keys(aws_lb_target_group.this) == ["blue"]
    error_message = "rolling deployments run one group with one target group"
  }
  assert {
    condition     = length(aws_lb_listener.http.default_action[0].forward) == 0 && length(output.traffic_weights) == 0
    error_message = "rolling deployments forward to the one target group without weights"
  }
}

# Blue/green: two groups on their own images, each in its own target group, behind a weighted forward. The runs
# apply (on the mock provider) one after another, so each later run is a change to the state of the one before.
run "blue_green_blue_live" {
  override_resource {
    target = aws_lb_target_group.this["green"]
    values = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ec2stack-test-green/0123456789abcdef"
    }
  }

  variables {
    blue_green = { live = "blue", green_ami_name = "al2023-ami-2023.11.20260501.0-kernel-6.1-x86_64" }
  }

  assert {
    condition     = keys(aws_autoscaling_group.this) == ["blue", "green"] && keys(aws_lb_target_group.this) == ["blue", "green"]
    error_message = "blue/green runs two groups, each with a target group"
  }
  assert {
    condition     = alltrue([for c in ["blue", "green"] : aws_autoscaling_group.this[c].target_group_arns == toset([aws_lb_target_group.this[c].arn]) && aws_autoscaling_group.this[c].launch_template[0].id == aws_launch_template.this[c].id])
    error_message = "each group must register in its own target group and launch from its own template"
  }
  assert {
    condition     = [for f in data.aws_ami.this["green"].filter : f.values if f.name == "name"][0] == toset(["al2023-ami-2023.11.20260501.0-kernel-6.1-x86_64"]) && [for f in data.aws_ami.this["blue"].filter : f.values if f.name == "name"][0] == toset([var.ami_name])
    error_message = "blue runs ami_name and green runs blue_green.green_ami_name"
  }
  assert {
    condition     = { for tg in aws_lb_listener.http.default_action[0].forward[0].target_group : tg.arn => tg.weight } == { (aws_lb_target_group.this["blue"].arn) = 100, (aws_lb_target_group.this["green"].arn) = 0 }
    error_message = "with blue live the listener must send 100 % to blue's target group and 0 % to green's"
  }
  assert {
    condition     = aws_lb_listener.http.default_action[0].target_group_arn == null || aws_lb_listener.http.default_action[0].target_group_arn == ""
    error_message = "a weighted forward must not also name a single target group"
  }
  assert {
    condition     = output.autoscaling_group_name == aws_autoscaling_group.this["blue"].name && output.target_group_arn_suffix == aws_lb_target_group.this["blue"].arn_suffix && output.live_color == "blue"
    error_message = "the outputs (alarms, verify) must follow the live group"
  }
  assert {
    condition     = length(aws_lb_target_group.this["green"].name) <= 32 && aws_lb_target_group.this["green"].name == "ec2stack-test-green"
    error_message = "the green target group's name must fit AWS's 32 characters"
  }
}

run "blue_green_switch_to_green" {
  variables {
    blue_green = { live = "green", green_ami_name = "al2023-ami-2023.11.20260501.0-kernel-6.1-x86_64" }
  }

  assert {
    condition     = { for tg in aws_lb_listener.http.default_action[0].forward[0].target_group : tg.arn => tg.weight } == { (aws_lb_target_group.this["blue"].arn) = 0, (aws_lb_target_group.this["green"].arn) = 100 }
    error_message = "switching to green must send 100 % to green's target group"
  }
  assert {
    condition     = output.autoscaling_group_names == run.blue_green_blue_live.autoscaling_group_names && output.ami_ids == run.blue_green_blue_live.ami_ids
    error_message = "a switch must move traffic only: both groups and their images stay"
  }
  assert {
    condition     = output.autoscaling_group_name == aws_autoscaling_group.this["green"].name && output.live_color == "green"
    error_message = "after the switch the outputs must follow green"
  }
}

run "blue_green_switch_back_with_a_canary" {
  variables {
    blue_green = { live = "blue", green_ami_name = "al2023-ami-2023.11.20260501.0-kernel-6.1-x86_64", idle_weight = 10 }
  }

  assert {
    condition     = { for tg in aws_lb_listener.http.default_action[0].forward[0].target_group : tg.arn => tg.weight } == { (aws_lb_target_group.this["blue"].arn) = 90, (aws_lb_target_group.this["green"].arn) = 10 }
    error_message = "switching back with idle_weight 10 must send 90 % to blue and 10 % to green"
  }
  assert {
    condition     = output.autoscaling_group_names == run.blue_green_blue_live.autoscaling_group_names
    error_message = "switching back must keep both groups"
  }
}

# With HTTPS the weights are on 443; 80 only redirects.
run "blue_green_weights_on_https" {
  variables {
    enable_https    = true
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    blue_green      = { live = "green", green_ami_name = "al2023-ami-2023.11.20260501.0-kernel-6.1-x86_64" }
  }

  assert {
    condition     = { for tg in aws_lb_listener.https[0].default_action[0].forward[0].target_group : tg.arn => tg.weight } == { (aws_lb_target_group.this["blue"].arn) = 0, (aws_lb_target_group.this["green"].arn) = 100 } && aws_lb_listener.http.default_action[0].type == "redirect" && length(aws_lb_listener.http.default_action[0].forward) == 0
    error_message = "with HTTPS, 443 carries the weighted forward and 80 redirects"
  }
}

run "blue_green_live_must_be_a_color" {
  command = plan

  variables {
    blue_green = { live = "purple", green_ami_name = "al2023-ami-2023.11.20260501.0-kernel-6.1-x86_64" }
  }

  expect_failures = [var.blue_green]
}

run "blue_green_idle_weight_at_most_50" {
  command = plan

  variables {
    blue_green = { live = "blue", green_ami_name = "al2023-ami-2023.11.20260501.0-kernel-6.1-x86_64", idle_weight = 60 }
  }

  expect_failures = [var.blue_green]
}

run "blue_green_green_image_of_the_family" {
  command = plan

  variables {
    blue_green = { live = "blue", green_ami_name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240301" }
  }

  expect_failures = [var.blue_green]
}
