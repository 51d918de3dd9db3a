output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "Availability zones the subnets are spread over."
  value       = var.availability_zones
}

output "public_subnet_ids" {
  description = "Public subnet IDs keyed by AZ (ALB, NAT gateways)."
  value       = { for az in var.availability_zones : az => aws_subnet.this["public-${az}"].id }
}

output "private_subnet_ids" {
  description = "Private subnet IDs keyed by AZ (instances, interface endpoints)."
  value       = { for az in var.availability_zones : az => aws_subnet.this["private-${az}"].id }
}

output "database_subnet_ids" {
  description = "Database subnet IDs keyed by AZ (no route out of the VPC)."
  value       = { for az in var.availability_zones : az => aws_subnet.this["database-${az}"].id }
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs keyed by \"shared\" or by AZ."
  value       = { for k, nat in aws_nat_gateway.this : k => nat.id }
}

output "public_route_table_id" {
  description = "Route table of the public tier."
  value       = aws_route_table.public.id
}

output "private_route_table_ids" {
  description = "Route tables of the private tier keyed by AZ."
  value       = { for az, rt in aws_route_table.private : az => rt.id }
}

output "database_route_table_id" {
  description = "Route table of the database tier (local routes only)."
  value       = aws_route_table.database.id
}

output "vpc_endpoint_ids" {
  description = "VPC endpoint IDs keyed by service short name (s3 is the gateway endpoint)."
  value       = merge({ s3 = aws_vpc_endpoint.s3.id }, { for s, ep in aws_vpc_endpoint.interface : s => ep.id })
}

output "flow_log_group_name" {
  description = "CloudWatch log group that receives the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}
