package terraform

import (
	"sort"

	tfjson "github.com/hashicorp/terraform-json"
)

// Summarize reduces a plan to its resource changes, skipping no-ops and reads.
func Summarize(plan *tfjson.Plan) PlanSummary {
	s := PlanSummary{Changes: []ResourceChange{}}
	if plan == nil {
		return s
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil || rc.Mode == tfjson.DataResourceMode {
			continue
		}
		action := classify(rc.Change.Actions)
		if action == "" {
			continue
		}
		s.add(ResourceChange{Address: rc.Address, Type: rc.Type, Action: action})
	}
	return s
}

// add appends a change and counts it.
func (s *PlanSummary) add(ch ResourceChange) {
	s.Changes = append(s.Changes, ch)
	switch ch.Action {
	case "create":
		s.Add++
	case "update":
		s.Change++
	case "delete":
		s.Destroy++
	case "replace":
		s.Replace++
	}
}

// planEvents collects a plan's planned_change and change_summary events: the plan's summary without reading the
// plan file back (`terraform show -json` costs a provider start-up).
type planEvents struct {
	changes []ResourceChange
	total   *Changes
}

func (p *planEvents) observe(ev Event) {
	switch ev.Type {
	case EventPlannedChange:
		switch ev.Action {
		case "create", "update", "replace", "delete":
			p.changes = append(p.changes, ResourceChange{Address: ev.Address, Type: ev.ResourceType, Action: ev.Action})
		}
	case EventChangeSummary:
		p.total = ev.Changes
	}
}

// summary is the plan's summary; false when the events do not add up to terraform's own change summary.
func (p *planEvents) summary() (PlanSummary, bool) {
	s := PlanSummary{Changes: []ResourceChange{}}
	for _, ch := range p.changes {
		if ch.Type == "" {
			return s, false
		}
		s.add(ch)
	}
	sort.Slice(s.Changes, func(i, j int) bool { return s.Changes[i].Address < s.Changes[j].Address })
	ok := p.total != nil && p.total.Add == s.Add+s.Replace && p.total.Change == s.Change && p.total.Remove == s.Destroy+s.Replace
	return s, ok
}

func classify(a tfjson.Actions) string {
	switch {
	case a.Replace():
		return "replace"
	case a.Create():
		return "create"
	case a.Update():
		return "update"
	case a.Delete():
		return "delete"
	}
	return ""
}
