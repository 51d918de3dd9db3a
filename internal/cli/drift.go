package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ec2stack/ec2stack/internal/drift"
	"github.com/ec2stack/ec2stack/internal/history"
)

// driftError ends a drift check that found the environment differing from its state or its plan (exit 6).
type driftError struct{ msg string }

func (e *driftError) Error() string { return e.msg }

// drift compares what exists with what the state says (a refresh-only plan) and plans the deployed release
// (the one the environment's latest record names, checked out; else the work tree): a report of each drifted
// resource and attribute, and what a repair does to it. The check is recorded in the history. With --repair
// the deployed release is planned, checked, approved where the contract requires it and applied, then verified
// and checked again.
func (c *command) drift(ctx context.Context) error {
	started := time.Now()
	home, err := repoHome()
	if err != nil {
		return err
	}
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("drift %s: %w", c.opts.env, err)
	}
	records, err := c.records(ctx, s)
	if err != nil {
		return fmt.Errorf("drift %s: %w", c.opts.env, err)
	}
	if deployed, ok := history.Deployed(records); ok && deployed.Release.Commit != "" && !deployed.Release.Dirty {
		if err := c.useRelease(ctx, home, deployed.Release); err != nil {
			return err
		}
		if s, err = c.prepare(ctx); err != nil {
			return fmt.Errorf("drift %s: %w", c.opts.env, err)
		}
	}
	if err := c.timed("init", func() error { return s.init(ctx) }); err != nil {
		return err
	}
	rel, err := c.configRelease(ctx, home)
	if err != nil {
		return err
	}
	c.progressf("comparing %s with its state (refresh-only plan) and planning release %s ...", s.describe(), rel)
	var report drift.Report
	if err := c.timed("drift", func() (err error) { report, err = c.detectDrift(ctx, s); return err }); err != nil {
		return err
	}
	c.printDrift(report)
	if c.opts.repair && !report.Clean() {
		return c.repair(ctx, s, report, started)
	}
	r := history.Record{Environment: s.env.Name, Target: s.target, Action: history.ActionDrift, Release: rel,
		Drift: &history.Drift{Clean: report.Clean(), Resources: len(report.Resources)}}
	if err := c.appendRecord(ctx, s, &r, started); err != nil {
		return err
	}
	if err := c.result(driftDoc(s, report)); err != nil {
		return err
	}
	if !report.Clean() {
		return &driftError{msg: fmt.Sprintf("drift %s: %d resource(s) differ from the state or the plan of release %s (%d changed outside terraform): repair with `ec2stack drift %s%s --repair`",
			s.env.Name, len(report.Resources), rel, report.Drifted(), s.env.Name, targetFlag(s.target))}
	}
	return nil
}

// repair plans the deployed release, passes it through the gate and the approval, applies it, verifies, checks
// for drift again and records it.
func (c *command) repair(ctx context.Context, s *session, before drift.Report, started time.Time) error {
	c.progressf("repairing %s: planning, checking and applying ...", s.describe())
	_, deployed := c.planAndDeploy(ctx, s, deployment{action: history.ActionRepair, started: started}, false)
	if c.recordDoc == nil {
		return deployed
	}
	after := c.recordDoc.Drift
	doc := driftDoc(s, before)
	doc["repaired"] = after != nil && after.Clean
	if err := c.result(doc); err != nil {
		return err
	}
	if deployed != nil {
		return deployed
	}
	if after == nil || !after.Clean {
		return &driftError{msg: fmt.Sprintf("drift %s --repair: applied, but %d resource(s) still differ (listed above)", s.env.Name, after.Resources)}
	}
	return nil
}

func driftDoc(s *session, r drift.Report) map[string]any {
	return map[string]any{"environment": s.env.Name, "target": s.target, "clean": r.Clean(), "drifted": r.Drifted(), "replaces": r.Replaces(), "resources": r.Resources}
}

// printDrift is the drift report as a table: one line per attribute.
func (c *command) printDrift(r drift.Report) {
	if c.opts.json {
		return
	}
	if r.Clean() {
		c.printf("No drift: what exists matches the state, and the plan changes nothing.\n")
		return
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tKIND\tATTRIBUTE\tEXPECTED\tACTUAL\tREPAIR")
	for _, res := range r.Resources {
		kind := "drift"
		if !res.Drifted {
			kind = "planned"
		}
		for _, a := range res.Attributes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", res.Address, kind, a.Path, clip(a.Expected, 40), clip(a.Actual, 40), a.Repair)
		}
	}
	tw.Flush()
	c.printf("%d resource(s): %d changed outside terraform; repair replaces %s.\n", len(r.Resources), r.Drifted(), map[bool]string{true: "some (REPAIR = replace)", false: "nothing"}[r.Replaces()])
	var accepted []string
	for _, res := range r.Resources {
		if res.Repair == drift.Accept {
			accepted = append(accepted, res.Address)
		}
	}
	if len(accepted) > 0 {
		c.printf("REPAIR = accept: the configuration does not manage what changed in %s; a repair writes it into the state and it stays in AWS (remove it there by hand if unwanted).\n", strings.Join(accepted, ", "))
	}
}
