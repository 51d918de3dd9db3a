package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/ec2stack/ec2stack/internal/policy"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// violationsError ends a check that found violations (exit code 3).
type violationsError struct {
	env string
	n   int
	msg string // instead of the default message
}

func (e *violationsError) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return fmt.Sprintf("check %s: %d violation(s) of the security baseline", e.env, e.n)
}

// check evaluates the policy rules over ENV's plan: --plan FILE, else the saved plan of the aws target, else a
// plan made now. On the emulator target that plan has real settings (emulator_mode = false): the check is about
// what AWS would get, which the emulator can plan but not apply. Checking the aws target's saved plan records
// the result beside it (the gate apply requires).
func (c *command) check(ctx context.Context) error {
	home, err := repoHome()
	if err != nil {
		return err
	}
	rules, err := c.loadRules(home)
	if err != nil {
		return err
	}
	planJSON, planPath, inputFindings, err := c.checkPlan(ctx, home)
	if err != nil {
		return err
	}
	report, err := rules.judge(ctx, c.opts.env, planJSON, planPath, inputFindings, nil)
	if err != nil {
		return err
	}
	if c.opts.planPath == "" && c.opts.target == "aws" {
		if err := recordGate(c.opts.env, c.opts.target, planPath, planPath, report); err != nil {
			return err
		}
	}
	if c.opts.sarifPath != "" {
		doc, err := policy.SARIF(report, planPath)
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.opts.sarifPath, doc, 0o644); err != nil {
			return fmt.Errorf("writing SARIF: %w", err)
		}
	}
	c.printReport(report, planPath, true)
	if planJSON != nil {
		c.costLine(home, c.opts.env, planJSON, planPath)
	}
	if err := c.result(map[string]any{
		"environment": c.opts.env, "plan": planPath, "clean": report.Clean(), "rules": len(report.Rules),
		"findings": nonNil(report.Findings), "excepted": nonNil(report.Excepted),
	}); err != nil {
		return err
	}
	if !report.Clean() {
		return &violationsError{env: c.opts.env, n: len(report.Findings)}
	}
	return nil
}

// checkPlan returns the plan JSON to check and where it came from. When the
// plan cannot be made because inputs fail their validation rules, it returns
// those as findings instead.
func (c *command) checkPlan(ctx context.Context, home string) (planJSON []byte, from string, inputs []policy.Finding, err error) {
	if c.opts.planPath != "" {
		planJSON, err = c.readPlanFile(ctx, c.opts.planPath)
		return planJSON, c.opts.planPath, nil, err
	}
	if saved := terraform.PlanFile(home, c.opts.target, c.opts.env); c.opts.target == "aws" && fileExists(saved) {
		s, err := c.prepare(ctx)
		if err != nil {
			return nil, "", nil, fmt.Errorf("check %s: %w", c.opts.env, err)
		}
		if err := s.init(ctx); err != nil {
			return nil, "", nil, err
		}
		c.progressf("checking the saved plan %s", saved)
		planJSON, err = s.runner.PlanJSON(ctx, "")
		return planJSON, saved, nil, err
	}
	c.progressf("planning %s with real settings ...", c.opts.env)
	p := c.realSettingsPlan(ctx, c.progress(0))
	return p.json, p.file, p.inputs, p.err
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// readPlanFile reads --plan: JSON as it is, a saved plan (a zip archive)
// through `terraform show -json`; anything else is a usage error.
func (c *command) readPlanFile(ctx context.Context, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("--plan %s: %v", path, errors.Unwrap(err))
	}
	switch {
	case bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")):
		return b, nil
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		home, e, tool, rc, err := c.locate(ctx)
		if err != nil {
			return nil, err
		}
		r, err := terraform.New(terraform.Options{Tool: tool, Home: home, Root: e.Root, Target: "plan-files", Env: e.Name, CLIConfig: rc})
		if err != nil {
			return nil, err
		}
		if err := r.Init(ctx, nil); err != nil {
			return nil, err
		}
		abs, _ := filepath.Abs(path)
		out, err := r.PlanJSON(ctx, abs)
		if err != nil {
			return nil, usagef("--plan %s is not a readable terraform plan for %s: %s", path, e.Name, firstLine(err.Error()))
		}
		return out, nil
	}
	return nil, usagef("--plan %s is not a terraform plan: neither a saved plan file nor the JSON of `terraform show -json`", path)
}

// invalidInputs turns a plan that failed only on input validation into
// findings of rule EC2S-001 (one per invalid value); nil for any other failure.
func invalidInputs(err error) []policy.Finding {
	var de *terraform.DiagnosticsError
	if !errors.As(err, &de) {
		return nil
	}
	var out []policy.Finding
	for _, d := range de.Diagnostics {
		if d.Summary != "Invalid value for variable" {
			return nil
		}
		out = append(out, policy.Finding{
			RuleID: policy.InputRule.ID, RuleName: policy.InputRule.Name, Severity: policy.InputRule.Severity,
			Address: inputAddress(d), Value: codeValue(d.Code), Message: firstLine(d.Detail),
		})
	}
	return out
}

var moduleContext = regexp.MustCompile(`^module "([^"]+)"$`)

// inputAddress names the invalid input: an argument of the environment root's
// call of the stack, or of the stack's call of one of its modules.
func inputAddress(d terraform.Diagnostic) string {
	name, _, _ := strings.Cut(d.Code, "=")
	name = strings.TrimSpace(name)
	m := moduleContext.FindStringSubmatch(d.Context)
	switch {
	case m == nil || name == "":
		return "input variable (" + d.Location + ")"
	case m[1] == "stack":
		return "module.stack.var." + name
	default:
		return "module.stack.module." + m[1] + ".var." + name
	}
}

func codeValue(code string) string {
	if _, v, ok := strings.Cut(code, "="); ok {
		return strings.TrimSpace(v)
	}
	return code
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func nonNil(f []policy.Finding) []policy.Finding {
	if f == nil {
		return []policy.Finding{}
	}
	return f
}

// printReport prints the findings as a table, then (with excepted) the excepted ones, and a verdict.
func (c *command) printReport(r *policy.Report, planPath string, excepted bool) {
	if c.opts.json {
		return
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	if len(r.Findings) > 0 {
		fmt.Fprintln(tw, "SEVERITY\tRULE\tRESOURCE\tVALUE\tPROBLEM")
		for _, f := range r.Findings {
			fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\n", f.Severity, f.RuleID, f.RuleName, f.Address, clip(f.Value, 40), f.Message)
		}
		tw.Flush()
	}
	if excepted && len(r.Excepted) > 0 {
		c.printf("\nAccepted exceptions (policy/exceptions.yaml):\n")
		for _, f := range r.Excepted {
			fmt.Fprintf(tw, "  %s\t%s\tuntil %s\t%s\n", f.RuleID, f.Address, f.Exception.Expires, f.Exception.Reason)
		}
		tw.Flush()
	}
	verdict := "clean"
	if !r.Clean() {
		verdict = fmt.Sprintf("%d violation(s)", len(r.Findings))
	}
	c.printf("\nChecked %s (%s) against %d rules: %s, %d accepted exception(s).\n",
		r.Environment, planPath, len(r.Rules), verdict, len(r.Excepted))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
