# Plan-level tests of the monitoring module, offline with a mocked AWS provider.
# Run: terraform init -backend=false && terraform test (in terraform/modules/monitoring).

mock_provider "aws" {
  override_during = plan

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:root", user_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:ec2stack-test-alerts" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
}

variables {
  name                    = "ec2stack-test"
  environment             = "dev"
  kms_key_arn             = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
  sns_kms_key_arn         = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"
  log_retention_days      = 30
  autoscaling_group_name  = "ec2stack-test-20240101"
  alb_arn_suffix          = "app/ec2stack-test/0123456789abcdef"
  target_group_arn_suffix = "targetgroup/ec2stack-test-app/fedcba9876543210"
  db_instance_id          = "ec2stack-test"
  nat_gateway_ids         = { "us-east-1a" = "nat-0aaaaaaaaaaaaaaaa", "us-east-1b" = "nat-0bbbbbbbbbbbbbbbb" }
  alarm_emails            = ["ops@example.com"]
}

run "full_aws" {
  command = plan

  assert {
    condition     = aws_sns_topic.alerts.kms_master_key_id == var.sns_kms_key_arn
    error_message = "The alerts topic must be encrypted with the sns_kms_key_arn CMK."
  }

  assert {
    condition = alltrue([
      for k in ["cpu", "memory", "disk", "alb_target_5xx", "alb_elb_5xx", "alb_latency", "rds_cpu", "rds_free_storage", "rds_connections"] :
      contains(keys(aws_cloudwatch_metric_alarm.this), "${k}_warning") && contains(keys(aws_cloudwatch_metric_alarm.this), "${k}_critical")
    ])
    error_message = "Every watched metric must have a warning and a critical alarm."
  }

  assert {
    condition     = contains(keys(aws_cloudwatch_metric_alarm.this), "unhealthy_hosts_critical") && length(aws_cloudwatch_metric_alarm.this) == 19
    error_message = "Expected 9 metrics x 2 levels + unhealthy_hosts_critical = 19 alarms; got ${length(aws_cloudwatch_metric_alarm.this)}."
  }

  assert {
    condition = alltrue([
      for a in aws_cloudwatch_metric_alarm.this :
      a.actions_enabled && a.alarm_actions == toset([aws_sns_topic.alerts.arn]) && a.ok_actions == toset([aws_sns_topic.alerts.arn])
    ])
    error_message = "Every alarm must have actions enabled, alarm and OK actions to the alerts topic."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["cpu_warning"].threshold == 70 && aws_cloudwatch_metric_alarm.this["cpu_critical"].threshold == 90 && aws_cloudwatch_metric_alarm.this["rds_free_storage_critical"].comparison_operator == "LessThanThreshold"
    error_message = "Default thresholds / comparison operators are wrong."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["memory_critical"].namespace == "CWAgent" && aws_cloudwatch_metric_alarm.this["memory_critical"].dimensions == tomap({ AutoScalingGroupName = var.autoscaling_group_name })
    error_message = "Memory alarms must watch CWAgent metrics aggregated by AutoScalingGroupName."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["alb_latency_warning"].extended_statistic == "p95" && aws_cloudwatch_metric_alarm.this["alb_latency_warning"].statistic == null
    error_message = "The latency alarm must use p95."
  }

  assert {
    condition     = length(aws_cloudwatch_composite_alarm.service_down) == 1 && aws_cloudwatch_composite_alarm.service_down[0].actions_enabled && aws_cloudwatch_composite_alarm.service_down[0].alarm_actions == toset([aws_sns_topic.alerts.arn])
    error_message = "The service-down composite alarm must exist when asked for, wired to the topic."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_sns_topic_policy.alerts.policy).Statement :
      s.Effect == "Allow" && try(s.Action == "sns:Publish", false) && try(toset(s.Principal.Service), toset([])) == toset(["cloudwatch.amazonaws.com", "events.amazonaws.com"]) && try(s.Condition.StringEquals["aws:SourceAccount"], "") == "123456789012"
    ])
    error_message = "The topic policy must let cloudwatch.amazonaws.com and events.amazonaws.com publish, scoped by aws:SourceAccount."
  }

  assert {
    condition = toset([
      for f in jsondecode(aws_ssm_parameter.cloudwatch_agent_config.value).logs.logs_collected.files.collect_list : f.log_group_name
    ]) == toset(["/ec2stack-test/system", "/ec2stack-test/security", "/ec2stack-test/application"])
    error_message = "The agent configuration must ship logs to the system, security and application log groups."
  }

  assert {
    condition     = aws_ssm_parameter.cloudwatch_agent_config.name == "/ec2stack-test/cloudwatch-agent/config" && aws_ssm_parameter.cloudwatch_agent_config.type == "String" && aws_ssm_parameter.cloudwatch_agent_config.tier == "Standard"
    error_message = "The agent configuration parameter must be the Standard String /<name>/cloudwatch-agent/config."
  }

  assert {
    condition     = jsondecode(aws_ssm_parameter.cloudwatch_agent_config.value).metrics.aggregation_dimensions == [["AutoScalingGroupName"]] && jsondecode(aws_ssm_parameter.cloudwatch_agent_config.value).metrics.append_dimensions.AutoScalingGroupName == "$${aws:AutoScalingGroupName}"
    error_message = "The agent must aggregate metrics by AutoScalingGroupName (the alarms' dimension)."
  }

  assert {
    condition     = length(aws_ssm_parameter.cloudwatch_agent_config.value) <= 4096
    error_message = "The agent configuration must fit a Standard parameter (4 KB)."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.autoscaling.event_pattern).source == ["aws.autoscaling"] && jsondecode(aws_cloudwatch_event_rule.autoscaling.event_pattern).detail.AutoScalingGroupName == [var.autoscaling_group_name] && length(jsondecode(aws_cloudwatch_event_rule.autoscaling.event_pattern)["detail-type"]) == 4
    error_message = "The EventBridge rule must match the four launch/terminate results of our Auto Scaling group."
  }

  assert {
    condition     = aws_cloudwatch_event_target.autoscaling.arn == aws_sns_topic.alerts.arn
    error_message = "The EventBridge rule must target the alerts topic."
  }

  assert {
    condition     = length(aws_autoscaling_notification.this) == 1 && aws_autoscaling_notification.this[0].topic_arn == aws_sns_topic.alerts.arn
    error_message = "ASG notifications must go to the alerts topic."
  }

  assert {
    condition     = keys(aws_sns_topic_subscription.email) == ["ops@example.com"] && aws_sns_topic_subscription.email["ops@example.com"].protocol == "email"
    error_message = "One email subscription per alarm_emails entry."
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 8
    error_message = "Dashboard: 4 ALB/ASG widgets + 2 RDS + 1 per NAT gateway (2) = 8."
  }

  assert {
    condition     = output.log_group_names == { system = "/ec2stack-test/system", security = "/ec2stack-test/security", application = "/ec2stack-test/application" }
    error_message = "log_group_names output changed shape."
  }

  assert {
    condition     = output.alarm_names["cpu_critical"] == "ec2stack-test-cpu-critical" && output.alarm_names["service_down"] == "ec2stack-test-service-down"
    error_message = "alarm_names must map <metric>_<level> to the alarm name."
  }
}

