// Package dr derives, from a plan and the environment contract, the recovery point (RPO: how much data a
// disruption can lose) and recovery time (RTO: how long until the service is back) the environment can achieve
// for each disruption: an instance, an availability zone, the region, data corruption. Each figure says how
// the recovery goes and where its numbers come from (figures.go; docs/dr.md), and is compared with the
// contract's objectives (recovery.rpo_hours, recovery.rto_hours).
package dr

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/timing"
)

// The disruptions, in the order reports list them.
const (
	Instance   = "instance"
	Zone       = "availability-zone"
	Region     = "region"
	Corruption = "data-corruption"
)

// Disruptions lists them in order.
var Disruptions = []string{Instance, Zone, Region, Corruption}

// The stores a disruption is judged for.
const (
	Database = "database"
	Volumes  = "instance volumes"
	AppTier  = "application tier"
)

// Estimate is what one disruption costs one store. RPO nil: the data cannot be recovered at all (nothing
// outside the disruption holds it); RPO of a store that holds no data (the application tier) is zero.
type Estimate struct {
	Disruption string         `json:"disruption"`
	Store      string         `json:"store"`
	Address    string         `json:"address,omitempty"`
	RPO        *time.Duration `json:"rpo_ns"`
	RTO        time.Duration  `json:"rto_ns"`
	Recovery   string         `json:"recovery"`
	Sources    []string       `json:"sources"`
	Judged     bool           `json:"judged"` // false: reported only (the contract says the store holds no data of record)
	Missed     []string       `json:"missed,omitempty"`
}

// Report is every estimate of an environment against its objectives.
type Report struct {
	Environment string         `json:"environment"`
	RPO         *time.Duration `json:"rpo_objective_ns"`
	RTO         *time.Duration `json:"rto_objective_ns"`
	Rebuild     timing.Path    `json:"rebuild"` // the stack from nothing in the DR region, as timing estimates it
	Estimates   []Estimate     `json:"estimates"`
}

// Missed lists every objective an estimate misses, one line each, naming the store, the disruption and why.
func (r Report) Missed() []string {
	var out []string
	for _, e := range r.Estimates {
		for _, m := range e.Missed {
			out = append(out, fmt.Sprintf("%s, %s: %s", e.Store, e.Disruption, m))
		}
	}
	return out
}

// Assess derives the estimates of a plan (`terraform show -json`) of env, on its configuration graph.
func Assess(planJSON []byte, g timing.Graph, env contract.Environment) (Report, error) {
	var plan tfjson.Plan
	if err := json.Unmarshal(planJSON, &plan); err != nil {
		return Report{}, fmt.Errorf("reading the plan: %w", err)
	}
	table, err := timing.Default()
	if err != nil {
		return Report{}, err
	}
	rebuild, err := timing.Estimate(fromNothing(&plan), g, table)
	if err != nil {
		return Report{}, fmt.Errorf("rebuild time: %w", err)
	}
	s := read(&plan)
	r := Report{Environment: env.Name, RPO: hours(env.Recovery.RPOHours), RTO: hours(env.Recovery.RTOHours), Rebuild: rebuild.Apply}
	dbCreate := time.Duration(0)
	if s.db != nil {
		f, err := table.Lookup("aws_db_instance", s.db.values, nil)
		if err != nil {
			return Report{}, err
		}
		dbCreate = f.Create
	}
	r.Estimates = append(r.Estimates, s.appTier(rebuild.Apply.Total, env.Network.AvailabilityZones)...)
	if s.db != nil {
		r.Estimates = append(r.Estimates, s.database(dbCreate, rebuild.Apply.Total)...)
	}
	r.Estimates = append(r.Estimates, s.volumes(env.Recovery.StatelessInstances)...)
	for i := range r.Estimates {
		r.Estimates[i].judge(r.RPO, r.RTO)
	}
	slices.SortStableFunc(r.Estimates, func(a, b Estimate) int {
		return slices.Index(Disruptions, a.Disruption) - slices.Index(Disruptions, b.Disruption)
	})
	return r, nil
}

func (e *Estimate) judge(rpo, rto *time.Duration) {
	if !e.Judged {
		return
	}
	switch {
	case rpo != nil && e.RPO == nil:
		e.Missed = append(e.Missed, fmt.Sprintf("the data is lost (%s); the RPO is %s", e.Recovery, Format(*rpo)))
		return
	case rpo != nil && *e.RPO > *rpo:
		e.Missed = append(e.Missed, fmt.Sprintf("RPO %s > %s (%s)", Format(*e.RPO), Format(*rpo), e.Recovery))
	}
	if rto != nil && e.RTO > *rto {
		e.Missed = append(e.Missed, fmt.Sprintf("RTO %s > %s (%s)", Format(e.RTO), Format(*rto), e.Recovery))
	}
}

func hours(h *float64) *time.Duration {
	if h == nil {
		return nil
	}
	d := time.Duration(*h * float64(time.Hour))
	return &d
}

// Format prints a duration in the unit that reads best: 90 s, 12 min, 4.5 h, 2 d.
func Format(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < 2*time.Minute:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0f min", d.Minutes())
	case d < 48*time.Hour:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Hours()), ".0") + " h"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Hours()/24), ".0") + " d"
}

// fromNothing is the plan as if every resource it leaves were created: what bringing the stack up in the DR
// region from code takes, whatever state the plan started from.
func fromNothing(p *tfjson.Plan) *tfjson.Plan {
	out := *p
	out.ResourceChanges = nil
	for _, rc := range p.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil || rc.Change.Actions.Delete() || rc.Change.Actions.Forget() {
			continue
		}
		c := *rc
		ch := *rc.Change
		ch.Actions = tfjson.Actions{tfjson.ActionCreate}
		c.Change = &ch
		out.ResourceChanges = append(out.ResourceChanges, &c)
	}
	return &out
}
