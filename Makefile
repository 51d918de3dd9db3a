# Thin wrappers around the go and terraform commands; each target prints what it runs.
ENV ?= dev

.PHONY: up test lint build tools

# Bring an environment up on the local moto emulator (started and left running; `ec2stack emulator stop`).
up:
	go run ./cmd/ec2stack up $(ENV)

# Everything: the pinned scanners (built once), formatting, vet, unit tests, scans and the end-to-end tests on moto.
test: tools lint
	go test -count=1 -timeout 45m ./...

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
