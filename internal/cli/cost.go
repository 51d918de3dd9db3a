package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/cost"
	"github.com/ec2stack/ec2stack/internal/deploy"
	tfplan "github.com/ec2stack/ec2stack/internal/plan"
	"github.com/ec2stack/ec2stack/internal/price"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// budgetError ends a cost whose expected total exceeds the environment's budget (exit code 5).
type budgetError struct{ msg string }

func (e *budgetError) Error() string { return e.msg }

// cost prices ENV's saved plan (or --plan FILE): line items, low/expected/high totals, what the plan changes,
// the budget; --savings the cost levers; --compare the environments side by side.
func (c *command) cost(ctx context.Context) error {
	home, err := repoHome()
	if err != nil {
		return err
	}
	if len(c.opts.compare) > 0 {
		return c.costCompare(ctx, home)
	}
	r, err := c.estimate(ctx, home, c.opts.env, c.opts.planPath)
	if err != nil {
		return err
	}
	switch {
	case c.opts.json:
		if err := c.result(r); err != nil {
			return err
		}
	case c.opts.markdown:
		writeCostMarkdown(c.stdout, r, c.opts.savings)
	default:
		writeCostTable(c.stdout, r, c.opts.savings)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(c.stderr, "ec2stack: warning: %s\n", w)
	}
	if r.OverBudget {
		return &budgetError{msg: fmt.Sprintf("cost %s: expected USD %.2f a month is over the budget of USD %.2f (%s)", r.Env, r.Total.Expected, *r.Budget, contract.File)}
	}
	return nil
}

// estimate prices the plan of env: planPath, else the plan the gate checked for the target.
func (c *command) estimate(ctx context.Context, home, env, planPath string) (cost.Report, error) {
	var (
		raw []byte
		err error
	)
	if planPath != "" {
		raw, err = c.readPlanFile(ctx, planPath)
	} else {
		raw, planPath, err = savedPlanJSON(home, c.opts.target, env)
	}
	if err != nil {
		return cost.Report{}, err
	}
	return c.estimateJSON(home, env, raw, planPath)
}

// estimateJSON prices a plan's JSON (from names it in errors).
func (c *command) estimateJSON(home, env string, raw []byte, from string) (cost.Report, error) {
	var plan tfjson.Plan
	if err := json.Unmarshal(raw, &plan); err != nil || plan.FormatVersion == "" {
		return cost.Report{}, usagef("%s is not the JSON of a terraform plan", from)
	}
	if got := tfplan.Output(&plan, "environment"); got != "" && got != env {
		return cost.Report{}, usagef("%s is a plan of environment %q, not %q", from, got, env)
	}
	usage, err := cost.LoadUsage(c.config(home), env, c.opts.usagePath)
	if err != nil {
		if c.opts.usagePath != "" {
			return cost.Report{}, &usageError{msg: err.Error()}
		}
		return cost.Report{}, err
	}
	ct, err := c.loadContract(home)
	if err != nil {
		return cost.Report{}, err
	}
	e, err := ct.Environment(env)
	if err != nil {
		return cost.Report{}, err
	}
	prices, err := price.Load()
	if err != nil {
		return cost.Report{}, err
	}
	return cost.Estimate(&plan, cost.Options{Env: env, Prices: prices, Usage: usage, Budget: e.Budget.MonthlyUSD, Now: time.Now()})
}

// savedPlanJSON is the JSON of the plan the gate checked for target and env (on the emulator target, the plan
// with real settings), provided the gate record still matches it.
func savedPlanJSON(home, target, env string) ([]byte, string, error) {
	planFile := terraform.PlanFile(home, target, env)
	cmd := "ec2stack plan " + env + targetFlag(target)
	b, err := os.ReadFile(deploy.GatePath(planFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("no saved plan of %s on %s: run `%s` first, or pass --plan FILE", env, target, cmd)
	}
	if err != nil {
		return nil, "", err
	}
	var g deploy.Gate
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, "", fmt.Errorf("the gate record of %s: %w", planFile, err)
	}
	if sum, err := deploy.FileSHA256(g.CheckedPlan); err != nil || sum != g.CheckedPlanSHA256 {
		return nil, "", fmt.Errorf("the checked plan %s changed since `%s` recorded it: run it again", g.CheckedPlan, cmd)
	}
	raw, err := os.ReadFile(g.CheckedPlan + ".json")
	if err != nil {
		return nil, "", fmt.Errorf("no JSON of the checked plan %s: run `%s` again", g.CheckedPlan, cmd)
	}
	return raw, g.CheckedPlan, nil
}

