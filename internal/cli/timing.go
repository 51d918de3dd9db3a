package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ec2stack/ec2stack/internal/timing"
)

// planTiming, with --timing, estimates how long applying the checked plan and destroying the environment take on
// real AWS (internal/timing): on the emulator target the plan with real settings, which is what AWS would get.
// It prints the two critical paths and adds them to the --json document under "timing".
func (c *command) planTiming(ctx context.Context, s *session, doc map[string]any) error {
	if !c.opts.timing {
		return nil
	}
	runner := s.runner
	if s.target == "emulator" {
		rs, err := c.prepareSession(ctx, true)
		if err != nil {
			return fmt.Errorf("timing %s: %w", s.env.Name, err)
		}
		runner = rs.runner
	}
	if !runner.HasPlan() { // the inputs broke their rules: there is no plan to time
		c.progressf("no timing for %s: no plan was made", s.env.Name)
		return nil
	}
	c.progressf("timing %s on real AWS (terraform graph) ...", s.env.Name)
	planJSON, err := runner.PlanJSON(ctx, "")
	if err != nil {
		return fmt.Errorf("timing %s: %w", s.env.Name, err)
	}
	dot, err := runner.Graph(ctx)
	if err != nil {
		return fmt.Errorf("timing %s: %w", s.env.Name, err)
	}
	est, err := estimateTiming(planJSON, dot)
	if err != nil {
		return fmt.Errorf("timing %s: %w", s.env.Name, err)
	}
	if !c.opts.json {
		printTiming(c.stdout, s.env.Name, est)
	}
	doc["timing"] = timingDoc(est)
	return nil
}

// estimateTiming is the expected real-AWS apply and destroy of a plan (its `terraform show -json`) on its graph
// (`terraform graph`), with the durations table built into ec2stack.
func estimateTiming(planJSON, dot []byte) (timing.Estimates, error) {
	g, err := timing.ParseDOT(dot)
	if err != nil {
		return timing.Estimates{}, err
	}
	return timing.EstimateJSON(planJSON, g)
}

func printTiming(w io.Writer, env string, est timing.Estimates) {
	fmt.Fprintf(w, "\nExpected wall time of %s on real AWS (typical durations per resource type, internal/timing/durations.yaml;\n"+
		"unlimited parallelism, no throttling: docs/timing.md):\n", env)
	for _, p := range []struct {
		name string
		path timing.Path
	}{{"apply", est.Apply}, {"destroy", est.Destroy}} {
		fmt.Fprintf(w, "\n%s: %.1f min, critical path:\n", p.name, p.path.Total.Minutes())
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  START\tMIN\tACTION\tTYPE\tOF\tRESOURCE (the slowest of OF instances in parallel)")
		for _, s := range p.path.Steps {
			fmt.Fprintf(tw, "  %5.1f\t%4.1f\t%s\t%s\t%d\t%s\n", s.Start.Minutes(), s.Duration.Minutes(), s.Action, s.Type, s.Instances, s.Address)
		}
		_ = tw.Flush()
	}
}

// timingDoc is the estimate in --json documents, in minutes.
func timingDoc(est timing.Estimates) map[string]any {
	path := func(p timing.Path) map[string]any {
		steps := make([]map[string]any, 0, len(p.Steps))
		for _, s := range p.Steps {
			steps = append(steps, map[string]any{
				"address": s.Address, "type": s.Type, "action": s.Action, "instances": s.Instances,
				"start_minutes": round1(s.Start.Minutes()), "minutes": round1(s.Duration.Minutes()),
			})
		}
		return map[string]any{"minutes": round1(p.Total.Minutes()), "critical_path": steps}
	}
	return map[string]any{
		"apply": path(est.Apply), "destroy": path(est.Destroy),
		"table": "internal/timing/durations.yaml", "assumes": "unlimited parallelism (terraform's default is 10), no API throttling",
	}
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }
