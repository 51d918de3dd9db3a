variable "name" {
  description = "Name prefix for every resource, e.g. ec2stack-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter; got \"${var.name}\"."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC, e.g. 10.0.0.0/16."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(cidrhost(var.vpc_cidr, 0) == split("/", var.vpc_cidr)[0], false)
    error_message = "vpc_cidr must be an IPv4 network address in CIDR notation such as 10.0.0.0/16; got \"${var.vpc_cidr}\"."
  }

  validation {
    condition     = !can(cidrhost(var.vpc_cidr, 0)) || try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "vpc_cidr must have a prefix length between /16 and /24 (AWS VPC limits with room for three subnet tiers); got \"${var.vpc_cidr}\"."
  }
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each subnet (8 turns a /16 into /24 subnets). Tiers are laid out at fixed offsets: public at netnum 0-5, private at 10-15, database at 20-25, one per AZ letter."
  type        = number
  default     = 8

  validation {
    condition     = var.subnet_newbits == floor(var.subnet_newbits) && var.subnet_newbits >= 5 && var.subnet_newbits <= 12
    error_message = "subnet_newbits must be a whole number from 5 to 12 (tiers use netnums up to 25, so at least 5 bits); got ${var.subnet_newbits}."
  }

  validation {
    condition     = !can(cidrhost(var.vpc_cidr, 0)) || try(tonumber(split("/", var.vpc_cidr)[1]) + var.subnet_newbits <= 28, false)
    error_message = "subnets do not fit the VPC: vpc_cidr ${var.vpc_cidr} plus subnet_newbits ${var.subnet_newbits} gives subnets smaller than /28, the smallest AWS allows."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over (2 or 3). Subnets are keyed by AZ, so adding one never replaces the others."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3
    error_message = "availability_zones must list 2 or 3 zones; got ${length(var.availability_zones)}: [${join(", ", var.availability_zones)}]."
  }

  validation {
    condition     = alltrue([for az in var.availability_zones : can(regex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+[a-f]$", az))])
    error_message = "availability_zones must be zone names ending in a letter a-f, such as us-east-1a; got [${join(", ", var.availability_zones)}]."
  }

  validation {
    condition     = length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must not repeat a zone; got [${join(", ", var.availability_zones)}]."
  }
}

variable "nat_gateway_mode" {
  description = "\"single\": one NAT gateway shared by all private subnets (cheap, dev/staging); \"per_az\": one per AZ (no cross-AZ dependency, prod)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be \"single\" or \"per_az\"; got \"${var.nat_gateway_mode}\"."
  }
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface VPC endpoints in the private subnets (short names such as ec2, ssm). The S3 gateway endpoint is always created."
  type        = list(string)
  default     = ["ec2", "ssm", "ssmmessages", "ec2messages"]

  validation {
    condition     = alltrue([for s in var.interface_endpoint_services : can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", s))])
    error_message = "interface_endpoint_services must be service short names such as ec2 or ssmmessages; got [${join(", ", var.interface_endpoint_services)}]."
  }

  validation {
    condition     = !contains(var.interface_endpoint_services, "s3")
    error_message = "interface_endpoint_services must not contain s3: the module always creates the free S3 gateway endpoint."
  }
}

variable "endpoints_security_group_id" {
  description = "Security group attached to the interface endpoints (allows 443 from the instances)."
  type        = string
}

variable "app_port" {
  description = "TCP port the instances serve on (NACLs allow it from the public tier)."
  type        = number
}

variable "database_port" {
  description = "TCP port of the database (NACLs allow it from the private tier)."
  type        = number
}

variable "ssh_authorized_cidrs" {
  description = "CIDRs allowed to reach port 22 of the private tier (NACL side of the SSH rule); empty means none."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.ssh_authorized_cidrs) <= 16
    error_message = "ssh_authorized_cidrs may hold at most 16 CIDRs: each takes an inbound rule of the private network ACL, which AWS limits to 20 rules per direction and which uses 4 already; got ${length(var.ssh_authorized_cidrs)}."
  }
}

variable "http_egress" {
  description = "Let the private tier reach the internet on port 80 through the NAT (NACL side): for an OS whose package mirrors are plain HTTP (Ubuntu; packages are signature-checked)."
  type        = bool
  default     = false
}

variable "flow_log_kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the flow-log log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Retention of the flow-log log group, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got ${var.flow_log_retention_days}."
  }
}
