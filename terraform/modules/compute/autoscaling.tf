resource "aws_autoscaling_group" "this" {
  for_each = local.colors

  name_prefix               = "${local.group_names[each.key]}-"
  vpc_zone_identifier       = var.private_subnet_ids
  min_size                  = var.asg_min_size
  max_size                  = var.asg_max_size
  desired_capacity          = var.asg_desired_capacity
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_period
  target_group_arns         = [aws_lb_target_group.this[each.key].arn]
  wait_for_capacity_timeout = var.capacity_wait_timeout

  dynamic "launch_template" {
    for_each = var.enable_spot ? [] : [1]
    content {
      id      = aws_launch_template.this[each.key].id
      version = aws_launch_template.this[each.key].latest_version
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
          launch_template_id = aws_launch_template.this[each.key].id
          version            = aws_launch_template.this[each.key].latest_version
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

  # Blue/green tags each group's instances with its color (on the group, not the launch template: enabling
  # blue/green does not roll the blue instances).
  dynamic "tag" {
    for_each = var.blue_green == null ? local.asg_tags : merge(local.asg_tags, { Color = each.key })
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
  for_each = local.colors

  name                   = "${local.group_names[each.key]}-cpu-target"
  autoscaling_group_name = aws_autoscaling_group.this[each.key].name
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
  for_each = var.off_hours_schedule == null ? {} : local.colors

  scheduled_action_name  = "${local.group_names[each.key]}-off-hours"
  autoscaling_group_name = aws_autoscaling_group.this[each.key].name
  recurrence             = var.off_hours_schedule.scale_down_cron
  time_zone              = var.off_hours_schedule.time_zone
  min_size               = var.off_hours_schedule.min_size
  max_size               = var.off_hours_schedule.max_size
  desired_capacity       = var.off_hours_schedule.desired
}

resource "aws_autoscaling_schedule" "scale_up" {
  for_each = var.off_hours_schedule == null ? {} : local.colors

  scheduled_action_name  = "${local.group_names[each.key]}-working-hours"
  autoscaling_group_name = aws_autoscaling_group.this[each.key].name
  recurrence             = var.off_hours_schedule.scale_up_cron
  time_zone              = var.off_hours_schedule.time_zone
  min_size               = var.asg_min_size
  max_size               = var.asg_max_size
  desired_capacity       = var.asg_desired_capacity
}

moved {
  from = aws_autoscaling_group.this
  to   = aws_autoscaling_group.this["blue"]
}

moved {
  from = aws_autoscaling_policy.cpu
  to   = aws_autoscaling_policy.cpu["blue"]
}

moved {
  from = aws_autoscaling_schedule.scale_down[0]
  to   = aws_autoscaling_schedule.scale_down["blue"]
}

moved {
  from = aws_autoscaling_schedule.scale_up[0]
  to   = aws_autoscaling_schedule.scale_up["blue"]
}
