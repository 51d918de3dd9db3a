output "db_instance_id" {
  description = "Identifier of the primary DB instance."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the primary DB instance."
  value       = aws_db_instance.this.arn
}

output "endpoint" {
  description = "Connection endpoint of the primary (host:port)."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "Hostname of the primary."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "TCP port the database listens on (5432 postgres, 3306 mysql)."
  value       = aws_db_instance.this.port
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS keeps the master password in (encrypted with kms_key_arn)."
  value       = try(aws_db_instance.this.master_user_secret[0].secret_arn, null)
}

output "replica_endpoint" {
  description = "Connection endpoint of the read replica (host:port), or null when enable_read_replica is false."
  value       = try(aws_db_instance.replica[0].endpoint, null)
}

output "parameter_group_name" {
  description = "Name of the DB parameter group."
  value       = aws_db_parameter_group.this.name
}

output "subnet_group_name" {
  description = "Name of the DB subnet group."
  value       = aws_db_subnet_group.this.name
}

output "engine" {
  description = "Database engine (postgres or mysql)."
  value       = aws_db_instance.this.engine
}
