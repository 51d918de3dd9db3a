# Log groups the CloudWatch agent on the instances writes to, encrypted with our key, retention per environment.
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["system", "security", "application"])

  name              = "/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = { LogType = each.key }
}
