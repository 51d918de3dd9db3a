# Log groups the CloudWatch agent on the instances writes to, encrypted with our key, retention per environment,
# and the agent's configuration as an SSM parameter the instances fetch at boot.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  log_group_names = { for k, g in aws_cloudwatch_log_group.this : k => g.name }

  # Amazon CloudWatch agent configuration. Metrics go to CWAgent with the AutoScalingGroupName dimension appended
  # and aggregated by it, so the memory/disk alarms can watch the whole group. "$${aws:...}" are agent placeholders.
  cloudwatch_agent_config = {
    agent = { metrics_collection_interval = 60, run_as_user = "root" }
    metrics = {
      namespace              = "CWAgent"
      append_dimensions      = { AutoScalingGroupName = "$${aws:AutoScalingGroupName}", InstanceId = "$${aws:InstanceId}" }
      aggregation_dimensions = [["AutoScalingGroupName"]]
      metrics_collected = {
        cpu  = { measurement = ["cpu_usage_idle", "cpu_usage_user", "cpu_usage_system"], totalcpu = true }
        mem  = { measurement = ["mem_used_percent"] }
        disk = { measurement = ["used_percent"], resources = ["/"] }
      }
    }
    logs = {
      logs_collected = {
        files = {
          collect_list = [
            { file_path = "/var/log/messages", log_group_name = local.log_group_names["system"], log_stream_name = "{instance_id}/messages" },
            { file_path = "/var/log/syslog", log_group_name = local.log_group_names["system"], log_stream_name = "{instance_id}/syslog" },
            { file_path = "/var/log/secure", log_group_name = local.log_group_names["security"], log_stream_name = "{instance_id}/secure" },
            { file_path = "/var/log/auth.log", log_group_name = local.log_group_names["security"], log_stream_name = "{instance_id}/auth" },
            { file_path = "/var/log/ec2stack-app.log", log_group_name = local.log_group_names["application"], log_stream_name = "{instance_id}/app" },
          ]
        }
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["system", "security", "application"])

  name              = "/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = { LogType = each.key }
}

# Read by the instances (instance policy: ssm:GetParameter on /<name>/*) with
# amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:/<name>/cloudwatch-agent/config
resource "aws_ssm_parameter" "cloudwatch_agent_config" {
  name        = "/${var.name}/cloudwatch-agent/config"
  description = "Amazon CloudWatch agent configuration for the ${var.name} instances (no secrets)."
  type        = "String"
  tier        = "Standard"
  value       = jsonencode(local.cloudwatch_agent_config)
}
