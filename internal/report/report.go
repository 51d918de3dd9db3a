// Package report is the daily summary of one environment: its alarms that are not OK, the last backup of each
// resource, drift, cost against budget, the age of its machine image and what waits for an approval or a
// promotion. Gathering goes through small interfaces (one per AWS API, fakes in tests); every source that
// cannot be read becomes a line of the report, not a failure. Rendering is a pure function of the Report.
package report

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Report is the summary of one environment at one moment.
type Report struct {
	Environment string    `json:"environment"`
	Target      string    `json:"target"`
	GeneratedAt time.Time `json:"generated_at"`
	Alarms      []Alarm   `json:"alarms"`  // not OK: ALARM or INSUFFICIENT_DATA
	Backups     []Backup  `json:"backups"` // the last completed backup of each resource, per kind
	Drift       *Drift    `json:"drift"`   // nil: not read
	Cost        *Cost     `json:"cost"`    // nil: not read
	Images      []Image   `json:"images"`
	Pending     []Pending `json:"pending"`
	// Unread are the sources that could not be read: "could not read alarms: ...".
	Unread []string `json:"unread"`
}

// Alarm is a CloudWatch alarm of the environment that is not OK.
type Alarm struct {
	Name   string    `json:"name"`
	State  string    `json:"state"`
	Reason string    `json:"reason"`
	Since  time.Time `json:"since"`
}

// Backup kinds.
const (
	KindRecoveryPoint = "backup-recovery-point" // AWS Backup, in the environment's vault
	KindRDSAutomated  = "rds-automated"         // RDS automated DB snapshot
	KindRDSManual     = "rds-manual"            // RDS manual DB snapshot
	KindEBS           = "ebs-snapshot"          // EBS snapshot tagged with the environment
)

// Backup is the last completed backup of one resource of one kind.
type Backup struct {
	Kind     string    `json:"kind"`
	Resource string    `json:"resource"` // the database, volume or resource ARN backed up
	ID       string    `json:"id"`       // snapshot ID or recovery point ARN
	Created  time.Time `json:"created"`
	Count    int       `json:"count"` // completed backups of this resource and kind
}

// Drift is the summary of a refresh-only plan: the resources changed outside terraform.
type Drift struct {
	Clean     bool     `json:"clean"`
	Resources []string `json:"resources"` // addresses that drifted
}

// Cost is the environment's saved plan priced against its budget.
type Cost struct {
	Plan        bool     `json:"plan"` // false: no saved plan ("no plan")
	ExpectedUSD float64  `json:"expected_usd"`
	LowUSD      float64  `json:"low_usd"`
	HighUSD     float64  `json:"high_usd"`
	BudgetUSD   *float64 `json:"budget_usd"`
	OverBudget  bool     `json:"over_budget"`
	Note        string   `json:"note,omitempty"` // why there is no figure
}

// Image is the machine image of the launch template or of a running instance.
type Image struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	UsedBy  string    `json:"used_by"` // launch template or instance ID
	Created time.Time `json:"created"`
	AgeDays int       `json:"age_days"`
}

// Pending kinds.
const (
	PendingApproval  = "approval"  // a saved plan that passed the check and needs an approval it lacks
	PendingPromotion = "promotion" // a release deployed upstream but not yet promoted here
)

// Pending is something waiting on an operator.
type Pending struct {
	Kind   string `json:"kind"`
	What   string `json:"what"`
	Action string `json:"action"` // the command that clears it
}

// Source is one thing the report reads: it fills its part of r.
type Source struct {
	Name   string
	Gather func(ctx context.Context, r *Report) error
}

// ErrNothingRead: every source failed.
var ErrNothingRead = errors.New("could not read any source")

// Gather runs each source in turn; a failing one becomes a line of r.Unread. It fails only when every source
// failed (and there was at least one).
func Gather(ctx context.Context, r *Report, sources []Source) error {
	if r.Alarms == nil {
		r.Alarms = []Alarm{}
	}
	for _, p := range []*[]Backup{&r.Backups} {
		if *p == nil {
			*p = []Backup{}
		}
	}
	if r.Images == nil {
		r.Images = []Image{}
	}
	if r.Pending == nil {
		r.Pending = []Pending{}
	}
	if r.Unread == nil {
		r.Unread = []string{}
	}
	failed := 0
	for _, s := range sources {
		if err := s.Gather(ctx, r); err != nil {
			failed++
			r.Unread = append(r.Unread, fmt.Sprintf("could not read %s: %v", s.Name, err))
		}
	}
	if len(sources) > 0 && failed == len(sources) {
		return fmt.Errorf("%w: %v", ErrNothingRead, r.Unread)
	}
	return nil
}
