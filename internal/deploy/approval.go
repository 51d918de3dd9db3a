package deploy

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"
)

// Approval is the record of one person approving one plan file (by its sha256), beside the plan.
type Approval struct {
	Environment string    `json:"environment"`
	PlanSHA256  string    `json:"plan_sha256"`
	ApprovedBy  string    `json:"approved_by"`
	ApprovedAt  time.Time `json:"approved_at"`
}

// ApprovalPath is where the approval of planFile lives: beside it.
func ApprovalPath(planFile string) string {
	return strings.TrimSuffix(planFile, ".tfplan") + ".approval.json"
}

var approver = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,63}$`)

// ValidApprover says why name cannot record an approval (nil when it can).
func ValidApprover(name string) error {
	if !approver.MatchString(name) {
		return fmt.Errorf("approver %q must be 1 to 64 letters, digits, spaces or . _ @ + - (a name or an e-mail address), starting with a letter or digit", name)
	}
	return nil
}

// RecordApproval records that by approves planFile as it is now (its sha256).
func RecordApproval(planFile, env, by string) (Approval, error) {
	if err := ValidApprover(by); err != nil {
		return Approval{}, err
	}
	sum, err := FileSHA256(planFile)
	if err != nil {
		return Approval{}, fmt.Errorf("approval: %w", err)
	}
	a := Approval{Environment: env, PlanSHA256: sum, ApprovedBy: by, ApprovedAt: time.Now().UTC()}
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return Approval{}, err
	}
	if err := os.WriteFile(ApprovalPath(planFile), append(b, '\n'), 0o644); err != nil {
		return Approval{}, fmt.Errorf("approval: %w", err)
	}
	return a, nil
}

// ApprovalError says why a plan file lacks the approval its environment requires.
type ApprovalError struct{ Reason string }

func (e *ApprovalError) Error() string { return e.Reason }

// CheckApproval returns the approval of planFile when it approves that very file; otherwise an *ApprovalError
// naming the command to run (approveCmd).
func CheckApproval(planFile, env, approveCmd string) (*Approval, error) {
	b, err := os.ReadFile(ApprovalPath(planFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, &ApprovalError{Reason: fmt.Sprintf("the saved plan %s is not approved, and %s's contract requires an approval before apply: run `%s`", planFile, env, approveCmd)}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the approval: %w", err)
	}
	var a Approval
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, &ApprovalError{Reason: fmt.Sprintf("the approval %s is unreadable (%v): run `%s`", ApprovalPath(planFile), err, approveCmd)}
	}
	sum, err := FileSHA256(planFile)
	if err != nil {
		return nil, fmt.Errorf("reading the saved plan: %w", err)
	}
	if a.PlanSHA256 != sum || a.Environment != env {
		return nil, &ApprovalError{Reason: fmt.Sprintf("the approval by %s is for another plan (sha256 %s of %s, the saved plan is %s): run `%s`", a.ApprovedBy, short(a.PlanSHA256), a.Environment, short(sum), approveCmd)}
	}
	return &a, nil
}

// StateVersion identifies one version of an environment's state: a plan is made against one, and applies only
// to that one.
type StateVersion struct {
	Lineage string `json:"lineage"`
	Serial  int    `json:"serial"`
}

func (v StateVersion) String() string {
	if v.Lineage == "" {
		return "no state"
	}
	return fmt.Sprintf("serial %d of lineage %s", v.Serial, v.Lineage)
}

// ParseStateVersion reads the lineage and serial of a state file (empty input: no state yet).
func ParseStateVersion(raw []byte) (StateVersion, error) {
	var v StateVersion
	if len(strings.TrimSpace(string(raw))) == 0 {
		return v, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("reading the state's lineage and serial: %w", err)
	}
	return v, nil
}

// PlannedState is the state version a saved plan was made against (the state snapshot terraform keeps in the
// plan file).
func PlannedState(planFile string) (StateVersion, error) {
	z, err := zip.OpenReader(planFile)
	if err != nil {
		return StateVersion{}, fmt.Errorf("reading the saved plan %s: %w", planFile, err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != "tfstate" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return StateVersion{}, err
		}
		defer rc.Close()
		raw, err := io.ReadAll(rc)
		if err != nil {
			return StateVersion{}, err
		}
		return ParseStateVersion(raw)
	}
	return StateVersion{}, fmt.Errorf("the saved plan %s holds no state snapshot: not a terraform plan file", planFile)
}

// StaleError: the state changed since the plan was made, so the plan no longer says what apply would do.
type StaleError struct{ Reason string }

func (e *StaleError) Error() string { return e.Reason }

// CheckFresh returns a *StaleError when the state now (current) is not the one planFile was planned against.
func CheckFresh(planFile string, current StateVersion, planCmd string) error {
	planned, err := PlannedState(planFile)
	if err != nil {
		return err
	}
	if planned != current {
		return &StaleError{Reason: fmt.Sprintf("the saved plan %s is stale: it was made against %s, the state is now %s (someone applied since): run `%s`", planFile, planned, current, planCmd)}
	}
	return nil
}
