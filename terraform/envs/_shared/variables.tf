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

variable "domain_name" {
  description = "Public name of the application, e.g. app.example.com (a hosted zone for it is created; delegate it with the hosted zone's name servers). \"\" = the root's default: staging and prod use a placeholder under .example (fine on the emulator, never valid on AWS), dev has no DNS."
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
