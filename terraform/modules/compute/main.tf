locals {
  # Official owners and exact name patterns only (trivy AWS-0344): Amazon for AL2023, Canonical for Ubuntu.
  amis = {
    "al2023" = {
      owner = "amazon"
      name  = "al2023-ami-2023.*-kernel-6.1-x86_64"
    }
    "ubuntu-22.04" = {
      owner = "099720109477"
      name  = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"
    }
  }

  # The exact shape of an image name of each family (the validations of ami_name and blue_green).
  ami_name_shapes = {
    "al2023"       = "^al2023-ami-2023\\.[0-9]+\\.[0-9]+\\.[0-9]+-kernel-6\\.1-x86_64$"
    "ubuntu-22.04" = "^ubuntu/images/hvm-ssd/ubuntu-jammy-22\\.04-amd64-server-[0-9]{8}(\\.[0-9]+)?$"
  }

  asg_tags = merge(var.tags, { Name = var.name })

  # The Auto Scaling groups and the image each runs: one group ("blue") for rolling deployments, blue and green
  # for blue/green. The live group takes the traffic; the idle one takes blue_green.idle_weight percent of it.
  colors = var.blue_green == null ? { blue = var.ami_name } : { blue = var.ami_name, green = var.blue_green.green_ami_name }
  live   = var.blue_green == null ? "blue" : var.blue_green.live
  # What each group's resources are named after: blue keeps the stack's names, green adds its color.
  group_names = { for c in keys(local.colors) : c => c == "blue" ? var.name : "${var.name}-${c}" }
  weights     = var.blue_green == null ? {} : { for c in keys(local.colors) : c => c == local.live ? 100 - var.blue_green.idle_weight : var.blue_green.idle_weight }
}

# The pinned image of each group, by exact name from the official owner (the same name resolves in every region,
# DR included).
data "aws_ami" "this" {
  for_each = local.colors

  owners = [local.amis[var.operating_system].owner]

  filter {
    name   = "name"
    values = [each.value]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }

  filter {
    name   = "root-device-type"
    values = ["ebs"]
  }
}

resource "aws_launch_template" "this" {
  for_each = local.colors

  name_prefix            = "${local.group_names[each.key]}-"
  description            = "${local.group_names[each.key]} application instances"
  image_id               = data.aws_ami.this[each.key].id
  instance_type          = var.instance_type
  update_default_version = true

  user_data = base64encode(templatefile("${path.module}/user_data.sh.tftpl", {
    operating_system       = var.operating_system
    app_port               = var.app_port
    health_path            = var.health_check.path
    agent_config_parameter = var.cloudwatch_agent_config_parameter
  }))

  iam_instance_profile {
    arn = var.instance_profile_arn
  }

  # IMDSv2 only, and a hop limit of 1 so containers on the host cannot reach the instance credentials.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  network_interfaces {
    associate_public_ip_address = false
    delete_on_termination       = true
    security_groups             = [var.app_security_group_id]
  }

  block_device_mappings {
    device_name = data.aws_ami.this[each.key].root_device_name

    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume_size_gb
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = var.enable_detailed_monitoring
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.asg_tags
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.asg_tags
  }

  lifecycle {
    create_before_destroy = true
  }
}

# Before blue/green the stack had one group of each; it is blue.
moved {
  from = aws_launch_template.this
  to   = aws_launch_template.this["blue"]
}
