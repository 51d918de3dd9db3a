output "ami_id" {
  description = "AMI the live group's launch template uses."
  value       = data.aws_ami.this[local.live].id
}

output "ami_ids" {
  description = "AMI of each group's launch template, by color (blue only, unless blue/green)."
  value       = { for c, a in data.aws_ami.this : c => a.id }
}

output "live_color" {
  description = "The group that takes the traffic: blue, or with blue/green the configured live color."
  value       = local.live
}

output "traffic_weights" {
  description = "Blue/green: the listener's weight for each color's target group (percent); {} when rolling."
  value       = local.weights
}

output "launch_template_id" {
  description = "ID of the live group's launch template."
  value       = aws_launch_template.this[local.live].id
}

output "autoscaling_group_name" {
  description = "Name of the live Auto Scaling group."
  value       = aws_autoscaling_group.this[local.live].name
}

output "autoscaling_group_names" {
  description = "Name of each Auto Scaling group, by color (blue only, unless blue/green)."
  value       = { for c, g in aws_autoscaling_group.this : c => g.name }
}

output "alb_arn" {
  description = "ARN of the application load balancer."
  value       = aws_lb.this.arn
}

output "alb_dns_name" {
  description = "DNS name of the application load balancer."
  value       = aws_lb.this.dns_name
}

output "target_group_arn" {
  description = "ARN of the live group's target group."
  value       = aws_lb_target_group.this[local.live].arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "alb_zone_id" {
  description = "Route 53 zone ID of the load balancer (for alias records)."
  value       = aws_lb.this.zone_id
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the live group's target group (CloudWatch dimension)."
  value       = aws_lb_target_group.this[local.live].arn_suffix
}

output "volume_tags" {
  description = "Tags the Auto Scaling group's launch template puts on every EBS volume (DLM targets them)."
  value       = local.asg_tags
}
