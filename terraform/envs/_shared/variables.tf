variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1; got \"${var.region}\"."
  }
}

variable "dr_region" {
  description = "Disaster-recovery region for cross-region backup copies; must differ from region."
  type        = string
  default     = "us-west-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.dr_region)) && var.dr_region != var.region
    error_message = "dr_region must be an AWS region name other than region (${var.region}); got \"${var.dr_region}\"."
  }
}

variable "project" {
  description = "Name prefix of every resource (<project>-<environment>-...) and the Project tag: lowercase letters, digits and single hyphens, starting with a letter, at most 24 characters (so that <project>-staging fits AWS's 32-character load balancer and target group names)."
  type        = string
  default     = "ec2stack"
}

variable "hosted_zone_id" {
  description = "Existing public Route 53 hosted zone that holds domain_name (already delegated: ACM validates through it at once). \"\" = create a zone for domain_name, which must then be delegated from its parent with the name_servers output before the certificates can validate (see the README's first bring-up). Not used in dev (no DNS)."
  type        = string
  default     = ""
}

variable "domain_name" {
  description = "Public name of the application, e.g. app.example.com (at most 64 characters, ACM's limit; with CloudFront, origin.<domain_name> is the ALB's name for CloudFront). Its zone is hosted_zone_id, or a new zone to delegate with the name_servers output. \"\" = the root's default: staging and prod use a placeholder under .example (fine on the emulator, never valid on AWS), dev has no DNS."
  type        = string
  default     = ""
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the environment's alert topic."
  type        = list(string)
  default     = []
}

variable "ssh_authorized_cidrs" {
  description = "CIDRs allowed to SSH to the instances (empty = no SSH rule; 0.0.0.0/0 is rejected). Not used in prod."
  type        = list(string)
  default     = []
}

variable "emulator_mode" {
  description = "The emulator switch, set only by `ec2stack --target emulator` (TF_VAR_emulator_mode): adapts what moto cannot run, see docs/emulator.md. Never set it for AWS."
  type        = bool
  default     = false
}
