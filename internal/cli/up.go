package cli

import (
	"context"
	"fmt"
)

// up is init + plan + check (the gate) + apply of that plan + outputs and summary. A plan that breaks a rule is
// not applied (exit 3).
func (c *command) up(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("up %s: %w", c.opts.env, err)
	}
	sum, report, err := c.runPlan(ctx, s)
	if err != nil {
		return err
	}
	if err := refused(s, report); err != nil {
		return err
	}
	if sum.HasChanges() {
		if err := c.runApply(ctx, s, sum); err != nil {
			return err
		}
	}
	return c.report(ctx, s, &sum)
}
