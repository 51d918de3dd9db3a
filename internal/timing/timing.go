// Package timing estimates how long a real apply and destroy of an environment take on AWS, and along which
// chain of resources (the critical path): from the plan, the configuration's dependency graph (`terraform graph`)
// and a table of typical per-type durations with sources (durations.yaml). It computes the same path from the
// measured durations of a run's JSON event stream, too.
//
// The expected wall time is the longest weighted path through the graph: Terraform starts a resource as soon as
// everything it depends on is done. Terraform's -parallelism (10 operations at once by default), API throttling
// and eventual-consistency retries are ignored; see docs/timing.md.
package timing

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/ec2stack/ec2stack/internal/terraform"
	tfjson "github.com/hashicorp/terraform-json"
)

// Step is one resource on a critical path: it starts at Start (after the steps before it) and takes Duration.
// Address is an instance of the configuration node (the slowest; Instances counts them all, which run in parallel).
type Step struct {
	Address   string        `json:"address"`
	Type      string        `json:"type"`
	Action    string        `json:"action"`
	Instances int           `json:"instances"`
	Start     time.Duration `json:"start_ns"`
	Duration  time.Duration `json:"duration_ns"`
}

// Path is a critical path: its total wall time and its steps, in order (steps that take no time left out).
type Path struct {
	Total time.Duration `json:"total_ns"`
	Steps []Step        `json:"steps"`
}

// Estimates are the expected wall times of applying a plan and of destroying what it leaves.
type Estimates struct {
	Apply   Path `json:"apply"`
	Destroy Path `json:"destroy"`
}

// EstimateJSON is Estimate of a plan as `terraform show -json` prints it, with the durations table built in.
func EstimateJSON(planJSON []byte, g Graph) (Estimates, error) {
	var plan tfjson.Plan
	if err := json.Unmarshal(planJSON, &plan); err != nil {
		return Estimates{}, fmt.Errorf("reading the plan: %w", err)
	}
	table, err := Default()
	if err != nil {
		return Estimates{}, err
	}
	return Estimate(&plan, g, table)
}

// Estimate computes, from a plan, its configuration graph and the durations table, the critical path of applying
// the plan (each planned create, update or replace weighted by its type's figures; no-ops and data sources weigh
// nothing: data sources are read at plan time) and of destroying, afterwards, every managed resource it leaves
// (the graph reversed: a resource goes once everything that depends on it has gone; delete figures). A resource
// type missing from the table is an error naming it; so is a planned resource with no node in the graph.
func Estimate(plan *tfjson.Plan, g Graph, t *Table) (Estimates, error) {
	apply := map[string]Step{}
	destroy := map[string]Step{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil {
			continue
		}
		node := Node(rc.Address)
		if !g.Has(node) {
			return Estimates{}, fmt.Errorf("planned resource %s has no node %s in the terraform graph", rc.Address, node)
		}
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		if after == nil { // a delete: the figures of what exists now
			after, _ = rc.Change.Before.(map[string]any)
		}
		f, err := t.Lookup(rc.Type, after, unknown)
		if err != nil {
			return Estimates{}, fmt.Errorf("%s: %w", rc.Address, err)
		}
		action, d := applyCost(rc.Change.Actions, f)
		merge(apply, node, Step{Address: rc.Address, Type: rc.Type, Action: action, Duration: d})
		if !rc.Change.Actions.Delete() && !rc.Change.Actions.Forget() {
			merge(destroy, node, Step{Address: rc.Address, Type: rc.Type, Action: "delete", Duration: f.Delete})
		}
	}
	nodes := g.Nodes()
	rev := g.reverse()
	return Estimates{
		Apply:   longest(nodes, g.DependsOn, weights(apply)),
		Destroy: longest(nodes, func(n string) []string { return rev[n] }, weights(destroy)),
	}, nil
}

