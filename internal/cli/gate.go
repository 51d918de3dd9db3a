package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/policy"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// rules judge plans: the policy rules (built in, policy/ and --policy DIR), reading the environment contract,
// and the accepted exceptions (policy/exceptions.yaml or --exceptions FILE).
type rules struct {
	engine     *policy.Engine
	exceptions []policy.Exception
}

func (c *command) loadRules(home string) (*rules, error) {
	var dirs []string
	if st, err := os.Stat(filepath.Join(home, "policy")); err == nil && st.IsDir() {
		dirs = append(dirs, filepath.Join(home, "policy"))
	}
	if c.opts.policyDir != "" {
		if st, err := os.Stat(c.opts.policyDir); err != nil || !st.IsDir() {
			return nil, usagef("--policy %s is not a directory of .rego rules", c.opts.policyDir)
		}
		dirs = append(dirs, c.opts.policyDir)
	}
	excPath := c.opts.exceptions
	if excPath == "" {
		excPath = filepath.Join(home, "policy", "exceptions.yaml")
	} else if _, err := os.Stat(excPath); err != nil {
		return nil, usagef("--exceptions %s: no such file", excPath)
	}
	ct, _, err := c.requirements(home)
	if err != nil {
		return nil, err
	}
	engine, err := policy.Load(ct, dirs...)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", c.opts.env, err)
	}
	exceptions, err := policy.LoadExceptions(excPath)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", c.opts.env, err)
	}
	return &rules{engine: engine, exceptions: exceptions}, nil
}

// judge evaluates a plan of env (or, when the plan could not be made, the inputs that broke their validation
// rules) and applies the exceptions.
func (r *rules) judge(ctx context.Context, env string, planJSON []byte, planPath string, inputs []policy.Finding) (*policy.Report, error) {
	if inputs != nil { // no plan: the inputs themselves break their rules (exceptions cannot be judged)
		return policy.Apply(env, append(r.engine.Rules(), policy.InputRule), inputs, nil, time.Now()), nil
	}
	planEnv, findings, err := r.engine.Evaluate(ctx, planJSON)
	var notPlan *policy.NotAPlanError
	if errors.As(err, &notPlan) {
		return nil, usagef("%s: %v", planPath, err)
	}
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", env, err)
	}
	if planEnv != env {
		return nil, usagef("%s is a plan of environment %q, not %q", planPath, planEnv, env)
	}
	return policy.Apply(planEnv, r.engine.Rules(), findings, r.exceptions, time.Now()), nil
}

// gate checks the plan s has just written (on the emulator target through a plan of the same root with real
// settings, which is what AWS would get), records the verdict beside the plan file and prints it. A plan that
// breaks a rule is kept for inspection but refused by apply.
func (c *command) gate(ctx context.Context, s *session) (*policy.Report, error) {
	r, err := c.loadRules(s.home)
	if err != nil {
		return nil, err
	}
	checked := s.runner.PlanFile()
	var planJSON []byte
	var inputs []policy.Finding
	if s.target == "emulator" {
		c.progressf("checking %s with real settings (emulator_mode = false) ...", s.env.Name)
		checked, planJSON, inputs, err = c.realSettingsPlan(ctx, nil)
	} else {
		planJSON, err = s.runner.PlanJSON(ctx, "")
	}
	if err != nil {
		return nil, err
	}
	report, err := r.judge(ctx, s.env.Name, planJSON, checked, inputs)
	if err != nil {
		return nil, err
	}
	if err := recordGate(s.env.Name, s.target, s.runner.PlanFile(), checked, report); err != nil {
		return nil, err
	}
	c.printReport(report, checked, false)
	return report, nil
}

// realSettingsPlan plans the environment with emulator_mode = false in a work directory and state of its own
// (see prepareSession) and returns the plan file and its JSON, or the invalid inputs when the plan could not be
// made because of them. progress receives terraform's events (nil: none).
func (c *command) realSettingsPlan(ctx context.Context, progress func(terraform.Event)) (planFile string, planJSON []byte, inputs []policy.Finding, err error) {
	s, err := c.prepareSession(ctx, true)
	if err != nil {
		return "", nil, nil, fmt.Errorf("check %s: %w", c.opts.env, err)
	}
	if err := s.init(ctx); err != nil {
		return "", nil, nil, err
	}
	if _, err := s.runner.Plan(ctx, progress); err != nil {
		if inputs := invalidInputs(err); inputs != nil {
			return s.runner.PlanFile(), nil, inputs, nil
		}
		return "", nil, nil, fmt.Errorf("check %s: plan: %w", c.opts.env, err)
	}
	planJSON, err = s.runner.PlanJSON(ctx, "")
	return s.runner.PlanFile(), planJSON, nil, err
}

// recordGate writes the gate record of planFile: its hash and the verdict of check on checkedPlan. Without a
// plan (the inputs were invalid) nothing is recorded: there is nothing to apply.
func recordGate(env, target, planFile, checkedPlan string, r *policy.Report) error {
	if _, err := os.Stat(planFile); err != nil {
		return nil
	}
	if _, err := os.Stat(checkedPlan); err != nil {
		checkedPlan = planFile
	}
	return deploy.RecordGate(deploy.Gate{
		Environment: env, Target: target, PlanFile: planFile, CheckedPlan: checkedPlan,
		Clean: r.Clean(), Rules: len(r.Rules), Violations: len(r.Findings), Excepted: len(r.Excepted),
	})
}

// gateDoc is the gate's verdict in --json documents.
func gateDoc(r *policy.Report) map[string]any {
	return map[string]any{"clean": r.Clean(), "rules": len(r.Rules), "findings": nonNil(r.Findings), "excepted": len(r.Excepted)}
}
