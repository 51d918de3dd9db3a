package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// up is init + plan + check (the gate) + approval where the contract requires it + apply of that plan, verify,
// drift check and deployment record + outputs and summary. A plan that breaks a rule is not applied (exit 3).
func (c *command) up(ctx context.Context) error {
	started := time.Now()
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("up %s: %w", c.opts.env, err)
	}
	sum, deployed := c.planAndDeploy(ctx, s, deployment{action: history.ActionApply, started: started}, true)
	return c.reportDeployed(ctx, s, &sum, deployed)
}

// planAndDeploy makes s's plan, passes it through the gate (exit 3 when it breaks a rule) and the approval, and
// deploys it (deploySaved); onlyChanges: a plan without changes is not applied (nor recorded).
func (c *command) planAndDeploy(ctx context.Context, s *session, d deployment, onlyChanges bool) (terraform.PlanSummary, error) {
	sum, report, err := c.runPlan(ctx, s)
	if err != nil {
		return sum, err
	}
	if err := refused(s, report); err != nil {
		return sum, err
	}
	if onlyChanges && !sum.HasChanges() {
		return sum, nil
	}
	if d.gate, d.approval, err = c.clearedOrApproved(s, sum); err != nil {
		return sum, err
	}
	return sum, c.deploySaved(ctx, s, d)
}

// reportDeployed prints the outputs and what exists after a deployment that applied (deployed is nil, or the
// verify failure it recorded), and returns deployed; any other error is returned as it is.
func (c *command) reportDeployed(ctx context.Context, s *session, sum *terraform.PlanSummary, deployed error) error {
	var differences *differencesError
	if deployed != nil && !errors.As(deployed, &differences) {
		return deployed
	}
	if err := c.report(ctx, s, sum); err != nil {
		return err
	}
	return deployed
}
