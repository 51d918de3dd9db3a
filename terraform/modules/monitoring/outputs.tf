output "log_group_names" {
  description = "Log group names keyed by kind: system, security, application."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}
