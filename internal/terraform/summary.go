package terraform

import (
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
		s.Changes = append(s.Changes, ResourceChange{Address: rc.Address, Type: rc.Type, Action: action})
		switch action {
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
	return s
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

// CountResources counts the managed resource instances in a state per type.
func CountResources(state *tfjson.State) map[string]int {
	counts := map[string]int{}
	if state == nil || state.Values == nil {
		return counts
	}
	countModule(state.Values.RootModule, counts)
	return counts
}

func countModule(m *tfjson.StateModule, counts map[string]int) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		if r.Mode == tfjson.ManagedResourceMode {
			counts[r.Type]++
		}
	}
	for _, child := range m.ChildModules {
		countModule(child, counts)
	}
}
