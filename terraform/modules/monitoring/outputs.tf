output "log_group_names" {
  description = "Log group names keyed by kind: system, security, application."
  value       = local.log_group_names
}

output "cloudwatch_agent_config_parameter" {
  description = "Name of the SSM parameter holding the CloudWatch agent configuration (fetch-config -c ssm:<this>)."
  value       = aws_ssm_parameter.cloudwatch_agent_config.name
}

output "sns_topic_arn" {
  description = "ARN of the alerts SNS topic (alarms, EventBridge Auto Scaling events, ASG notifications)."
  value       = aws_sns_topic.alerts.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarm_names" {
  description = "Metric alarm names keyed by <metric>_<level> (e.g. cpu_warning, cpu_critical), plus service_down when the composite alarm exists."
  value = merge(
    { for k, a in aws_cloudwatch_metric_alarm.this : k => a.alarm_name },
    { for a in aws_cloudwatch_composite_alarm.service_down : "service_down" => a.alarm_name },
  )
}

output "event_rule_name" {
  description = "Name of the EventBridge rule sending the Auto Scaling group's launch/terminate events to the topic."
  value       = aws_cloudwatch_event_rule.autoscaling.name
}
