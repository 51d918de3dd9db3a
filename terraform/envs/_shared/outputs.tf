# Every output of the stack, passed through one by one (the contract in ARCHITECTURE.md).
output "environment" {
  description = "Environment name."
  value       = module.stack.environment
}

output "region" {
  description = "AWS region."
  value       = var.region
}

output "dr_region" {
  description = "Disaster-recovery region (cross-region backup and snapshot copies, when on)."
  value       = var.dr_region
}

output "project" {
  description = "Name prefix and Project tag of the environment's resources."
  value       = var.project
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.stack.vpc_id
}

output "vpc_cidr_block" {
  description = "CIDR of the VPC."
  value       = module.stack.vpc_cidr_block
}

output "availability_zones" {
  description = "Availability zones in use."
  value       = module.stack.availability_zones
}

output "public_subnet_ids" {
  description = "Public subnet IDs keyed by AZ."
  value       = module.stack.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnet IDs keyed by AZ."
  value       = module.stack.private_subnet_ids
}

output "database_subnet_ids" {
  description = "Database subnet IDs keyed by AZ."
  value       = module.stack.database_subnet_ids
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs keyed by \"shared\" or AZ."
  value       = module.stack.nat_gateway_ids
}

output "public_route_table_id" {
  description = "Route table of the public tier."
  value       = module.stack.public_route_table_id
}

output "private_route_table_ids" {
  description = "Route tables of the private tier keyed by AZ."
  value       = module.stack.private_route_table_ids
}

output "database_route_table_id" {
  description = "Route table of the database tier."
  value       = module.stack.database_route_table_id
}

output "vpc_endpoint_ids" {
  description = "VPC endpoint IDs keyed by service short name."
  value       = module.stack.vpc_endpoint_ids
}

output "flow_log_group_name" {
  description = "Log group of the VPC flow logs."
  value       = module.stack.flow_log_group_name
}

output "log_group_names" {
  description = "System, security and application log groups."
  value       = module.stack.log_group_names
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = module.stack.alb_security_group_id
}

output "app_security_group_id" {
  description = "Security group of the instances."
  value       = module.stack.app_security_group_id
}

output "database_security_group_id" {
  description = "Security group of the database."
  value       = module.stack.database_security_group_id
}

output "endpoints_security_group_id" {
  description = "Security group of the interface endpoints."
  value       = module.stack.endpoints_security_group_id
}

output "app_port" {
  description = "Application port on the instances."
  value       = module.stack.app_port
}

output "database_port" {
  description = "Database port (from the engine)."
  value       = module.stack.database_port
}

output "ssh_authorized_cidrs" {
  description = "CIDRs allowed to SSH to the instances."
  value       = module.stack.ssh_authorized_cidrs
}

output "ebs_kms_key_arn" {
  description = "Customer-managed key of the EBS volumes."
  value       = module.stack.ebs_kms_key_arn
}

output "logs_kms_key_arn" {
  description = "Customer-managed key of the log groups."
  value       = module.stack.logs_kms_key_arn
}

output "instance_role_name" {
  description = "Instance IAM role."
  value       = module.stack.instance_role_name
}

output "instance_profile_name" {
  description = "Instance profile."
  value       = module.stack.instance_profile_name
}

output "launch_template_id" {
  description = "Launch template ID."
  value       = module.stack.launch_template_id
}

output "autoscaling_group_name" {
  description = "Auto Scaling group name."
  value       = module.stack.autoscaling_group_name
}

output "alb_arn" {
  description = "Load balancer ARN."
  value       = module.stack.alb_arn
}

output "alb_dns_name" {
  description = "Load balancer DNS name."
  value       = module.stack.alb_dns_name
}

output "target_group_arn" {
  description = "Target group ARN."
  value       = module.stack.target_group_arn
}

output "instance_type" {
  description = "Instance type of the launch template."
  value       = module.stack.instance_type
}

