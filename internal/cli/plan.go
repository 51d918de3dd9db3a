package cli

import (
	"context"
	"fmt"

	"github.com/ec2stack/ec2stack/internal/terraform"
)

func (c *command) plan(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("plan %s: %w", c.opts.env, err)
	}
	sum, err := c.runPlan(ctx, s)
	if err != nil {
		return err
	}
	c.printf("Saved plan: %s\nApply it with `ec2stack apply %s%s`.\n", s.runner.PlanFile(), s.env.Name, targetFlag(s.target))
	return c.result(map[string]any{
		"environment": s.env.Name, "target": s.target, "plan_file": s.runner.PlanFile(), "plan": sum,
	})
}

// runPlan inits, writes the plan file and prints its summary.
func (c *command) runPlan(ctx context.Context, s *session) (terraform.PlanSummary, error) {
	if err := s.init(ctx); err != nil {
		return terraform.PlanSummary{}, err
	}
	c.progressf("planning %s ...", s.describe())
	sum, err := s.runner.Plan(ctx, c.progress(0))
	if err != nil {
		return sum, fmt.Errorf("plan %s: %w", s.env.Name, err)
	}
	c.printPlan(s, sum)
	return sum, nil
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
