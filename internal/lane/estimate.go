package lane

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/cost"
	"github.com/ec2stack/ec2stack/internal/price"
)

// Estimate is what one environment costs while the lane runs it: the hourly and monthly-prorated resources of
// its plan, priced by internal/cost, for the expected duration rounded up to whole hours.
type Estimate struct {
	Env         string
	Region      string
	Resources   int           // resources the plan creates
	Duration    time.Duration // expected duration of the environment's part of the run
	Hours       float64       // billed hours: Duration rounded up to whole hours (NAT and ALB bill by the hour begun)
	Lines       []Line
	USD         float64
	Notes       []string // warnings of the estimate (a resource type it cannot price, stale prices)
	PricesAsOf  string
	NotIncluded []string
}

// Line is one priced item of an Estimate.
type Line struct {
	What     string
	Quantity float64     // hours, or months (of things that bill by the month)
	Unit     price.Price // the list price (before the Spot discount or Multi-AZ factor)
	USD      float64
	Note     string
}

// Has reports whether the estimate has a line whose description starts with prefix.
func (e Estimate) Has(prefix string) bool {
	for _, l := range e.Lines {
		if strings.HasPrefix(l.What, prefix) {
			return true
		}
	}
	return false
}

// EstimatePlan prices the plan of environment env for an expected duration d, rounded up to whole hours: the
// resources that bill for existing, from internal/cost at its expected figures with no traffic (a lane run
// carries none) and the Auto Scaling groups at their desired capacity (a run is too short for off-hours
// schedules). Lines of the same kind are summed.
func EstimatePlan(plan *tfjson.Plan, prices *price.Catalog, env string, d time.Duration) (Estimate, error) {
	hours := math.Max(1, math.Ceil(d.Hours()))
	r, err := cost.Estimate(plan, cost.Options{Env: env, Prices: prices, Hours: hours, AlwaysOn: true})
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", env, err)
	}
	e := Estimate{Env: env, Region: r.Region, Resources: r.Resources, Duration: d, Hours: hours, PricesAsOf: r.PricesAsOf,
		NotIncluded: append([]string{"anything used (data, requests, logs, backups): a run carries no traffic"}, r.NotIncluded...),
		Notes:       r.Warnings}
	index := map[string]int{}
	for _, l := range r.Lines {
		if l.Quantity.Expected == 0 && l.Unit != "hours" && l.Unit != "months" {
			continue // used, and a run uses nothing
		}
		i, ok := index[l.What]
		if !ok {
			i = len(e.Lines)
			index[l.What] = i
			unit := price.Price{USD: l.UnitUSD, Unit: price.Hour}
			if l.Unit != "hours" {
				unit.Unit = price.Month
			}
			e.Lines = append(e.Lines, Line{What: l.What, Unit: unit, Note: l.Note})
		}
		e.Lines[i].Quantity += l.Quantity.Expected
		e.Lines[i].USD += l.Monthly.Expected
		e.USD += l.Monthly.Expected
	}
	return e, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// minutes writes a duration as 45m or 1h30m.
func minutes(d time.Duration) string {
	s := strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// PrintEstimates writes the estimates, one table per environment, their total, and what they leave out.
func PrintEstimates(w io.Writer, es []Estimate) {
	total := 0.0
	for _, e := range es {
		total += e.USD
		fmt.Fprintf(w, "%s: %d resources to create; expected to exist %s, billed as %g h (%s prices of %s, USD)\n",
			e.Env, e.Resources, minutes(e.Duration), e.Hours, e.Region, e.PricesAsOf)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  ITEM\tQTY\tUNIT PRICE\tUSD\tNOTE")
		for _, l := range e.Lines {
			fmt.Fprintf(tw, "  %s\t%g\t%s\t%8.4f\t%s\n", l.What, l.Quantity, l.Unit, l.USD, l.Note)
		}
		fmt.Fprintf(tw, "  total %s\t\t\t%8.2f\t\n", e.Env, e.USD)
		tw.Flush()
		for _, n := range e.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		fmt.Fprintln(w)
	}
	if len(es) == 0 {
		return
	}
	fmt.Fprintf(w, "Estimated cost of the run: USD %.2f (%d environment(s)).\n", total, len(es))
	fmt.Fprintf(w, "Not included: %s.\n", strings.Join(es[0].NotIncluded, "; "))
}
