# Security groups chained by group id: internet -> ALB -> instances (app port) -> database (database port),
# instances -> interface endpoints (443). Only the ALB accepts traffic from outside the VPC.

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Application load balancer: HTTP/HTTPS in from clients, app port out to the instances"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-alb" }
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "Instances: app port from the ALB only; out to the database, the endpoints and HTTPS updates"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-app" }
}

resource "aws_security_group" "database" {
  name        = "${var.name}-database"
  description = "Database: the database port from the instances only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-database" }
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints: HTTPS from the instances only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-endpoints" }
}

# ALB
# Clients reach the ALB on 80/443 from the internet (accepted exception: a public load balancer without
# CloudFront). With CloudFront in front only its origin-facing prefix list may, on 443 alone: CloudFront connects
# over HTTPS, and every rule referencing that list counts as its maximum entries (55) against the group's quota of
# 60 rules, so AWS would refuse a second reference.
resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = var.restrict_alb_to_cloudfront ? { https = 443 } : { http = 80, https = 443 }

  security_group_id = aws_security_group.alb.id
  description       = var.restrict_alb_to_cloudfront ? "${upper(each.key)} from CloudFront only" : "${upper(each.key)} from clients"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = var.restrict_alb_to_cloudfront ? null : "0.0.0.0/0"
  prefix_list_id    = var.restrict_alb_to_cloudfront ? var.cloudfront_prefix_list_id : null
}

moved {
  from = aws_vpc_security_group_ingress_rule.alb_http
  to   = aws_vpc_security_group_ingress_rule.alb["http"]
}

moved {
  from = aws_vpc_security_group_ingress_rule.alb_https
  to   = aws_vpc_security_group_ingress_rule.alb["https"]
}

resource "aws_vpc_security_group_egress_rule" "alb_to_app" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the instances on the app port"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.app.id
}

# Instances
resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "App port from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_ingress_rule" "app_ssh" {
  for_each = toset(var.ssh_authorized_cidrs)

  security_group_id = aws_security_group.app.id
  description       = "SSH from an authorized network"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = each.key
}

resource "aws_vpc_security_group_egress_rule" "app_to_database" {
  security_group_id            = aws_security_group.app.id
  description                  = "To the database"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_vpc_security_group_egress_rule" "app_to_endpoints" {
  security_group_id            = aws_security_group.app.id
  description                  = "To the interface VPC endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id
}

# Exception (security baseline, security groups row): HTTPS to the internet through the NAT for OS and package
# updates; the instances have no public address and every other egress is scoped to a security group.
#trivy:ignore:AVD-AWS-0104
resource "aws_vpc_security_group_egress_rule" "app_https" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS out through the NAT gateway for package updates (accepted exception: egress to the internet)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# Exception (security baseline, security groups row), only for an OS whose package mirrors are plain HTTP
# (Ubuntu's archive and its EC2 mirrors): port 80 out through the NAT. apt verifies every package's signature, so
# integrity does not rest on TLS. No committed environment runs Ubuntu, so no scan reports it (trivy AWS-0104
# would, on the plan of one that does).
resource "aws_vpc_security_group_egress_rule" "app_http" {
  count = var.http_egress ? 1 : 0

  security_group_id = aws_security_group.app.id
  description       = "HTTP out through the NAT gateway to the OS package mirrors (accepted exception: plain-HTTP mirrors)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

# Database
resource "aws_vpc_security_group_ingress_rule" "database_from_app" {
  security_group_id            = aws_security_group.database.id
  description                  = "Database port from the instances"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.app.id
}

# Endpoints
resource "aws_vpc_security_group_ingress_rule" "endpoints_from_app" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the instances"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.app.id
}