// costLine is the one-line figure plan, check and up show, and their --json documents carry as "cost".
func (c *command) costLine(home, env string, raw []byte, from string) {
	r, err := c.estimateJSON(home, env, raw, from)
	if err != nil {
		c.printf("Cost: not estimated: %v\n", err)
		return
	}
	c.costDoc = map[string]any{"total_usd": r.Total, "budget_usd": r.Budget, "over_budget": r.OverBudget, "prices_as_of": r.PricesAsOf}
	c.printf("Cost: %s\n", costSummary(r))
}

// costSummary is "USD 144.20 a month expected (120.10-210.00), within the budget of 200.00 (us-east-1 prices of 2026-05)".
func costSummary(r cost.Report) string {
	s := fmt.Sprintf("USD %.2f a month expected (%.2f-%.2f)", r.Total.Expected, r.Total.Low, r.Total.High)
	switch {
	case r.Budget == nil:
		s += ", no budget"
	case r.OverBudget:
		s += fmt.Sprintf(", OVER the budget of %.2f", *r.Budget)
	default:
		s += fmt.Sprintf(", within the budget of %.2f", *r.Budget)
	}
	return s + fmt.Sprintf(" (%s prices of %s)", r.Region, r.PricesAsOf)
}

func usd(v float64) string { return fmt.Sprintf("%.2f", v) }

func signed(v float64) string { return fmt.Sprintf("%+.2f", v) }

func quantity(l cost.Line) string {
	q := l.Quantity
	if q.Low == q.High {
		return fmt.Sprintf("%.4g %s", q.Expected, l.Unit)
	}
	return fmt.Sprintf("%.4g (%.4g-%.4g) %s", q.Expected, q.Low, q.High, l.Unit)
}

func unitPrice(l cost.Line) string {
	return strings.TrimSuffix(price.Price{USD: l.UnitUSD, Unit: price.Hour}.String(), "/h")
}

// writeCostTable is the default output of cost ENV.
func writeCostTable(w io.Writer, r cost.Report, savings bool) {
	fmt.Fprintf(w, "Cost of %s a month, %s (%s prices of %s; usage: %s)\n", r.Env, r.Currency, r.Region, r.PricesAsOf, r.UsageFile)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tWHAT\tQUANTITY\tUNIT PRICE\tLOW\tEXPECTED\tHIGH\tNOTE")
	for _, l := range r.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Address, l.What, quantity(l), unitPrice(l),
			usd(l.Monthly.Low), usd(l.Monthly.Expected), usd(l.Monthly.High), l.Note)
	}
	fmt.Fprintf(tw, "total\t\t\t\t%s\t%s\t%s\t\n", usd(r.Total.Low), usd(r.Total.Expected), usd(r.Total.High))
	tw.Flush()
	fmt.Fprintf(w, "\n%s: %s\n", r.Env, costSummary(r))
	fmt.Fprintf(w, "\nWithout a line of their own:\n")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, u := range r.Unpriced {
		fmt.Fprintf(tw, "  %s\tx%d\t%s: %s\n", u.Type, len(u.Addresses), u.Class, u.Reason)
	}
	tw.Flush()
	writeChanges(w, r)
	if savings {
		fmt.Fprintf(w, "\nCost levers in %s (expected, a month):\n", r.Env)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  LEVER\tIN USE\tSAVES\tHOW")
		for _, l := range r.Levers {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Name, yesNo(l.InUse), usd(l.MonthlyUSD), l.How)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nNot included: %s.\n", strings.Join(r.NotIncluded, "; "))
}

