# Exception (security baseline, ALB row): the application's entry point is a public (internet-facing) ALB; with
# the edge on, its security group admits only CloudFront's origin-facing prefix list, and a WAF is attached.
#trivy:ignore:AVD-AWS-0053
resource "aws_lb" "this" {
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.alb_security_group_id]
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.enable_deletion_protection

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == "" ? [] : [1]
    content {
      bucket  = var.access_logs_bucket
      prefix  = var.name
      enabled = true
    }
  }
}

# One target group per Auto Scaling group. The green one's name keeps within AWS's 32 characters (the name is at most
# 32 already) and differs from every other environment's (names differ within their first 26 characters).
resource "aws_lb_target_group" "this" {
  for_each = local.colors

  name                 = each.key == "blue" ? var.name : "${substr(var.name, 0, 26)}-${each.key}"
  port                 = var.app_port
  protocol             = "HTTP"
  target_type          = "instance"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = var.health_check.path
    matcher             = var.health_check.matcher
    interval            = var.health_check.interval
    timeout             = var.health_check.timeout
    healthy_threshold   = var.health_check.healthy_threshold
    unhealthy_threshold = var.health_check.unhealthy_threshold
  }
}

# With HTTPS (a domain, hence a certificate): 80 only redirects to 443, which terminates TLS 1.2/1.3. Without (no domain),
# 80 forwards plain HTTP: acceptable only while there is no certificate to serve (dev; stated exception below).
#trivy:ignore:AVD-AWS-0054
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = var.enable_https ? "redirect" : "forward"
    target_group_arn = var.enable_https || var.blue_green != null ? null : aws_lb_target_group.this["blue"].arn

    dynamic "forward" {
      for_each = var.enable_https || var.blue_green == null ? [] : [local.weights]
      content {
        dynamic "target_group" {
          for_each = forward.value
          content {
            arn    = aws_lb_target_group.this[target_group.key].arn
            weight = target_group.value
          }
        }
      }
    }

    dynamic "redirect" {
      for_each = var.enable_https ? [1] : []
      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count = var.enable_https ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  # Blue/green: a weighted forward to both groups' target groups; switching the live color changes only the weights.
  default_action {
    type             = "forward"
    target_group_arn = var.blue_green == null ? aws_lb_target_group.this["blue"].arn : null

    dynamic "forward" {
      for_each = var.blue_green == null ? [] : [local.weights]
      content {
        dynamic "target_group" {
          for_each = forward.value
          content {
            arn    = aws_lb_target_group.this[target_group.key].arn
            weight = target_group.value
          }
        }
      }
    }
  }
}

moved {
  from = aws_lb_target_group.this
  to   = aws_lb_target_group.this["blue"]
}
