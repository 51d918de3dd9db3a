# One network ACL per tier, with explicit tcp rules only (never protocol -1). Stateless, so every allowed flow
# also gets its return path on the ephemeral ports.
locals {
  private_cidrs = { for az in var.availability_zones : az => local.subnets["private-${az}"].cidr }

  nacl_rules = merge(
    {
      # Public tier: the ALB answers 80/443 from the internet; the NAT forwards 443 out and gets replies back.
      # Replies come back on the ephemeral ports, split around 3389 so that no rule admits RDP from the internet.
      "public-in-http"       = { tier = "public", egress = false, number = 100, from = 80, to = 80, cidr = "0.0.0.0/0" }
      "public-in-https"      = { tier = "public", egress = false, number = 110, from = 443, to = 443, cidr = "0.0.0.0/0" }
      "public-in-ephemeral"  = { tier = "public", egress = false, number = 120, from = 1024, to = 3388, cidr = "0.0.0.0/0" }
      "public-in-ephemeral2" = { tier = "public", egress = false, number = 125, from = 3390, to = 65535, cidr = "0.0.0.0/0" }
      "public-out-https"     = { tier = "public", egress = true, number = 110, from = 443, to = 443, cidr = "0.0.0.0/0" }
      "public-out-app"       = { tier = "public", egress = true, number = 120, from = var.app_port, to = var.app_port, cidr = var.vpc_cidr }
      "public-out-ephemeral" = { tier = "public", egress = true, number = 130, from = 1024, to = 65535, cidr = "0.0.0.0/0" }
      # Private tier: the app port from the ALB, 443 to the interface endpoints, replies to anything it called.
      "private-in-app"        = { tier = "private", egress = false, number = 100, from = var.app_port, to = var.app_port, cidr = var.vpc_cidr }
      "private-in-https"      = { tier = "private", egress = false, number = 110, from = 443, to = 443, cidr = var.vpc_cidr }
      "private-in-ephemeral"  = { tier = "private", egress = false, number = 120, from = 1024, to = 3388, cidr = "0.0.0.0/0" }
      "private-in-ephemeral2" = { tier = "private", egress = false, number = 125, from = 3390, to = 65535, cidr = "0.0.0.0/0" }
      "private-out-https"     = { tier = "private", egress = true, number = 110, from = 443, to = 443, cidr = "0.0.0.0/0" }
      "private-out-database"  = { tier = "private", egress = true, number = 120, from = var.database_port, to = var.database_port, cidr = var.vpc_cidr }
      "private-out-ephemeral" = { tier = "private", egress = true, number = 130, from = 1024, to = 65535, cidr = "0.0.0.0/0" }
    },
    # Plain-HTTP package mirrors (Ubuntu), through the NAT; the NAT receives it under public-in-http.
    var.http_egress ? {
      "public-out-http"  = { tier = "public", egress = true, number = 100, from = 80, to = 80, cidr = "0.0.0.0/0" }
      "private-out-http" = { tier = "private", egress = true, number = 100, from = 80, to = 80, cidr = "0.0.0.0/0" }
    } : {},
    # SSH only from the authorized CIDRs (none by default).
    { for i, cidr in var.ssh_authorized_cidrs : "private-in-ssh-${i}" => { tier = "private", egress = false, number = 200 + i, from = 22, to = 22, cidr = cidr } },
    # Database tier: only the private subnets, only the database port, and the replies to them. Nothing else.
    { for az, cidr in local.private_cidrs : "database-in-${az}" => { tier = "database", egress = false, number = 100 + local.az_index[az], from = var.database_port, to = var.database_port, cidr = cidr } },
    { for az, cidr in local.private_cidrs : "database-out-${az}" => { tier = "database", egress = true, number = 100 + local.az_index[az], from = 1024, to = 65535, cidr = cidr } },
  )
}

resource "aws_network_acl" "this" {
  for_each = local.tier_offsets

  vpc_id     = aws_vpc.this.id
  subnet_ids = [for az in var.availability_zones : aws_subnet.this["${each.key}-${az}"].id]

  tags = { Name = "${var.name}-${each.key}", Tier = each.key }
}

resource "aws_network_acl_rule" "this" {
  for_each = local.nacl_rules

  network_acl_id = aws_network_acl.this[each.value.tier].id
  rule_number    = each.value.number
  egress         = each.value.egress
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = each.value.cidr
  from_port      = each.value.from
  to_port        = each.value.to
}
