package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/terraform"
)

// hopLimitPlan is the failing fixture of the IMDSv2 rule (a dev plan with a launch template whose hop limit is 2)
// plus the alert topic and alarm the environment contract asks for, so that only EC2S-301 fails; cleanPlan is
// that topic and alarm alone.
const hopLimitPlan, cleanPlan = "testdata/hop-limit-plan.json", "testdata/clean-plan.json"

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckExitCodesAndOutputs(t *testing.T) {
	fixtureRepo(t)
	ctx := context.Background()
	plan, err := filepath.Abs(hopLimitPlan)
	if err != nil {
		t.Fatal(err)
	}

	// A violation: exit 3, the table names rule, resource and value; SARIF carries the same results.
	sarif := filepath.Join(t.TempDir(), "check.sarif")
	code, out, stderr := run(t, ctx, "check", "dev", "--plan", plan, "--sarif", sarif)
	if code != ExitViolations {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitViolations, out, stderr)
	}
	for _, want := range []string{"EC2S-301", "aws_launch_template.v1", "http_put_response_hop_limit = 2", "3 violation(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table does not mention %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "ec2stack: check dev: 3 violation(s) of the security baseline") {
		t.Errorf("stderr %q", stderr)
	}
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	b, err := os.ReadFile(sarif)
	if err != nil || json.Unmarshal(b, &doc) != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 || len(doc.Runs[0].Results) != 3 {
		t.Fatalf("SARIF %s: %v\n%s", sarif, err, b)
	}

	// The same findings accepted as exceptions: exit 0, --json lists them as excepted.
	exceptions := writeFile(t, "exceptions.yaml", `exceptions:
  - {check: EC2S-301, address: aws_launch_template.v1, environment: dev, reason: "test", expires: 2999-01-01}
  - {check: EC2S-301, address: aws_launch_template.none, environment: dev, reason: "test", expires: 2999-01-01}
`)
	code, out, stderr = run(t, ctx, "check", "dev", "--plan", plan, "--exceptions", exceptions, "--json")
	var result struct {
		Clean    bool
		Findings []map[string]any
		Excepted []map[string]any
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &result) != nil || !result.Clean || len(result.Excepted) != 3 {
		t.Fatalf("with exceptions: exit %d, %s%s", code, out, stderr)
	}

	// An expired exception no longer hides its finding and is a finding itself.
	expired := writeFile(t, "expired.yaml", `exceptions:
  - {check: EC2S-301, address: aws_launch_template.v1, environment: dev, reason: "test", expires: 2020-01-01}
`)
	code, out, _ = run(t, ctx, "check", "dev", "--plan", plan, "--exceptions", expired)
	if code != ExitViolations || !strings.Contains(out, "EC2S-000") || !strings.Contains(out, "http_tokens = optional") {
		t.Fatalf("expired exception: exit %d\n%s", code, out)
	}

	// A plan with nothing wrong in it: exit 0.
	if code, out, stderr := run(t, ctx, "check", "dev", "--plan", cleanPlan); code != ExitOK || !strings.Contains(out, ": clean,") {
		t.Fatalf("clean plan: exit %d\n%s%s", code, out, stderr)
	}
	// A plan of an environment the contract does not define is refused.
	qa := writeFile(t, "qa.json", `{"format_version": "1.2", "planned_values": {"outputs": {"environment": {"value": "qa"}}}, "resource_changes": []}`)
	if code, _, stderr := run(t, ctx, "check", "dev", "--plan", qa); code != ExitFailure || !strings.Contains(stderr, `the plan is for environment "qa", which the environment contract does not define`) {
		t.Fatalf("plan of qa: exit %d, %s", code, stderr)
	}
}

// A user's own rule directory adds rules to the check.
func TestCheckWithUserPolicy(t *testing.T) {
	fixtureRepo(t)
	dir := t.TempDir()
	rule := `package ec2stack.rules.no_launch_templates

import data.ec2stack.lib

metadata := {"id": "EC2S-990", "name": "no-launch-templates", "severity": "LOW", "summary": "s", "resolution": "r", "references": []}

deny contains lib.finding(r, r.name, "launch templates are not allowed here") if {
	some r in lib.resources("aws_launch_template")
}
`
	if err := os.WriteFile(filepath.Join(dir, "mine.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, context.Background(), "check", "dev", "--plan", hopLimitPlan, "--policy", dir)
	if code != ExitViolations || !strings.Contains(out, "EC2S-990 no-launch-templates") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.rego"), []byte("package ec2stack.rules.broken\ndeny contains"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, context.Background(), "check", "dev", "--plan", hopLimitPlan, "--policy", dir)
	if code != ExitFailure || !strings.Contains(stderr, "broken.rego") {
		t.Fatalf("broken rule: exit %d, stderr %q", code, stderr)
	}
}

// A plan that fails on input validation becomes EC2S-001 findings naming the input.
func TestInvalidInputsBecomeFindings(t *testing.T) {
	err := &terraform.DiagnosticsError{Err: errors.New("exit status 1"), Diagnostics: []terraform.Diagnostic{{
		Severity: "error", Summary: "Invalid value for variable",
		Detail:   "prod allows no SSH at all (SSM Session Manager only): ssh_authorized_cidrs must be empty; got [0.0.0.0/0].\n\nThis was checked by the validation rule at ...",
		Location: "/repo/terraform/envs/prod/main.tf:31", Context: `module "stack"`, Code: `ssh_authorized_cidrs     = ["0.0.0.0/0"]`,
	}}}
	got := invalidInputs(err)
	if len(got) != 1 || got[0].RuleID != "EC2S-001" || got[0].Address != "module.stack.var.ssh_authorized_cidrs" ||
		got[0].Value != `["0.0.0.0/0"]` || !strings.HasPrefix(got[0].Message, "prod allows no SSH") || strings.Contains(got[0].Message, "\n") {
		t.Fatalf("invalidInputs = %+v", got)
	}
	other := &terraform.DiagnosticsError{Err: errors.New("x"), Diagnostics: []terraform.Diagnostic{{Summary: "Error configuring provider"}}}
	if invalidInputs(other) != nil || invalidInputs(errors.New("plain")) != nil {
		t.Fatal("only input validation failures become findings")
	}
}
