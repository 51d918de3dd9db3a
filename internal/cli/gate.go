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
	if st, err := os.Stat(filepath.Join(c.config(home), "policy")); err == nil && st.IsDir() {
		dirs = append(dirs, filepath.Join(c.config(home), "policy"))
	}
	if c.opts.policyDir != "" {
		if st, err := os.Stat(c.opts.policyDir); err != nil || !st.IsDir() {
			return nil, usagef("--policy %s is not a directory of .rego rules", c.opts.policyDir)
		}
		dirs = append(dirs, c.opts.policyDir)
	}
	excPath := c.opts.exceptions
	if excPath == "" {
		excPath = filepath.Join(c.config(home), "policy", "exceptions.yaml")
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
// rules) and applies the exceptions. changes, when not nil, is the plan the rules that judge changes read
// instead (on the emulator: the emulator plan, which starts from the environment's state).
func (r *rules) judge(ctx context.Context, env string, planJSON []byte, planPath string, inputs []policy.Finding, changes []byte) (*policy.Report, error) {
	if inputs != nil { // no plan: the inputs themselves break their rules (exceptions cannot be judged)
		return policy.Apply(env, append(r.engine.Rules(), policy.InputRule), inputs, nil, time.Now()), nil
	}
	planEnv, findings, err := r.evaluate(ctx, env, planJSON, planPath)
	if err != nil {
		return nil, err
	}
	if changes != nil {
		_, changed, err := r.evaluate(ctx, env, changes, planPath)
		if err != nil {
			return nil, err
		}
		findings = append(judging(findings, r.engine.Rules(), policy.JudgesResult), judging(changed, r.engine.Rules(), policy.JudgesChanges)...)
	}
	return policy.Apply(planEnv, r.engine.Rules(), findings, r.exceptions, time.Now()), nil
}

func (r *rules) evaluate(ctx context.Context, env string, planJSON []byte, planPath string) (string, []policy.Finding, error) {
	planEnv, findings, err := r.engine.Evaluate(ctx, planJSON)
	var notPlan *policy.NotAPlanError
	if errors.As(err, &notPlan) {
		return "", nil, usagef("%s: %v", planPath, err)
	}
	if err != nil {
		return "", nil, fmt.Errorf("check %s: %w", env, err)
	}
	if planEnv != env {
		return "", nil, usagef("%s is a plan of environment %q, not %q", planPath, planEnv, env)
	}
	return planEnv, findings, nil
}

// judging keeps the findings of the rules that judge what (policy.JudgesResult or policy.JudgesChanges).
func judging(findings []policy.Finding, rules []policy.Rule, what string) []policy.Finding {
	judges := map[string]string{}
	for _, r := range rules {
		judges[r.ID] = r.Judges
	}
	var out []policy.Finding
	for _, f := range findings {
		if judges[f.RuleID] == what {
			out = append(out, f)
		}
	}
	return out
}

// gate checks the plan s has just written (sum), records the verdict beside the plan file and prints it. On the
// emulator target the rules judge real, the plan of the same root with real settings, which is what AWS would
// get; that plan starts from a state of its own, so the rules that judge changes (a replaced database) read the
// emulator plan instead, when it replaces or deletes anything. A plan that breaks a rule is kept for inspection
// but refused by apply.
func (c *command) gate(ctx context.Context, s *session, sum terraform.PlanSummary, real <-chan checkedPlan) (*policy.Report, error) {
	r, err := c.loadRules(s.home)
	if err != nil {
		return nil, err
	}
	p := checkedPlan{file: s.runner.PlanFile()}
	var changes []byte
	if real != nil {
		if sum.Replace+sum.Destroy > 0 {
			if changes, err = s.runner.PlanJSON(ctx, ""); err != nil {
				<-real
				return nil, err
			}
		}
		p = <-real
	} else {
		p.json, p.err = s.runner.PlanJSON(ctx, "")
	}
	if p.err != nil {
		return nil, p.err
	}
	report, err := r.judge(ctx, s.env.Name, p.json, p.file, p.inputs, changes)
	if err != nil {
		return nil, err
	}
	if err := recordGate(s.env.Name, s.target, s.runner.PlanFile(), p.file, report); err != nil {
		return nil, err
	}
	c.printReport(report, p.file, false)
	if p.json != nil {
		c.costLine(s.home, s.env.Name, p.json, p.file)
	}
	return report, nil
}

// checkedPlan is a plan made to be checked: its file and JSON, or the invalid inputs when it could not be made
// because of them.
type checkedPlan struct {
	file   string
	json   []byte
	inputs []policy.Finding
	err    error
}

// realSettingsPlan plans the environment with emulator_mode = false in a work directory and state of its own
// (see prepareSession); the plan is made again only when its configuration or inputs changed (ReusePlan).
// progress receives terraform's events (nil: none).
func (c *command) realSettingsPlan(ctx context.Context, progress func(terraform.Event)) checkedPlan {
	s, err := c.prepareSession(ctx, true)
	if err != nil {
		return checkedPlan{err: fmt.Errorf("check %s: %w", c.opts.env, err)}
	}
	return c.planToCheck(ctx, s, progress)
}

// startRealSettingsPlan is realSettingsPlan in the background, alongside the emulator plan: the result comes on
// the channel. The session is prepared first, so that nothing of it races the emulator plan.
func (c *command) startRealSettingsPlan(ctx context.Context) <-chan checkedPlan {
	done := make(chan checkedPlan, 1)
	s, err := c.prepareSession(ctx, true)
	if err != nil {
		done <- checkedPlan{err: fmt.Errorf("check %s: %w", c.opts.env, err)}
		return done
	}
	go func() { done <- c.planToCheck(ctx, s, nil) }()
	return done
}

func (c *command) planToCheck(ctx context.Context, s *session, progress func(terraform.Event)) checkedPlan {
	p := checkedPlan{file: s.runner.PlanFile()}
	if p.err = s.init(ctx); p.err != nil {
		return p
	}
	if _, err := s.runner.Plan(ctx, progress); err != nil {
		if p.inputs = invalidInputs(err); p.inputs == nil {
			p.err = fmt.Errorf("check %s: plan: %w", c.opts.env, err)
		}
		return p
	}
	p.json, p.err = s.runner.PlanJSON(ctx, "")
	return p
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
