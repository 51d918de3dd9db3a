variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1; got \"${var.region}\"."
  }
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
