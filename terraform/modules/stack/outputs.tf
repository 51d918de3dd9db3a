output "environment" {
  description = "Environment name."
  value       = var.environment
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "vpc_cidr_block" {
  description = "CIDR of the VPC."
  value       = module.network.vpc_cidr_block
}

output "availability_zones" {
  description = "Availability zones in use."
  value       = module.network.availability_zones
}

output "public_subnet_ids" {
  description = "Public subnet IDs keyed by AZ."
  value       = module.network.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnet IDs keyed by AZ."
  value       = module.network.private_subnet_ids
}

output "database_subnet_ids" {
  description = "Database subnet IDs keyed by AZ."
  value       = module.network.database_subnet_ids
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs keyed by \"shared\" or AZ."
  value       = module.network.nat_gateway_ids
}

output "public_route_table_id" {
  description = "Route table of the public tier."
  value       = module.network.public_route_table_id
}

output "private_route_table_ids" {
  description = "Route tables of the private tier keyed by AZ."
  value       = module.network.private_route_table_ids
}

output "database_route_table_id" {
  description = "Route table of the database tier."
  value       = module.network.database_route_table_id
}

output "vpc_endpoint_ids" {
  description = "VPC endpoint IDs keyed by service short name."
  value       = module.network.vpc_endpoint_ids
}

output "flow_log_group_name" {
  description = "Log group of the VPC flow logs."
  value       = module.network.flow_log_group_name
}

output "log_group_names" {
  description = "System, security and application log groups."
  value       = module.monitoring.log_group_names
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = module.security.alb_security_group_id
}

output "app_security_group_id" {
  description = "Security group of the instances."
  value       = module.security.app_security_group_id
}

output "database_security_group_id" {
  description = "Security group of the database."
  value       = module.security.database_security_group_id
}

output "endpoints_security_group_id" {
  description = "Security group of the interface endpoints."
  value       = module.security.endpoints_security_group_id
}

output "app_port" {
  description = "Application port on the instances."
  value       = var.app_port
}

output "database_port" {
  description = "Database port (from the engine)."
  value       = local.database_port
}

output "ssh_authorized_cidrs" {
  description = "CIDRs allowed to SSH to the instances."
  value       = var.ssh_authorized_cidrs
}

output "ebs_kms_key_arn" {
  description = "Customer-managed key of the EBS volumes."
  value       = module.security.ebs_kms_key_arn
}

output "logs_kms_key_arn" {
  description = "Customer-managed key of the log groups."
  value       = module.security.logs_kms_key_arn
}

output "instance_role_name" {
  description = "Instance IAM role."
  value       = module.security.instance_role_name
}

output "instance_profile_name" {
  description = "Instance profile."
  value       = module.security.instance_profile_name
}

output "launch_template_id" {
  description = "Launch template ID."
  value       = module.compute.launch_template_id
}

output "autoscaling_group_name" {
  description = "Auto Scaling group name."
  value       = module.compute.autoscaling_group_name
}

output "alb_arn" {
  description = "Load balancer ARN."
  value       = module.compute.alb_arn
}

output "alb_dns_name" {
  description = "Load balancer DNS name."
  value       = module.compute.alb_dns_name
}

output "target_group_arn" {
  description = "Target group ARN."
  value       = module.compute.target_group_arn
}

output "instance_type" {
  description = "Instance type of the launch template."
  value       = var.instance_type
}

output "asg_min_size" {
  description = "Minimum size of the Auto Scaling group."
  value       = var.asg_min_size
}

output "asg_max_size" {
  description = "Maximum size of the Auto Scaling group."
  value       = var.asg_max_size
}

output "asg_desired_capacity" {
  description = "Desired capacity of the Auto Scaling group."
  value       = var.asg_desired_capacity
}

output "https_enabled" {
  description = "Whether the ALB serves HTTPS (a domain, hence a certificate, is configured)."
  value       = local.enable_https
}

output "spot_enabled" {
  description = "Whether the Auto Scaling group runs all its capacity on Spot."
  value       = var.enable_spot
}

output "off_hours_scale_down" {
  description = "Whether the Auto Scaling group scales down out of hours (scheduled actions)."
  value       = var.off_hours_schedule != null
}

output "detailed_monitoring" {
  description = "Whether the instances send 1-minute (detailed) CloudWatch metrics."
  value       = var.enable_detailed_monitoring
}

output "data_kms_key_arn" {
  description = "Customer-managed key of RDS, Performance Insights, the master secret and AWS Backup."
  value       = module.security.data_kms_key_arn
}

output "sns_kms_key_arn" {
  description = "Customer-managed key of the alert topic."
  value       = module.security.sns_kms_key_arn
}

output "database_instance_id" {
  description = "RDS instance identifier (null without a database)."
  value       = one(module.database[*].db_instance_id)
}

output "database_endpoint" {
  description = "RDS endpoint host:port (null without a database)."
  value       = one(module.database[*].endpoint)
}

output "database_replica_id" {
  description = "Identifier of the read replica (null without one)."
  value       = var.enable_database && var.database.enable_read_replica ? "${local.name}-db-replica" : null
}

output "database_master_user_secret_arn" {
  description = "Secrets Manager secret with the master password (null without a database)."
  value       = one(module.database[*].master_user_secret_arn)
}

output "sns_topic_arn" {
  description = "Alert topic."
  value       = module.monitoring.sns_topic_arn
}

output "alarm_names" {
  description = "CloudWatch alarm names keyed by metric and level."
  value       = module.monitoring.alarm_names
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.monitoring.dashboard_name
}

output "backup_vault_name" {
  description = "AWS Backup vault (null with backups off)."
  value       = one(module.backup[*].vault_name)
}

output "backup_plan_id" {
  description = "AWS Backup plan (null with backups off)."
  value       = one(module.backup[*].plan_id)
}

output "alb_logs_bucket" {
  description = "S3 bucket of the ALB access logs."
  value       = module.logs.alb_logs_bucket
}

output "cloudfront_logs_bucket" {
  description = "S3 bucket of the CloudFront access logs (null without CloudFront)."
  value       = module.logs.cloudfront_logs_bucket
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution (null without CloudFront)."
  value       = module.edge.cloudfront_distribution_id
}

output "cloudfront_domain_name" {
  description = "CloudFront domain name (null without CloudFront)."
  value       = module.edge.cloudfront_domain_name
}

output "cloudfront_web_acl_arn" {
  description = "CLOUDFRONT-scope WAF web ACL (null without it)."
  value       = module.edge.cloudfront_web_acl_arn
}

output "regional_web_acl_arn" {
  description = "REGIONAL WAF web ACL on the ALB (null without it)."
  value       = module.edge.regional_web_acl_arn
}

output "hosted_zone_id" {
  description = "Route 53 zone of the domain (null without a domain)."
  value       = module.edge.zone_id
}

output "fqdn" {
  description = "Public name of the application (null without a domain)."
  value       = module.edge.fqdn
}

output "name_servers" {
  description = "Name servers of the hosted zone created for domain_name (to delegate to); [] when hosted_zone_id was given or there is no domain."
  value       = module.edge.name_servers
}
