package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/release"
)

// history lists ENV's deployment records, oldest first: a table, or --json.
func (c *command) history(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("history %s: %w", c.opts.env, err)
	}
	records, err := c.records(ctx, s)
	if err != nil {
		return fmt.Errorf("history %s: %w", c.opts.env, err)
	}
	if c.opts.json {
		return c.result(map[string]any{"environment": s.env.Name, "target": s.target, "records": records})
	}
	if len(records) == 0 {
		c.printf("%s has no deployment record yet (one is written by every apply, up, promote, rollback and drift).\n", s.describe())
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FINISHED (UTC)\tACTION\tRELEASE\tFROM\tPLAN\tCHECK\tAPPROVED BY\tVERIFY\tDRIFT\tWHO\tSECONDS")
	for _, r := range records {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\n", r.Finished.Format("2006-01-02 15:04:05"), r.Action, r.Release,
			dash(r.From), dash(release.Short(r.PlanSHA256)), checkCell(r.Check), approvalCell(r.Approval), verifyCell(r.Verify), driftCell(r.Drift), r.Who, r.Seconds)
	}
	tw.Flush()
	c.printf("%d record(s) of %s in s3://%s/%s\n", len(records), s.describe(), s.backend["bucket"], history.Prefix(s.env.Name))
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func checkCell(ch *history.Check) string {
	if ch == nil {
		return "-"
	}
	return verdict(ch.Clean, fmt.Sprintf("%d violation(s)", ch.Violations))
}

func approvalCell(a *history.Approval) string {
	if a == nil {
		return "-"
	}
	return a.By
}

func verifyCell(v *history.Verify) string {
	if v == nil {
		return "-"
	}
	return verdict(v.Holds, fmt.Sprintf("%d difference(s)", v.Differences))
}

func driftCell(d *history.Drift) string {
	if d == nil {
		return "-"
	}
	return verdict(d.Clean, fmt.Sprintf("%d resource(s)", d.Resources))
}
