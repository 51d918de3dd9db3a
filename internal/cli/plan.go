package cli

import (
	"context"
	"fmt"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/policy"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// plan writes the plan file, checks it (the gate) and records the verdict beside it; a plan that breaks a rule
// is kept for inspection, exits 3 and will not be applied.
func (c *command) plan(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("plan %s: %w", c.opts.env, err)
	}
	sum, report, err := c.runPlan(ctx, s)
	if err != nil {
		return err
	}
	if report.Clean() {
		c.printf("Saved plan: %s (checked)\nApply it with `ec2stack apply %s%s`.\n", s.runner.PlanFile(), s.env.Name, targetFlag(s.target))
	}
	doc := map[string]any{
		"environment": s.env.Name, "target": s.target, "plan_file": s.runner.PlanFile(), "plan": sum, "check": gateDoc(report),
	}
	if err := c.planTiming(ctx, s, doc); err != nil {
		return err
	}
	if err := c.result(doc); err != nil {
		return err
	}
	return refused(s, report)
}

// runPlan inits, writes the plan file, prints its summary and passes it through the gate. On the emulator
// target the plan the gate checks (real settings) is made alongside: two terraform processes at most.
func (c *command) runPlan(ctx context.Context, s *session) (terraform.PlanSummary, *policy.Report, error) {
	var real <-chan checkedPlan
	if s.target == "emulator" {
		c.progressf("planning %s, and alongside it with real settings (emulator_mode = false) for the check ...", s.describe())
		real = c.startRealSettingsPlan(ctx)
	} else {
		c.progressf("planning %s ...", s.describe())
	}
	sum, err := c.planOnly(ctx, s)
	if err != nil {
		if real != nil {
			<-real // do not leave its terraform behind
		}
		return sum, nil, err
	}
	c.printPlan(s, sum)
	var report *policy.Report
	err = c.timed("check", func() (err error) {
		report, err = c.gate(ctx, s, sum, real)
		return err
	})
	return sum, report, err
}

func (c *command) planOnly(ctx context.Context, s *session) (terraform.PlanSummary, error) {
	if err := c.timed("init", func() error { return s.init(ctx) }); err != nil {
		return terraform.PlanSummary{}, err
	}
	deploy.ClearGate(s.runner.PlanFile())
	var sum terraform.PlanSummary
	err := c.timed("plan", func() (err error) {
		sum, err = s.runner.Plan(ctx, c.progress(0))
		return err
	})
	if err != nil {
		return sum, fmt.Errorf("plan %s: %w", s.env.Name, err)
	}
	return sum, nil
}

// refused is the error of a plan the gate refused (exit 3), nil for a clean one.
func refused(s *session, r *policy.Report) error {
	if r.Clean() {
		return nil
	}
	return &violationsError{env: s.env.Name, n: len(r.Findings),
		msg: fmt.Sprintf("plan %s: %d violation(s) of `ec2stack check` (listed above): the plan is saved in %s for review, and will not be applied",
			s.env.Name, len(r.Findings), s.runner.PlanFile())}
}

func (c *command) printPlan(s *session, sum terraform.PlanSummary) {
	if !sum.HasChanges() {
		c.printf("Plan for %s: no changes.\n", s.describe())
		return
	}
	c.printf("Plan for %s: %d to add, %d to change, %d to replace, %d to destroy.\n",
		s.describe(), sum.Add, sum.Change, sum.Replace, sum.Destroy)
	for _, ch := range sum.Changes {
		c.printf("  %s %s\n", actionSymbol(ch.Action), ch.Address)
	}
}

func actionSymbol(action string) string {
	switch action {
	case "create":
		return "+"
	case "update":
		return "~"
	case "delete":
		return "-"
	case "replace":
		return "-/+"
	}
	return "?"
}

func targetFlag(target string) string {
	if target == "emulator" {
		return ""
	}
	return " --target " + target
}
