# tflint configuration for every module and environment root (test/scan TestTflint runs it per directory).
# The tools are pinned and built by `make tools` (tools/install); the AWS ruleset is found through
# TFLINT_PLUGIN_DIR=<tools dir>/plugins at run time. Never `tflint --init`: it downloads from GitHub.
#
#   TFLINT_PLUGIN_DIR=~/.cache/ec2stack/tools/plugins ~/.cache/ec2stack/tools/tflint-v0.64.0 \
#     --config "$PWD/.tflint.hcl" --chdir terraform/envs/prod

config {
  # Local module calls are read from source (no `terraform init` needed), so the values an environment root
  # passes down (instance types, engine versions...) are checked by the AWS rules inside the modules.
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "0.48.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}

# Beyond the preset: every variable and output says what it is for (the modules are used by three roots).
rule "terraform_documented_variables" {
  enabled = true
}

rule "terraform_documented_outputs" {
  enabled = true
}