run "on_call_off_and_no_database" {
  command = plan

  variables {
    enable_composite_alarm   = false
    enable_asg_notifications = false
    db_instance_id           = null
    nat_gateway_ids          = {}
    alarm_emails             = []
  }

  assert {
    condition     = length(aws_autoscaling_notification.this) == 0 && length(aws_cloudwatch_composite_alarm.service_down) == 0
    error_message = "ASG notifications and the composite alarm must be off when turned off."
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 13 && !anytrue([for k in keys(aws_cloudwatch_metric_alarm.this) : startswith(k, "rds_")])
    error_message = "Without db_instance_id there must be no RDS alarms (13 alarms left)."
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) == 4
    error_message = "Without database and NAT gateways the dashboard has the 4 ALB/ASG widgets."
  }

  assert {
    condition     = aws_cloudwatch_event_rule.autoscaling.name == "ec2stack-test-autoscaling-events"
    error_message = "The EventBridge rule does not depend on the on-call features."
  }
}

run "alarms_off" {
  command = plan

  variables {
    enable_alarms            = false
    enable_asg_notifications = false
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 0 && length(aws_cloudwatch_composite_alarm.service_down) == 0 && length(aws_autoscaling_notification.this) == 0
    error_message = "enable_alarms = false and enable_asg_notifications = false must remove alarms and notifications."
  }
}

run "custom_thresholds" {
  command = plan

  variables {
    alarm_thresholds = { cpu_warning = 60, cpu_critical = 80 }
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["cpu_warning"].threshold == 60 && aws_cloudwatch_metric_alarm.this["memory_warning"].threshold == 75
    error_message = "Partial alarm_thresholds must override only the given values."
  }
}

run "rejects_warning_above_critical" {
  command = plan
  variables {
    alarm_thresholds = { cpu_warning = 95, cpu_critical = 90 }
  }
  expect_failures = [var.alarm_thresholds]
}

run "rejects_latency_order" {
  command = plan
  variables {
    alarm_thresholds = { latency_warning_seconds = 5 }
  }
  expect_failures = [var.alarm_thresholds]
}

run "rejects_free_storage_order" {
  command = plan
  variables {
    alarm_thresholds = { rds_free_storage_warning_bytes = 1000000000 }
  }
  expect_failures = [var.alarm_thresholds]
}

run "rejects_bad_email" {
  command = plan
  variables {
    alarm_emails = ["not-an-email"]
  }
  expect_failures = [var.alarm_emails]
}

run "rejects_aws_managed_sns_key" {
  command = plan
  variables {
    sns_kms_key_arn = "alias/aws/sns"
  }
  expect_failures = [var.sns_kms_key_arn]
}

run "rejects_bad_environment" {
  command = plan
  variables {
    environment = "production"
  }
  expect_failures = [var.environment]
}

run "rejects_bad_alb_suffix" {
  command = plan
  variables {
    alb_arn_suffix = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1"
  }
  expect_failures = [var.alb_arn_suffix]
}

run "rejects_bad_nat_id" {
  command = plan
  variables {
    nat_gateway_ids = { shared = "igw-123" }
  }
  expect_failures = [var.nat_gateway_ids]
}

run "rejects_bad_db_id" {
  command = plan
  variables {
    db_instance_id = "1-bad_id"
  }
  expect_failures = [var.db_instance_id]
}

run "rejects_bad_retention" {
  command = plan
  variables {
    log_retention_days = 10
  }
  expect_failures = [var.log_retention_days]
}
