// Package drift compares what exists with what the state says: from a refresh-only plan (every change made
// outside terraform, resource by resource and attribute by attribute, expected = the state, actual = AWS) and a
// normal plan of the same configuration (what a repair would do to each: revert it, recreate or replace the
// resource, or accept the change into the state because the configuration does not manage it). It is a pure
// function of the two plans' JSON.
package drift

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Repairs: what applying the normal plan does to a drifted resource or attribute.
const (
	Revert   = "revert"   // the plan sets it back to the configuration's value
	Recreate = "recreate" // the resource was deleted outside terraform: the plan creates it again
	Replace  = "replace"  // the plan destroys and recreates the resource
	Accept   = "accept"   // the configuration does not manage it: applying writes the change into the state; it stays in AWS
	Apply    = "apply"    // no drift: the configuration differs from the state (not applied yet)
	Remove   = "remove"   // no drift: the plan destroys the resource
)

// Report is the drift of one environment.
type Report struct {
	Resources []Resource `json:"resources"`
}

// Clean reports whether nothing drifted and nothing is planned.
func (r Report) Clean() bool { return len(r.Resources) == 0 }

// Drifted is the number of resources changed outside terraform.
func (r Report) Drifted() int {
	n := 0
	for _, res := range r.Resources {
		if res.Drifted {
			n++
		}
	}
	return n
}

// Replaces reports whether repairing would replace (destroy and recreate) any resource.
func (r Report) Replaces() bool {
	return slices.ContainsFunc(r.Resources, func(res Resource) bool { return res.Repair == Replace })
}

// Resource is one resource that drifted or that the plan changes.
type Resource struct {
	Address    string      `json:"address"`
	Type       string      `json:"type"`
	Drifted    bool        `json:"drifted"` // changed outside terraform (false: only the plan changes it)
	Deleted    bool        `json:"deleted"` // it no longer exists
	Repair     string      `json:"repair"`  // Revert, Recreate, Replace, Accept, Apply or Remove
	Attributes []Attribute `json:"attributes"`
}