func writeChanges(w io.Writer, r cost.Report) {
	fmt.Fprintf(w, "\nWhat the plan changes (expected, a month): %s -> %s (%s)\n", usd(r.Before.Expected), usd(r.Total.Expected), signed(r.Total.Expected-r.Before.Expected))
	if len(r.Changes) == 0 {
		fmt.Fprintln(w, "  nothing")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, ch := range r.Changes {
		fmt.Fprintf(tw, "  %s\t%s\t%s -> %s\t%s\n", ch.Address, ch.What, usd(ch.Before.Expected), usd(ch.After.Expected), signed(ch.Delta.Expected))
	}
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// writeCostMarkdown is cost --markdown: a pull-request comment.
func writeCostMarkdown(w io.Writer, r cost.Report, savings bool) {
	fmt.Fprintf(w, "### Cost of `%s`: %s\n\n", r.Env, costSummary(r))
	fmt.Fprintf(w, "| Resource | What | Quantity | Unit price | Low | Expected | High |\n|---|---|---|---:|---:|---:|---:|\n")
	for _, l := range r.Lines {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | %s | %s |\n", l.Address, l.What, quantity(l), unitPrice(l), usd(l.Monthly.Low), usd(l.Monthly.Expected), usd(l.Monthly.High))
	}
	fmt.Fprintf(w, "| **total** | | | | **%s** | **%s** | **%s** |\n\n", usd(r.Total.Low), usd(r.Total.Expected), usd(r.Total.High))
	fmt.Fprintf(w, "**Change:** %s -> %s (%s) a month expected\n\n", usd(r.Before.Expected), usd(r.Total.Expected), signed(r.Total.Expected-r.Before.Expected))
	if len(r.Changes) > 0 {
		fmt.Fprintf(w, "| Resource | What | Before | After | Change |\n|---|---|---:|---:|---:|\n")
		for _, ch := range r.Changes {
			fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", ch.Address, ch.What, usd(ch.Before.Expected), usd(ch.After.Expected), signed(ch.Delta.Expected))
		}
		fmt.Fprintln(w)
	}
	if savings {
		fmt.Fprintf(w, "| Cost lever | In use | Saves a month | How |\n|---|---|---:|---|\n")
		for _, l := range r.Levers {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", l.Name, yesNo(l.InUse), usd(l.MonthlyUSD), l.How)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "<details><summary>Without a line of their own</summary>\n\n")
	for _, u := range r.Unpriced {
		fmt.Fprintf(w, "- `%s` x%d: %s: %s\n", u.Type, len(u.Addresses), u.Class, u.Reason)
	}
	fmt.Fprintf(w, "\n</details>\n\nNot included: %s.\n", strings.Join(r.NotIncluded, "; "))
}

// costCompare prints the environments' saved plans side by side: the expected monthly cost of each resource
// type, the totals and the budgets.
func (c *command) costCompare(ctx context.Context, home string) error {
	var reports []cost.Report
	for _, env := range c.opts.compare {
		r, err := c.estimate(ctx, home, env, "")
		if err != nil {
			return err
		}
		reports = append(reports, r)
	}
	if c.opts.json {
		return c.result(map[string]any{"environments": reports})
	}
	byType := map[string]map[string]float64{}
	var types []string
	for _, r := range reports {
		for _, l := range r.Lines {
			if byType[l.Type] == nil {
				byType[l.Type] = map[string]float64{}
				types = append(types, l.Type)
			}
			byType[l.Type][r.Env] += l.Monthly.Expected
		}
	}
	row := func(cells ...string) string {
		if c.opts.markdown {
			return "| " + strings.Join(cells, " | ") + " |\n"
		}
		return strings.Join(cells, "\t") + "\t\n"
	}
	var out strings.Builder
	head := []string{"RESOURCE TYPE (expected, USD a month)"}
	for _, r := range reports {
		head = append(head, r.Env)
	}
	out.WriteString(row(head...))
	if c.opts.markdown {
		out.WriteString("|---" + strings.Repeat("|---:", len(reports)) + "|\n")
	}
	for _, t := range types {
		cells := []string{t}
		for _, r := range reports {
			cells = append(cells, usd(byType[t][r.Env]))
		}
		out.WriteString(row(cells...))
	}
	for _, f := range []struct {
		name string
		get  func(cost.Report) string
	}{
		{"total, low", func(r cost.Report) string { return usd(r.Total.Low) }},
		{"total, expected", func(r cost.Report) string { return usd(r.Total.Expected) }},
		{"total, high", func(r cost.Report) string { return usd(r.Total.High) }},
		{"budget", func(r cost.Report) string {
			if r.Budget == nil {
				return "none"
			}
			return usd(*r.Budget)
		}},
		{"prices", func(r cost.Report) string { return r.Region + " " + r.PricesAsOf }},
	} {
		cells := []string{f.name}
		for _, r := range reports {
			cells = append(cells, f.get(r))
		}
		out.WriteString(row(cells...))
	}
	if c.opts.markdown {
		fmt.Fprint(c.stdout, out.String())
	} else {
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprint(tw, out.String())
		tw.Flush()
	}
	var over []string
	for _, r := range reports {
		if r.OverBudget {
			over = append(over, fmt.Sprintf("%s (%.2f > %.2f)", r.Env, r.Total.Expected, *r.Budget))
		}
	}
	if len(over) > 0 {
		return &budgetError{msg: "cost: over budget: " + strings.Join(over, ", ")}
	}
	return nil
}
