package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/dr"
	"github.com/ec2stack/ec2stack/internal/timing"
)

// recoveryError ends a dr whose design misses one of the environment's recovery objectives (exit code 7).
type recoveryError struct{ msg string }

func (e *recoveryError) Error() string { return e.msg }

// dr derives the RPO and RTO of each disruption from ENV's plan (as check finds it: --plan FILE, the saved plan
// of the aws target, else a plan with real settings) and its configuration graph, against the contract.
func (c *command) dr(ctx context.Context) error {
	if c.opts.action == "drill" {
		return c.drill(ctx)
	}
	home, err := repoHome()
	if err != nil {
		return err
	}
	_, e, err := c.requirements(home)
	if err != nil {
		return err
	}
	planJSON, from, inputs, err := c.checkPlan(ctx, home)
	if err != nil {
		return err
	}
	if inputs != nil {
		return fmt.Errorf("dr %s: the inputs break their rules, there is no plan: run `ec2stack check %s`", e.Name, e.Name)
	}
	s, err := c.prepareSession(ctx, c.opts.target == "emulator")
	if err != nil {
		return fmt.Errorf("dr %s: %w", e.Name, err)
	}
	r, err := c.assess(ctx, s, planJSON)
	if err != nil {
		return err
	}
	if !c.opts.json {
		printRecovery(c.stdout, r, from)
	}
	missed := append([]string{}, r.Missed()...)
	if err := c.result(map[string]any{"environment": e.Name, "plan": from, "report": r, "missed": missed}); err != nil {
		return err
	}
	if len(missed) > 0 {
		return &recoveryError{msg: fmt.Sprintf("dr %s: %d recovery objective(s) missed (%s): %s", e.Name, len(missed), contract.File, strings.Join(missed, "; "))}
	}
	return nil
}

// assess derives the recovery estimates of planJSON on the configuration graph of s's root.
func (c *command) assess(ctx context.Context, s *session, planJSON []byte) (dr.Report, error) {
	_, e, err := c.requirements(s.home)
	if err != nil {
		return dr.Report{}, err
	}
	if err := s.init(ctx); err != nil {
		return dr.Report{}, err
	}
	dot, err := s.runner.Graph(ctx)
	if err != nil {
		return dr.Report{}, fmt.Errorf("dr %s: %w", e.Name, err)
	}
	g, err := timing.ParseDOT(dot)
	if err != nil {
		return dr.Report{}, fmt.Errorf("dr %s: %w", e.Name, err)
	}
	r, err := dr.Assess(planJSON, g, e)
	if err != nil {
		return dr.Report{}, fmt.Errorf("dr %s: %w", e.Name, err)
	}
	return r, nil
}

func printRecovery(w io.Writer, r dr.Report, from string) {
	obj := "none"
	if r.RTO != nil || r.RPO != nil {
		obj = "RTO " + formatObjective(r.RTO) + ", RPO " + formatObjective(r.RPO)
	}
	fmt.Fprintf(w, "Recovery of %s from %s (objectives: %s; %s):\n\n", r.Environment, from, obj, contract.File)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DISRUPTION\tSTORE\tRPO\tRTO\tMEETS\tRECOVERY")
	for _, e := range r.Estimates {
		rpo := "data lost"
		if e.RPO != nil {
			rpo = dr.Format(*e.RPO)
		}
		meets := "yes"
		switch {
		case !e.Judged:
			meets = "-"
		case len(e.Missed) > 0:
			meets = "NO"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Disruption, e.Store, rpo, dr.Format(e.RTO), meets, e.Recovery)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nRebuilding the stack in the DR region from code: %s on its critical path (internal/timing, docs/timing.md).\n", dr.Format(r.Rebuild.Total))
	fmt.Fprintln(w, "Figures and their sources: docs/dr.md; `--json` lists each estimate's sources.")
}

func formatObjective(d *time.Duration) string {
	if d == nil {
		return "none"
	}
	return fmt.Sprintf("%g h", d.Hours())
}
