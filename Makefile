# Thin wrappers around the go and terraform commands; each target prints what it runs.
ENV ?= dev
# test-aws: the environments to run ("dev staging"), YES=1 to skip the question, PREFIX to name (or clean up) a run.
ENVS ?= dev
YES ?=
PREFIX ?=

# bench: the environments to measure, round trips of each (medians), JSON=1 for the report as JSON.
BENCH_ENVS ?= dev staging prod
RUNS ?= 3
JSON ?=

.PHONY: up test bench test-aws test-aws-dry-run test-aws-clean lint build tools docs validate

# Bring an environment up on the local moto emulator (started and left running; `ec2stack emulator stop`).
up:
	go run ./cmd/ec2stack up $(ENV)

# Everything: the pinned scanners (built once), formatting, vet, unit tests, scans and the end-to-end tests on moto.
# Up to 4 tests of a package at once (each environment on its own moto, each CLI command at most two terraform
# processes), 2 packages at once: the environments' waits overlap without oversubscribing 2 cores much.
test: tools lint
	go test -count=1 -timeout 45m -parallel 4 ./...

# Speed (README, "Speed"): each environment's round trip on a private moto, the provider-waiter critical path,
# peak memory, check --plan next to trivy, and the targets met or missed (about 4 min per round trip of dev);
# then the Go benchmarks of the rules alone (compiling them, evaluating dev's plan) and of `cost` from a saved plan.
bench: tools build
	go build -o bin/bench ./cmd/bench
	bin/bench --cli bin/ec2stack --envs "$(BENCH_ENVS)" --runs $(RUNS) $(if $(filter 1 yes true,$(JSON)),--json)
	go test -run '^$$' -bench BenchmarkCheck -benchtime 10x ./internal/policy
	go test -run '^$$' -bench BenchmarkCostCommand -benchtime 20x ./internal/cli

# Real AWS, opt-in, costs money (README, "Real-AWS lane"): plans ENVS under a fresh run prefix and a state of their
# own, prints the estimated cost and asks (YES=1: does not), brings each up, runs `ec2stack verify`, checks that the
# application answers through the load balancer, destroys it and fails if anything of the run is left. Needs AWS
# credentials and EC2STACK_STATE_BUCKET (staging also TF_VAR_hosted_zone_id). Runs bin/awslane, so that make's
# "Error N" is the lane's exit code.
test-aws:
	go build -o bin/awslane ./cmd/awslane
	bin/awslane --envs "$(ENVS)" $(if $(filter 1 yes true,$(YES)),--yes) $(if $(PREFIX),--prefix $(PREFIX))

# The same lane, plan and estimate only, offline against a private moto (no AWS, nothing to pay); the default test
# suite runs it too (TestDryRunOffline).
test-aws-dry-run:
	go build -o bin/awslane ./cmd/awslane
	bin/awslane --offline --envs "$(ENVS)"

# Destroy what run PREFIX left (an interrupted `make test-aws` prints it) and list its leftovers.
test-aws-clean:
	@test -n "$(PREFIX)" || { echo "usage: make test-aws-clean PREFIX=ec2t-xxxxxx [ENVS=\"dev staging\"] [YES=1]"; exit 2; }
	go build -o bin/awslane ./cmd/awslane
	bin/awslane --cleanup --prefix $(PREFIX) --envs "$(ENVS)" $(if $(filter 1 yes true,$(YES)),--yes)

# The inputs/outputs/resources tables of every module README (terraform-docs, .terraform-docs.yml, between the
# BEGIN_TF_DOCS/END_TF_DOCS markers); run it after changing a module's variables or outputs (TestModuleDocs checks).
docs: tools
	for m in terraform/modules/*/; do $${EC2STACK_TOOLS_DIR:-$$HOME/.cache/ec2stack/tools}/terraform-docs-$$(awk '$$1 == "github.com/terraform-docs/terraform-docs" { print $$2 }' tools/terraform-docs/go.mod) --config .terraform-docs.yml $$m || exit 1; done

# terraform validate on each environment root (and so every module it calls): init without a backend in a data dir
# of its own under .ec2stack/validate, the AWS provider from the filesystem mirror when there is one
# (EC2STACK_PROVIDER_MIRROR, else /opt/tf-plugins), the lock files read-only.
validate:
	@mkdir -p .ec2stack/validate; mirror=$${EC2STACK_PROVIDER_MIRROR:-/opt/tf-plugins}; rc=.ec2stack/validate/terraform.rc; \
	if [ -d "$$mirror/registry.terraform.io/hashicorp/aws" ]; then \
	  printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n' "$$mirror" > $$rc; \
	else printf 'provider_installation {\n  direct {}\n}\n' > $$rc; fi; \
	for e in dev staging prod; do \
	  echo "terraform validate terraform/envs/$$e"; \
	  TF_CLI_CONFIG_FILE=$(CURDIR)/$$rc TF_DATA_DIR=$(CURDIR)/.ec2stack/validate/$$e terraform -chdir=terraform/envs/$$e init -backend=false -input=false -lockfile=readonly >/dev/null || exit 1; \
	  TF_CLI_CONFIG_FILE=$(CURDIR)/$$rc TF_DATA_DIR=$(CURDIR)/.ec2stack/validate/$$e terraform -chdir=terraform/envs/$$e validate -no-color || exit 1; \
	done

lint:
	@test -z "$$(gofmt -l cmd internal test)" || { echo "gofmt would change:"; gofmt -l cmd internal test; exit 1; }
	go vet ./...
	TF_CLI_CONFIG_FILE= terraform fmt -check -recursive terraform test

build:
	go build -o bin/ec2stack ./cmd/ec2stack

# Pinned trivy, tflint and the tflint AWS ruleset, built from tools/*/go.mod into ~/.cache/ec2stack/tools
# (EC2STACK_TOOLS_DIR overrides); skips what is already built.
tools:
	tools/install
