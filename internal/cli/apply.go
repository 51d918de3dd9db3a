package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// apply applies exactly the saved plan file, and only if it passed the gate: `plan` checked that very file
// (same sha256) and it broke no rule, it is approved where the environment contract requires it, and it was
// made against the state as it is now. Refused plans touch nothing: the gate is read before anything runs. Then
// it verifies, checks for drift and records the deployment in the environment's history.
func (c *command) apply(ctx context.Context) error {
	started := time.Now()
	home, err := repoHome()
	if err != nil {
		return err
	}
	gate, approval, err := c.cleared(home)
	if err != nil {
		return err
	}
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("apply %s: %w", c.opts.env, err)
	}
	deployed := c.deploySaved(ctx, s, deployment{action: history.ActionApply, started: started, gate: gate, approval: approval})
	return c.reportDeployed(ctx, s, nil, deployed)
}

// runApply applies exactly the saved plan file, whose summary is sum. On AWS a new hosted zone comes first, alone
// (see deploy.ZoneToCreate): the rest waits for its delegation.
func (c *command) runApply(ctx context.Context, s *session, sum terraform.PlanSummary) error {
	if s.target == "aws" {
		if err := c.delegation(ctx, s, net.DefaultResolver); err != nil {
			return err
		}
	}
	c.progressf("applying %s: %d changes ...", s.describe(), sum.Total())
	if err := c.timed("apply", func() error { return s.runner.Apply(ctx, c.progress(sum.Total())) }); err != nil {
		if ctx.Err() != nil {
			return c.interruptedApply(ctx, s, "apply")
		}
		return fmt.Errorf("apply %s: %w", s.env.Name, err)
	}
	deploy.ClearGate(s.runner.PlanFile())
	return nil
}

// delegationError: the environment's hosted zone is not delegated, so ACM could not validate its certificates.
type delegationError struct{ msg string }

func (e *delegationError) Error() string { return e.msg }

// delegation is the DNS step of a first bring-up. When the saved plan creates the hosted zone, it applies the
// zone alone and stops, naming the name servers to delegate to; when the plan validates certificates in a zone of
// the environment's own, it goes on only if the public DNS delegates to that zone (r answers). A zone given by
// hosted_zone_id is the user's to delegate: not checked.
func (c *command) delegation(ctx context.Context, s *session, r deploy.Resolver) error {
	plan, err := s.runner.ShowPlan(ctx)
	if err != nil {
		return fmt.Errorf("apply %s: %w", s.env.Name, err)
	}
	if zone := deploy.ZoneToCreate(plan); zone != "" {
		c.progressf("creating the hosted zone of %s first (%s): certificates validate only once it is delegated ...", s.describe(), zone)
		if err := s.runner.ApplyTargets(ctx, []string{zone}, c.progress(1)); err != nil {
			return fmt.Errorf("apply %s: %w", s.env.Name, err)
		}
		deploy.ClearGate(s.runner.PlanFile())
		z, err := c.managedZone(ctx, s)
		if err != nil {
			return err
		}
		return &delegationError{msg: fmt.Sprintf("apply %s: created hosted zone %s (%s) and stopped there. %s",
			s.env.Name, z.Name, z.ID, deploy.DelegationInstructions(z))}
	}
	if !deploy.ValidatesCertificates(plan) {
		return nil
	}
	z, err := c.managedZone(ctx, s)
	if errors.Is(err, errNoZone) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := deploy.CheckDelegation(ctx, r, z); err != nil {
		return &delegationError{msg: fmt.Sprintf("apply %s: %v", s.env.Name, err)}
	}
	return nil
}

var errNoZone = errors.New("no hosted zone in the state")

func (c *command) managedZone(ctx context.Context, s *session) (deploy.Zone, error) {
	state, err := s.runner.State(ctx)
	if err != nil {
		return deploy.Zone{}, fmt.Errorf("state %s: %w", s.env.Name, err)
	}
	z, ok := deploy.ManagedZone(state)
	if !ok {
		return deploy.Zone{}, errNoZone
	}
	return z, nil
}

// report prints outputs and what exists now (resource counts per type).
func (c *command) report(ctx context.Context, s *session, plan *terraform.PlanSummary) error {
	outputs, counts, err := s.runner.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("state %s: %w", s.env.Name, err)
	}
	c.printOutputs(outputs)
	c.printCounts(s, counts)
	doc := map[string]any{"environment": s.env.Name, "target": s.target, "outputs": outputs, "resources": counts}
	if s.moto != nil {
		doc["endpoint"] = s.moto.Endpoint
	}
	if plan != nil {
		doc["plan"] = plan
	}
	return c.result(doc)
}

func (c *command) printCounts(s *session, counts map[string]int) {
	total := 0
	for _, n := range counts {
		total += n
	}
	c.printf("\n%s: %d resources\n", s.describe(), total)
	for _, t := range terraform.SortedKeys(counts) {
		c.printf("  %4d  %s\n", counts[t], t)
	}
	if s.moto != nil {
		c.printf("Emulator: %s (state in s3://%s/%s/terraform.tfstate)\n", s.moto.Endpoint, emulator.StateBucket, s.env.Name)
	}
}