output "asg_min_size" {
  description = "Minimum size of the Auto Scaling group."
  value       = module.stack.asg_min_size
}

output "asg_max_size" {
  description = "Maximum size of the Auto Scaling group."
  value       = module.stack.asg_max_size
}

output "asg_desired_capacity" {
  description = "Desired capacity of the Auto Scaling group."
  value       = module.stack.asg_desired_capacity
}

output "https_enabled" {
  description = "Whether the ALB serves HTTPS (a domain, hence a certificate, is configured)."
  value       = module.stack.https_enabled
}

output "spot_enabled" {
  description = "Whether the Auto Scaling group runs all its capacity on Spot."
  value       = module.stack.spot_enabled
}

output "off_hours_scale_down" {
  description = "Whether the Auto Scaling group scales down out of hours (scheduled actions)."
  value       = module.stack.off_hours_scale_down
}

output "detailed_monitoring" {
  description = "Whether the instances send 1-minute (detailed) CloudWatch metrics."
  value       = module.stack.detailed_monitoring
}

output "data_kms_key_arn" {
  description = "Customer-managed key of RDS, Performance Insights, the master secret and AWS Backup."
  value       = module.stack.data_kms_key_arn
}

output "sns_kms_key_arn" {
  description = "Customer-managed key of the alert topic."
  value       = module.stack.sns_kms_key_arn
}

output "database_instance_id" {
  description = "RDS instance identifier (null without a database)."
  value       = module.stack.database_instance_id
}

output "database_endpoint" {
  description = "RDS endpoint host:port (null without a database)."
  value       = module.stack.database_endpoint
}

output "database_replica_id" {
  description = "Identifier of the read replica (null without one)."
  value       = module.stack.database_replica_id
}

output "database_master_user_secret_arn" {
  description = "Secrets Manager secret with the master password (null without a database)."
  value       = module.stack.database_master_user_secret_arn
}

output "sns_topic_arn" {
  description = "Alert topic."
  value       = module.stack.sns_topic_arn
}

output "alarm_names" {
  description = "CloudWatch alarm names keyed by metric and level."
  value       = module.stack.alarm_names
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.stack.dashboard_name
}

output "backup_vault_name" {
  description = "AWS Backup vault (null with backups off)."
  value       = module.stack.backup_vault_name
}

output "backup_plan_id" {
  description = "AWS Backup plan (null with backups off)."
  value       = module.stack.backup_plan_id
}

output "alb_logs_bucket" {
  description = "S3 bucket of the ALB access logs."
  value       = module.stack.alb_logs_bucket
}

output "cloudfront_logs_bucket" {
  description = "S3 bucket of the CloudFront access logs (null without CloudFront)."
  value       = module.stack.cloudfront_logs_bucket
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution (null without CloudFront)."
  value       = module.stack.cloudfront_distribution_id
}

output "cloudfront_domain_name" {
  description = "CloudFront domain name (null without CloudFront)."
  value       = module.stack.cloudfront_domain_name
}

output "cloudfront_web_acl_arn" {
  description = "CLOUDFRONT-scope WAF web ACL (null without it)."
  value       = module.stack.cloudfront_web_acl_arn
}

output "regional_web_acl_arn" {
  description = "REGIONAL WAF web ACL on the ALB (null without it)."
  value       = module.stack.regional_web_acl_arn
}

output "hosted_zone_id" {
  description = "Route 53 zone of the domain (null without a domain)."
  value       = module.stack.hosted_zone_id
}

output "fqdn" {
  description = "Public name of the application (null without a domain)."
  value       = module.stack.fqdn
}

output "name_servers" {
  description = "Name servers of the hosted zone the stack created for domain_name: delegate to them (NS records in the parent zone, or at the registrar) before the certificates can validate; [] when the zone was given (hosted_zone_id) or there is no domain."
  value       = module.stack.name_servers
}