// Attribute is one drifted attribute: Expected is the state's value, Actual what AWS has now.
type Attribute struct {
	Path     string `json:"path"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Repair   string `json:"repair"` // Revert or Accept (Replace when the plan replaces the resource)
}

// changing are the attributes AWS itself moves all the time, by design: a change of one of them is not drift.
var changing = map[string][]string{
	"aws_db_instance":             {"latest_restorable_time", "status"},                                  // advances every few minutes; backing-up ...
	"aws_backup_vault":            {"recovery_points"},                                                   // every backup job
	"aws_cloudfront_distribution": {"status", "in_progress_validation_batches"},                          // InProgress while edges deploy
	"aws_acm_certificate":         {"not_before", "not_after", "renewal_summary", "renewal_eligibility"}, // managed renewal
}

type change struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Mode    string `json:"mode"`
	Change  struct {
		Actions []string       `json:"actions"`
		Before  map[string]any `json:"before"`
		After   map[string]any `json:"after"`
	} `json:"change"`
}

type planDoc struct {
	ResourceDrift   []change `json:"resource_drift"`
	ResourceChanges []change `json:"resource_changes"`
}

// Analyze builds the report from the refresh-only plan and the normal plan (`terraform show -json` of each).
// refreshOnly nil: the state was just synchronised with what exists, so only the plan's changes count.
func Analyze(refreshOnly, plan []byte) (Report, error) {
	var ro, pl planDoc
	if refreshOnly != nil {
		if err := json.Unmarshal(refreshOnly, &ro); err != nil {
			return Report{}, fmt.Errorf("reading the refresh-only plan: %w", err)
		}
	}
	if err := json.Unmarshal(plan, &pl); err != nil {
		return Report{}, fmt.Errorf("reading the plan: %w", err)
	}
	planned := map[string]change{}
	for _, c := range pl.ResourceChanges {
		if c.Mode == "managed" && !noop(c.Change.Actions) {
			planned[c.Address] = c
		}
	}
	report := Report{Resources: []Resource{}}
	seen := map[string]bool{}
	for _, d := range ro.ResourceDrift {
		if d.Mode != "managed" || noop(d.Change.Actions) {
			continue
		}
		seen[d.Address] = true
		p, hasPlan := planned[d.Address]
		res := Resource{Address: d.Address, Type: d.Type, Drifted: true, Deleted: d.Change.After == nil, Repair: Accept}
		switch {
		case hasPlan && replaces(p.Change.Actions):
			res.Repair = Replace
		case hasPlan && res.Deleted:
			res.Repair = Recreate
		case hasPlan && slices.Contains(p.Change.Actions, "delete"):
			res.Repair = Remove
		case hasPlan:
			res.Repair = Revert
		}
		if res.Deleted {
			res.Attributes = []Attribute{{Path: "(resource)", Expected: "exists", Actual: "deleted", Repair: res.Repair}}
		} else {
			for _, path := range differing(d.Change.Before, d.Change.After) {
				if slices.Contains(changing[d.Type], strings.SplitN(path, ".", 2)[0]) {
					continue
				}
				a := Attribute{Path: path, Expected: value(d.Change.Before, path), Actual: value(d.Change.After, path), Repair: Accept}
				switch {
				case res.Repair == Replace:
					a.Repair = Replace
				case hasPlan && value(p.Change.After, path) != a.Actual:
					a.Repair = Revert
				}
				res.Attributes = append(res.Attributes, a)
			}
			if len(res.Attributes) == 0 && !hasPlan {
				continue // only what AWS moves by itself
			}
			if res.Repair == Revert && !slices.ContainsFunc(res.Attributes, func(a Attribute) bool { return a.Repair == Revert }) {
				res.Repair = Accept // the plan changes something else of it: the drift itself is accepted
			}
		}
		report.Resources = append(report.Resources, res)
	}
	for _, addr := range slices.Sorted(maps.Keys(planned)) {
		if seen[addr] {
			continue
		}
		p := planned[addr]
		res := Resource{Address: addr, Type: p.Type, Repair: Apply}
		switch {
		case replaces(p.Change.Actions):
			res.Repair = Replace
		case slices.Contains(p.Change.Actions, "delete"):
			res.Repair = Remove
		}
		for _, path := range differing(p.Change.Before, p.Change.After) {
			res.Attributes = append(res.Attributes, Attribute{Path: path, Expected: value(p.Change.After, path), Actual: value(p.Change.Before, path), Repair: res.Repair})
		}
		report.Resources = append(report.Resources, res)
	}
	sort.SliceStable(report.Resources, func(i, j int) bool { return report.Resources[i].Address < report.Resources[j].Address })
	return report, nil
}

func noop(actions []string) bool {
	return len(actions) == 0 || slices.Equal(actions, []string{"no-op"}) || slices.Equal(actions, []string{"read"})
}

func replaces(actions []string) bool {
	return slices.Contains(actions, "delete") && slices.Contains(actions, "create")
}

// differing lists the attribute paths whose values differ: top-level attributes, and for maps (tags) each key.
func differing(before, after map[string]any) []string {
	var paths []string
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		b, a := before[k], after[k]
		if reflect.DeepEqual(b, a) {
			continue
		}
		bm, bok := b.(map[string]any)
		am, aok := a.(map[string]any)
		if (bok || b == nil) && (aok || a == nil) && (bok || aok) {
			for _, sub := range differingKeys(bm, am) {
				paths = append(paths, k+"."+sub)
			}
			continue
		}
		paths = append(paths, k)
	}
	return paths
}

func differingKeys(before, after map[string]any) []string {
	keys := map[string]bool{}
	for k, v := range before {
		if !reflect.DeepEqual(v, after[k]) {
			keys[k] = true
		}
	}
	for k, v := range after {
		if !reflect.DeepEqual(v, before[k]) {
			keys[k] = true
		}
	}
	return slices.Sorted(maps.Keys(keys))
}

// value is the attribute at path (top-level, or map.key) as compact JSON; "(none)" when absent.
func value(attrs map[string]any, path string) string {
	if attrs == nil {
		return "(none)"
	}
	top, sub, nested := strings.Cut(path, ".")
	v, ok := attrs[top]
	if nested {
		m, _ := v.(map[string]any)
		v, ok = m[sub]
	}
	if !ok || v == nil {
		return "(none)"
	}
	if s, isString := v.(string); isString {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