// applyCost is what one planned change costs at apply: a replace deletes and creates (in either order).
func applyCost(a tfjson.Actions, f Figures) (string, time.Duration) {
	switch {
	case a.Replace():
		return "replace", f.Delete + f.Create
	case a.Create():
		return "create", f.Create
	case a.Update():
		return "update", f.Update
	case a.Delete():
		return "delete", f.Delete
	}
	return "no-op", 0
}

// merge adds an instance to its node: instances of one block run in parallel, so the node takes as long as the
// slowest (ties: the first address).
func merge(steps map[string]Step, node string, s Step) {
	cur, ok := steps[node]
	s.Instances = cur.Instances + 1
	if ok && (cur.Duration > s.Duration || cur.Duration == s.Duration && cur.Address < s.Address) {
		cur.Instances = s.Instances
		s = cur
	}
	steps[node] = s
}

func weights(steps map[string]Step) func(string) Step {
	return func(n string) Step { return steps[n] }
}

// Measured computes the critical path of a real run from its JSON event stream: each resource weighs what it
// took (apply_start to apply_complete or apply_errored; elapsed_seconds when a time is missing), on the graph
// (reversed when every change in the stream is a delete: a destroy). Resources missing from the graph count as
// independent. Against the run's wall time, its Total shows how much of the run the provider waiters explain,
// and the rest: parallelism limits, terraform's own work, refresh.
func Measured(events []terraform.Event, g Graph) Path {
	started := map[string]terraform.Event{}
	steps := map[string]Step{}
	deletes, changes := 0, 0
	for _, ev := range events {
		switch ev.Type {
		case terraform.EventApplyStart:
			started[ev.Address] = ev
			changes++
			if ev.Action == "delete" {
				deletes++
			}
		case terraform.EventApplyComplete, terraform.EventApplyErrored:
			st, ok := started[ev.Address]
			if !ok {
				continue
			}
			d := time.Duration(ev.Elapsed * float64(time.Second))
			if !st.Time.IsZero() && !ev.Time.IsZero() {
				d = ev.Time.Sub(st.Time)
			}
			merge(steps, Node(ev.Address), Step{Address: ev.Address, Type: ResourceType(ev.Address), Action: st.Action, Duration: d})
		}
	}
	deps := map[string][]string{}
	for n, ds := range g.deps {
		deps[n] = ds
	}
	if changes > 0 && deletes == changes {
		deps = g.reverse()
	}
	nodes := g.Nodes()
	for n := range steps {
		if !g.Has(n) {
			nodes = append(nodes, n)
		}
	}
	sort.Strings(nodes)
	return longest(nodes, func(n string) []string { return deps[n] }, weights(steps))
}

// longest returns the heaviest path through the nodes, following after(n) (the nodes that must finish before n
// starts) and weighing each node by weight(n): the expected wall time with unlimited parallelism, and the steps
// on it, in order. A cycle (none in a valid terraform graph) is broken where it is found.
func longest(nodes []string, after func(string) []string, weight func(string) Step) Path {
	finish := map[string]time.Duration{}
	prev := map[string]string{}
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string)
	visit = func(n string) {
		state[n] = 1
		var start time.Duration
		for _, d := range after(n) {
			if state[d] == 1 {
				continue
			}
			if state[d] == 0 {
				visit(d)
			}
			if f := finish[d]; f > start { // after(n) is sorted: ties go to the first
				start, prev[n] = f, d
			}
		}
		finish[n] = start + weight(n).Duration
		state[n] = 2
	}
	var end string
	for _, n := range nodes {
		if state[n] == 0 {
			visit(n)
		}
		if end == "" || finish[n] > finish[end] {
			end = n
		}
	}
	if end == "" {
		return Path{}
	}
	var steps []Step
	for n := end; n != ""; n = prev[n] {
		s := weight(n)
		if s.Duration > 0 {
			s.Start = finish[n] - s.Duration
			steps = append(steps, s)
		}
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	return Path{Total: finish[end], Steps: steps}
}
