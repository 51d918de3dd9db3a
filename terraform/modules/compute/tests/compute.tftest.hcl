# Plan-level tests of the compute module, offline (mock provider): what the instances' bootstrap installs on each
# supported OS.

mock_provider "aws" {
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
    condition     = strcontains(base64decode(aws_launch_template.this.user_data), "dnf -y install amazon-cloudwatch-agent python3 rsyslog") && strcontains(base64decode(aws_launch_template.this.user_data), "systemctl enable --now rsyslog")
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
    condition     = strcontains(base64decode(aws_launch_template.this.user_data), "apt-get -y install unattended-upgrades") && !strcontains(base64decode(aws_launch_template.this.user_data), "rsyslog")
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
    condition     = aws_autoscaling_group.this.instance_refresh[0].strategy == "Rolling"
    error_message = "a new launch template must roll through a Rolling instance refresh"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].min_healthy_percentage == 100 && aws_autoscaling_group.this.instance_refresh[0].preferences[0].max_healthy_percentage == 150
    error_message = "instance refresh must keep 100 % healthy and allow 150 % during the refresh"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].checkpoint_percentages == tolist([34, 67, 100]) && aws_autoscaling_group.this.instance_refresh[0].preferences[0].checkpoint_delay == "600"
    error_message = "instance refresh must pause at 34, 67 and 100 % for 600 s"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].instance_warmup == "300" && aws_autoscaling_group.this.instance_refresh[0].preferences[0].skip_matching == true
    error_message = "instance refresh must warm up 300 s and skip instances already on the new template"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].auto_rollback == true
    error_message = "instance refresh must roll back automatically"
  }
  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].alarm_specification[0].alarms == tolist(["ec2stack-test-unhealthy-hosts-critical", "ec2stack-test-alb-elb-5xx-critical"])
    error_message = "instance refresh must roll back on the named critical alarms"
  }
}

# Without checkpoints no checkpoint preference is sent; without alarms no alarm specification (rollback on failure only).
run "rolling_without_checkpoints_or_alarms" {
  command = plan

  assert {
    condition     = aws_autoscaling_group.this.instance_refresh[0].preferences[0].checkpoint_percentages == null && aws_autoscaling_group.this.instance_refresh[0].preferences[0].min_healthy_percentage == 90
    error_message = "default rollout: no checkpoints, 90 % healthy"
  }
  assert {
    condition     = length(aws_autoscaling_group.this.instance_refresh[0].preferences[0].alarm_specification) == 0 && aws_autoscaling_group.this.instance_refresh[0].preferences[0].auto_rollback == true
    error_message = "without alarms: auto rollback on failure, no alarm specification"
  }
}

run "no_refresh_when_disabled" {
  command = plan

  variables {
    enable_instance_refresh = false
  }

  assert {
    condition     = length(aws_autoscaling_group.this.instance_refresh) == 0
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
