# The alerts topic (our CMK), who may publish to it, who receives it, and the Auto Scaling events sent to it.

resource "aws_sns_topic" "alerts" {
  name              = "${var.name}-alerts"
  display_name      = "${var.name} alerts"
  kms_master_key_id = var.sns_kms_key_arn
}

# Replaces the default topic policy: the account keeps its rights; CloudWatch alarms and EventBridge rules of this
# account only (aws:SourceAccount) may publish.
resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountOwner"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"]
        Resource  = aws_sns_topic.alerts.arn
      },
      {
        Sid       = "CloudWatchAndEventBridgePublish"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alerts.arn
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
    ]
  })
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

# Instance launch/terminate results of the application's Auto Scaling group, through EventBridge (works on moto too).
resource "aws_cloudwatch_event_rule" "autoscaling" {
  name        = "${var.name}-autoscaling-events"
  description = "Launch and terminate results of the ${var.name} Auto Scaling group, sent to the alerts topic."

  event_pattern = jsonencode({
    source = ["aws.autoscaling"]
    detail-type = [
      "EC2 Instance Launch Successful",
      "EC2 Instance Terminate Successful",
      "EC2 Instance Launch Unsuccessful",
      "EC2 Instance Terminate Unsuccessful",
    ]
    detail = { AutoScalingGroupName = local.event_group_names }
  })
}

resource "aws_cloudwatch_event_target" "autoscaling" {
  rule      = aws_cloudwatch_event_rule.autoscaling.name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.alerts.arn
}

# Classic Auto Scaling notifications.
resource "aws_autoscaling_notification" "this" {
  count = var.enable_asg_notifications ? 1 : 0

  group_names = local.event_group_names
  topic_arn   = aws_sns_topic.alerts.arn
  notifications = [
    "autoscaling:EC2_INSTANCE_LAUNCH",
    "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
    "autoscaling:EC2_INSTANCE_TERMINATE",
    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
  ]
}
