package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

const stamp = "2006-01-02 15:04 MST"

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(stamp)
}

// line is the drift in one line.
func (d *Drift) line() string {
	switch {
	case d == nil:
		return "not read"
	case d.Clean:
		return "none: what exists matches the state"
	}
	return fmt.Sprintf("%d resource(s) changed outside terraform: %s", len(d.Resources), strings.Join(d.Resources, ", "))
}

func (c *Cost) line() string {
	switch {
	case c == nil:
		return "not read"
	case !c.Plan:
		if c.Note != "" {
			return "no plan (" + c.Note + ")"
		}
		return "no plan"
	}
	s := fmt.Sprintf("USD %.2f a month expected (%.2f-%.2f)", c.ExpectedUSD, c.LowUSD, c.HighUSD)
	switch {
	case c.BudgetUSD == nil:
		return s + ", no budget"
	case c.OverBudget:
		return s + fmt.Sprintf(", OVER the budget of %.2f", *c.BudgetUSD)
	}
	return s + fmt.Sprintf(", within the budget of %.2f", *c.BudgetUSD)
}

// Headline is the report in one line: what needs attention.
func (r Report) Headline() string {
	var parts []string
	alarm, insufficient := 0, 0
	for _, a := range r.Alarms {
		if a.State == "ALARM" {
			alarm++
		} else {
			insufficient++
		}
	}
	parts = append(parts, fmt.Sprintf("%d alarm(s) in ALARM, %d INSUFFICIENT_DATA", alarm, insufficient))
	switch {
	case r.Drift == nil:
		parts = append(parts, "drift not read")
	case r.Drift.Clean:
		parts = append(parts, "no drift")
	default:
		parts = append(parts, fmt.Sprintf("%d drifted", len(r.Drift.Resources)))
	}
	if r.Cost != nil && r.Cost.OverBudget {
		parts = append(parts, "OVER budget")
	}
	parts = append(parts, fmt.Sprintf("%d pending", len(r.Pending)))
	if len(r.Unread) > 0 {
		parts = append(parts, fmt.Sprintf("%d source(s) not read", len(r.Unread)))
	}
	return strings.Join(parts, ", ")
}

// WriteTable is the default output: one section per source.
func WriteTable(w io.Writer, r Report) {
	fmt.Fprintf(w, "Report of %s on %s, %s: %s\n", r.Environment, r.Target, when(r.GeneratedAt), r.Headline())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "\nAlarms not OK:\n")
	if len(r.Alarms) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		fmt.Fprintln(tw, "  ALARM\tSTATE\tSINCE\tREASON")
		for _, a := range r.Alarms {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Name, a.State, when(a.Since), clip(a.Reason, 80))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nLast backups:\n")
	if len(r.Backups) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		fmt.Fprintln(tw, "  KIND\tRESOURCE\tLAST\tID\tCOUNT")
		for _, b := range r.Backups {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d\n", b.Kind, b.Resource, when(b.Created), b.ID, b.Count)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nDrift: %s\n", r.Drift.line())
	fmt.Fprintf(w, "Cost: %s\n", r.Cost.line())
	fmt.Fprintf(w, "\nImages:\n")
	if len(r.Images) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		fmt.Fprintln(tw, "  IMAGE\tNAME\tUSED BY\tCREATED\tAGE (DAYS)")
		for _, im := range r.Images {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d\n", im.ID, im.Name, im.UsedBy, when(im.Created), im.AgeDays)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nPending:\n")
	if len(r.Pending) == 0 {
		fmt.Fprintln(w, "  nothing")
	}
	for _, p := range r.Pending {
		fmt.Fprintf(w, "  %s: %s (run `%s`)\n", p.Kind, p.What, p.Action)
	}
	for _, u := range r.Unread {
		fmt.Fprintf(w, "\n%s", u)
	}
	if len(r.Unread) > 0 {
		fmt.Fprintln(w)
	}
}

// WriteMarkdown is --markdown: the body of an issue or a workflow summary.
func WriteMarkdown(w io.Writer, r Report) {
	fmt.Fprintf(w, "### Report of `%s` on %s, %s\n\n%s\n\n", r.Environment, r.Target, when(r.GeneratedAt), r.Headline())
	fmt.Fprintf(w, "#### Alarms not OK\n\n")
	if len(r.Alarms) == 0 {
		fmt.Fprintf(w, "None.\n\n")
	} else {
		fmt.Fprintf(w, "| Alarm | State | Since | Reason |\n|---|---|---|---|\n")
		for _, a := range r.Alarms {
			fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", a.Name, a.State, when(a.Since), cell(a.Reason))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "#### Last backups\n\n")
	if len(r.Backups) == 0 {
		fmt.Fprintf(w, "None.\n\n")
	} else {
		fmt.Fprintf(w, "| Kind | Resource | Last | ID | Count |\n|---|---|---|---|---:|\n")
		for _, b := range r.Backups {
			fmt.Fprintf(w, "| %s | `%s` | %s | `%s` | %d |\n", b.Kind, b.Resource, when(b.Created), b.ID, b.Count)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "**Drift:** %s\n\n**Cost:** %s\n\n", r.Drift.line(), r.Cost.line())
	fmt.Fprintf(w, "#### Images\n\n")
	if len(r.Images) == 0 {
		fmt.Fprintf(w, "None.\n\n")
	} else {
		fmt.Fprintf(w, "| Image | Name | Used by | Created | Age (days) |\n|---|---|---|---|---:|\n")
		for _, im := range r.Images {
			fmt.Fprintf(w, "| `%s` | %s | `%s` | %s | %d |\n", im.ID, cell(im.Name), im.UsedBy, when(im.Created), im.AgeDays)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "#### Pending\n\n")
	if len(r.Pending) == 0 {
		fmt.Fprintf(w, "Nothing.\n")
	}
	for _, p := range r.Pending {
		fmt.Fprintf(w, "- %s: %s (`%s`)\n", p.Kind, cell(p.What), p.Action)
	}
	if len(r.Unread) > 0 {
		fmt.Fprintf(w, "\n#### Not read\n\n")
		for _, u := range r.Unread {
			fmt.Fprintf(w, "- %s\n", cell(u))
		}
	}
}

func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
