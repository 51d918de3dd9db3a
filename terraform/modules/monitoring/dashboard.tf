# One dashboard per environment: load balancer, Auto Scaling group, RDS (when set) and NAT gateways.

locals {
  dashboard_panels = concat(
    [
      {
        title = "ALB requests", stat = "Sum", metrics = [
          ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix],
        ]
      },
      {
        title = "ALB target response time (p95, average)", stat = "p95", metrics = [
          ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix],
          ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb_arn_suffix, { stat = "Average" }],
        ]
      },
      {
        title = "ALB 5xx (targets, load balancer)", stat = "Sum", metrics = [
          ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", var.alb_arn_suffix],
          ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.alb_arn_suffix],
        ]
      },
      {
        title = "Auto Scaling group: in service, CPU", stat = "Average", metrics = [
          ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", var.autoscaling_group_name],
          ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", var.autoscaling_group_name, { yAxis = "right" }],
        ]
      },
    ],
    [for p in [
      {
        title = "RDS CPU and connections", stat = "Average", metrics = [
          ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_instance_id],
          ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", var.db_instance_id, { yAxis = "right" }],
        ]
      },
      {
        title = "RDS free storage", stat = "Minimum", metrics = [
          ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", var.db_instance_id],
        ]
      },
    ] : p if var.db_instance_id != null],
    [
      for key in sort(keys(var.nat_gateway_ids)) : {
        title = "NAT ${key}: port allocation errors, dropped packets", stat = "Sum", metrics = [
          ["AWS/NATGateway", "ErrorPortAllocation", "NatGatewayId", var.nat_gateway_ids[key]],
          ["AWS/NATGateway", "PacketsDropCount", "NatGatewayId", var.nat_gateway_ids[key]],
        ]
      }
    ],
  )

  dashboard_widgets = [
    for i, p in local.dashboard_panels : {
      type   = "metric"
      x      = (i % 2) * 12
      y      = floor(i / 2) * 6
      width  = 12
      height = 6
      properties = {
        title   = p.title
        region  = local.region
        view    = "timeSeries"
        stacked = false
        period  = 300
        stat    = p.stat
        metrics = p.metrics
      }
    }
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
