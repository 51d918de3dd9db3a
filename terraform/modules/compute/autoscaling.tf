resource "aws_autoscaling_group" "this" {
  name_prefix               = "${var.name}-"
  vpc_zone_identifier       = var.private_subnet_ids
  min_size                  = var.asg_min_size
  max_size                  = var.asg_max_size
  desired_capacity          = var.asg_desired_capacity
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_period
  target_group_arns         = [aws_lb_target_group.this.arn]
  wait_for_capacity_timeout = var.capacity_wait_timeout

  dynamic "launch_template" {
    for_each = var.enable_spot ? [] : [1]
    content {
      id      = aws_launch_template.this.id
      version = aws_launch_template.this.latest_version
    }
  }

  dynamic "mixed_instances_policy" {
    for_each = var.enable_spot ? [1] : []
    content {
      instances_distribution {
        on_demand_base_capacity                  = 0
        on_demand_percentage_above_base_capacity = 0
        spot_allocation_strategy                 = "price-capacity-optimized"
      }

      launch_template {
        launch_template_specification {
          launch_template_id = aws_launch_template.this.id
          version            = aws_launch_template.this.latest_version
        }

        dynamic "override" {
          for_each = distinct(concat([var.instance_type], var.spot_instance_types))
          content {
            instance_type = override.value
          }
        }
      }
    }
  }

  # A new launch template version (new AMI, new user data) rolls the instances: replace in batches keeping
  # min_healthy_percentage in service (launching up to max_healthy_percentage first), pause at each checkpoint,
  # and undo everything deployed so far when the refresh fails or one of the rollback alarms goes to ALARM.
  dynamic "instance_refresh" {
    for_each = var.enable_instance_refresh ? [var.rollout] : []
    content {
      strategy = "Rolling"
      preferences {
        min_healthy_percentage = instance_refresh.value.min_healthy_percentage
        max_healthy_percentage = instance_refresh.value.max_healthy_percentage
        instance_warmup        = tostring(instance_refresh.value.instance_warmup_seconds)
        checkpoint_percentages = length(instance_refresh.value.checkpoints) > 0 ? instance_refresh.value.checkpoints : null
        checkpoint_delay       = length(instance_refresh.value.checkpoints) > 0 ? tostring(instance_refresh.value.checkpoint_delay_seconds) : null
        skip_matching          = instance_refresh.value.skip_matching
        auto_rollback          = instance_refresh.value.auto_rollback

        dynamic "alarm_specification" {
          for_each = instance_refresh.value.auto_rollback && length(var.rollback_alarm_names) > 0 ? [1] : []
          content {
            alarms = var.rollback_alarm_names
          }
        }
      }
    }
  }

  dynamic "tag" {
    for_each = local.asg_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "${var.name}-cpu-target"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = var.cpu_target_utilization
  }
}

# Cost lever for non-prod: shrink out of hours, restore the normal sizes in the morning.
resource "aws_autoscaling_schedule" "scale_down" {
  count = var.off_hours_schedule == null ? 0 : 1

  scheduled_action_name  = "${var.name}-off-hours"
  autoscaling_group_name = aws_autoscaling_group.this.name
  recurrence             = var.off_hours_schedule.scale_down_cron
  time_zone              = var.off_hours_schedule.time_zone
  min_size               = var.off_hours_schedule.min_size
  max_size               = var.off_hours_schedule.max_size
  desired_capacity       = var.off_hours_schedule.desired
}

resource "aws_autoscaling_schedule" "scale_up" {
  count = var.off_hours_schedule == null ? 0 : 1

  scheduled_action_name  = "${var.name}-working-hours"
  autoscaling_group_name = aws_autoscaling_group.this.name
  recurrence             = var.off_hours_schedule.scale_up_cron
  time_zone              = var.off_hours_schedule.time_zone
  min_size               = var.asg_min_size
  max_size               = var.asg_max_size
  desired_capacity       = var.asg_desired_capacity
}
