# Inputs every environment root declares (variables.tf is shared) but not every environment uses: passing one
# where it is ignored is a mistake, so the plan says so instead of dropping it silently.
check "environment_inputs" {
  assert {
    condition     = local.environment != "dev" || var.domain_name == ""
    error_message = "dev has no DNS, certificates or edge: domain_name (\"${var.domain_name}\") is ignored there; unset it."
  }

  assert {
    condition     = local.environment != "prod" || length(var.ssh_authorized_cidrs) == 0
    error_message = "prod has no SSH at all (SSM Session Manager only): ssh_authorized_cidrs is ignored there; unset it."
  }
}
