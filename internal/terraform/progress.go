package terraform

import (
	"fmt"
	"sort"
	"time"
)

// Progress turns a stream of events into human-readable progress lines such as
//
//	[12/40] 1m03s  creating module.stack.aws_nat_gateway.this["shared"] (15s)
//
// It is a pure state machine: it never prints, and time comes from Now.
type Progress struct {
	Total   int              // resources to change; 0 = count planned_change events
	Now     func() time.Time // clock; time.Now when nil
	start   time.Time
	done    int
	planned int
	read    int // resources refreshed; reported once, with the change summary
	diags   []Diagnostic
}

// NewProgress starts a progress tracker for total resource changes (0 if unknown).
func NewProgress(total int, now func() time.Time) *Progress {
	if now == nil {
		now = time.Now
	}
	return &Progress{Total: total, Now: now, start: now()}
}

// Done returns how many resource changes have completed.
func (p *Progress) Done() int { return p.done }

// Diagnostics returns the error and warning diagnostics seen so far.
func (p *Progress) Diagnostics() []Diagnostic { return p.diags }

// Observe updates the tracker and returns the line to show for ev, if any.
func (p *Progress) Observe(ev Event) (string, bool) {
	switch ev.Type {
	case EventPlannedChange:
		if countsAsChange(ev.Action) {
			p.planned++
		}
		return "", false
	case EventApplyStart:
		return p.line(verbing(ev.Action), ev.Address, ""), true
	case EventApplyProgress:
		return p.line(verbing(ev.Action), ev.Address, fmtDuration(ev.Elapsed)), true
	case EventApplyComplete:
		if countsAsChange(ev.Action) { // data sources read during the run are not among the planned changes
			p.done++
		}
		return p.line(verbed(ev.Action), ev.Address, fmtDuration(ev.Elapsed)), true
	case EventApplyErrored:
		p.done++
		return p.line("failed", ev.Address, fmtDuration(ev.Elapsed)), true
	case EventRefreshComplete:
		p.read++
		return "", false
	case EventDiagnostic:
		if ev.Diagnostic == nil {
			return "", false
		}
		p.diags = append(p.diags, *ev.Diagnostic)
		return ev.Diagnostic.Severity + ": " + ev.Diagnostic.String(), true
	case EventChangeSummary:
		if p.read > 0 && ev.Message != "" {
			line := fmt.Sprintf("%s  read %d resources\n%s", fmtDuration(p.Now().Sub(p.start).Seconds()), p.read, ev.Message)
			p.read = 0
			return line, true
		}
		return ev.Message, ev.Message != ""
	}
	return "", false
}

func (p *Progress) total() int {
	if p.Total > 0 {
		return p.Total
	}
	return p.planned
}

func (p *Progress) line(verb, addr, took string) string {
	elapsed := p.Now().Sub(p.start)
	s := fmt.Sprintf("%s  %s %s", fmtDuration(elapsed.Seconds()), verb, addr)
	if total := p.total(); total > 0 {
		s = fmt.Sprintf("[%d/%d] %s", p.done, total, s)
	}
	if took != "" {
		s += " (" + took + ")"
	}
	return s
}

func countsAsChange(action string) bool {
	return action != "" && action != "noop" && action != "read"
}

var verbs = map[string][2]string{
	"create":  {"creating", "created"},
	"update":  {"updating", "updated"},
	"delete":  {"destroying", "destroyed"},
	"replace": {"replacing", "replaced"},
	"read":    {"reading", "read"},
	"noop":    {"checking", "checked"},
}

func verbing(action string) string {
	if v, ok := verbs[action]; ok {
		return v[0]
	}
	return action
}

func verbed(action string) string {
	if v, ok := verbs[action]; ok {
		return v[1]
	}
	return action + " done"
}

// fmtDuration renders seconds as 15s, 1m03s or 1h02m03s.
func fmtDuration(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second)).Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	default:
		return fmt.Sprintf("%ds", s)
	}
}

// PlanSummary is what a plan will do.
type PlanSummary struct {
	Add     int              `json:"add"`
	Change  int              `json:"change"`
	Destroy int              `json:"destroy"`
	Replace int              `json:"replace"`
	Changes []ResourceChange `json:"changes"`
}

// ResourceChange is one planned change to one resource instance.
type ResourceChange struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Action  string `json:"action"` // create, update, delete, replace
}

// Total is the number of resource changes an apply of this plan performs.
func (s PlanSummary) Total() int { return len(s.Changes) }

// HasChanges reports whether applying the plan would change anything.
func (s PlanSummary) HasChanges() bool { return len(s.Changes) > 0 }

// CountByType counts the planned changes per resource type.
func (s PlanSummary) CountByType() map[string]int {
	counts := map[string]int{}
	for _, c := range s.Changes {
		counts[c.Type]++
	}
	return counts
}

// SortedKeys returns the keys of m in order.
func SortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
