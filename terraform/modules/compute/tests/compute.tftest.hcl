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
}

# Amazon Linux 2023 logs to the journal only: without rsyslog, /var/log/messages and /var/log/secure never exist
# and the system and security log groups stay empty.
run "al2023_writes_the_shipped_log_files" {
  command = plan

  variables {
    operating_system = "al2023"
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
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.this.user_data), "apt-get -y install unattended-upgrades") && !strcontains(base64decode(aws_launch_template.this.user_data), "rsyslog")
    error_message = "on Ubuntu (rsyslog built in) the bootstrap installs updates with apt"
  }
}
