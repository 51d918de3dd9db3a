# What the environment contract (policy/contract.yaml) requires of this environment; `ec2stack check` enforces
# all of it on the plan, the checks below only warn about root inputs that the contract makes pointless.
locals {
  contract = yamldecode(file("${path.module}/../../../policy/contract.yaml")).environments[local.environment]
  fqdn     = module.stack.fqdn == null ? "" : module.stack.fqdn
}

# Inputs every environment root declares (variables.tf is shared) but not every environment uses: passing one
# where it is ignored is a mistake, so the plan says so instead of dropping it silently.
check "environment_inputs" {
  assert {
    condition     = local.contract.edge || var.domain_name == ""
    error_message = "${local.environment} has no DNS, certificates or edge (edge: false in the environment contract): domain_name (\"${var.domain_name}\") is ignored there; unset it."
  }

  assert {
    condition     = local.contract.edge || var.hosted_zone_id == ""
    error_message = "${local.environment} has no DNS (edge: false in the environment contract): hosted_zone_id (\"${var.hosted_zone_id}\") is ignored there; unset it."
  }

  assert {
    condition     = local.contract.access.ssh != "none" || length(var.ssh_authorized_cidrs) == 0
    error_message = "${local.environment} has no SSH at all (access.ssh: none in the environment contract; SSM Session Manager only): ssh_authorized_cidrs is ignored there; unset it."
  }
}

# The staging and prod roots default to a placeholder under the reserved .example TLD so that they plan and
# check cleanly out of the box; on AWS such a name can never be validated, so say so before anyone applies it.
check "domain_is_yours" {
  assert {
    condition     = var.emulator_mode || !endswith(local.fqdn, ".example")
    error_message = "domain_name \"${local.fqdn}\" is a placeholder (.example): ACM cannot validate it on AWS; set TF_VAR_domain_name to a domain whose hosted zone you can delegate."
  }
}
