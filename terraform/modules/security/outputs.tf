output "alb_security_group_id" {
  description = "Security group of the application load balancer."
  value       = aws_security_group.alb.id
}

output "app_security_group_id" {
  description = "Security group of the instances."
  value       = aws_security_group.app.id
}

output "database_security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.database.id
}

output "endpoints_security_group_id" {
  description = "Security group of the interface VPC endpoints."
  value       = aws_security_group.endpoints.id
}

output "ebs_kms_key_arn" {
  description = "ARN of the customer-managed key for EBS volumes."
  value       = aws_kms_key.this["ebs"].arn
}

output "logs_kms_key_arn" {
  description = "ARN of the customer-managed key for CloudWatch Logs."
  value       = aws_kms_key.this["logs"].arn
}

output "instance_role_name" {
  description = "Name of the instance IAM role."
  value       = aws_iam_role.instance.name
}

output "instance_profile_name" {
  description = "Name of the instance profile."
  value       = aws_iam_instance_profile.instance.name
}

output "instance_profile_arn" {
  description = "ARN of the instance profile."
  value       = aws_iam_instance_profile.instance.arn
}

output "data_kms_key_arn" {
  description = "ARN of the customer-managed key for RDS, Performance Insights, Secrets Manager and AWS Backup."
  value       = aws_kms_key.this["data"].arn
}

output "sns_kms_key_arn" {
  description = "ARN of the customer-managed key for the SNS alert topic."
  value       = aws_kms_key.this["sns"].arn
}

output "dr_kms_key_arn" {
  description = "ARN of the key in the disaster-recovery region (null without cross-region copies)."
  value       = one(aws_kms_key.dr[*].arn)
}

output "logs_kms_key_arn_us_east_1" {
  description = "CloudWatch Logs key in us-east-1 (for the CloudFront WAF logs); \"\" when not asked for."
  value       = var.enable_us_east_1_logs_key ? aws_kms_key.logs_us_east_1[0].arn : ""
}
