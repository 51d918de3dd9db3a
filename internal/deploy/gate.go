// Package deploy holds what ties a plan to what may be applied: the gate record that `plan` writes beside a plan
// file (its sha256 and the result of `check` on it), which `apply` and `up` require before applying.
package deploy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Gate is the record of one plan file having been checked.
type Gate struct {
	Environment string `json:"environment"`
	Target      string `json:"target"`
	PlanFile    string `json:"plan_file"`
	PlanSHA256  string `json:"plan_sha256"`
	// CheckedPlan is the plan `check` evaluated: the plan file itself, or on the emulator target the plan of the
	// same root with real settings (emulator_mode = false), which is what AWS would get.
	CheckedPlan       string    `json:"checked_plan"`
	CheckedPlanSHA256 string    `json:"checked_plan_sha256"`
	Clean             bool      `json:"clean"`
	Rules             int       `json:"rules"`
	Violations        int       `json:"violations"`
	Excepted          int       `json:"excepted"`
	CheckedAt         time.Time `json:"checked_at"`
}

// GatePath is where the gate record of planFile lives: beside it.
func GatePath(planFile string) string { return strings.TrimSuffix(planFile, ".tfplan") + ".gate.json" }

// FileSHA256 is the hex sha256 of a file's bytes.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// RecordGate writes g beside its plan file, with the plan file's and the checked plan's hashes.
func RecordGate(g Gate) error {
	var err error
	if g.PlanSHA256, err = FileSHA256(g.PlanFile); err != nil {
		return fmt.Errorf("gate record: %w", err)
	}
	if g.CheckedPlanSHA256, err = FileSHA256(g.CheckedPlan); err != nil {
		return fmt.Errorf("gate record: %w", err)
	}
	if g.CheckedAt.IsZero() {
		g.CheckedAt = time.Now().UTC()
	}
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(GatePath(g.PlanFile), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("gate record: %w", err)
	}
	return nil
}

// ClearGate removes the gate record and the approval of planFile (when the plan is made anew or has been applied).
func ClearGate(planFile string) {
	_ = os.Remove(GatePath(planFile))
	_ = os.Remove(ApprovalPath(planFile))
}

// GateError says why a plan file may not be applied; Failed is true when the plan was checked and broke rules.
type GateError struct {
	Reason string
	Failed bool
}

func (e *GateError) Error() string { return e.Reason }

// CheckGate returns the gate record of planFile when it allows applying that very file: a record exists, its
// hash is the file's, and `check` passed. Otherwise it returns a *GateError naming the command to run (planCmd
// makes a new plan, which checks it).
func CheckGate(planFile, planCmd string) (*Gate, error) {
	b, err := os.ReadFile(GatePath(planFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, &GateError{Reason: fmt.Sprintf("the saved plan %s has not passed `ec2stack check`: run `%s` (it checks the plan it writes)", planFile, planCmd)}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the gate record: %w", err)
	}
	var g Gate
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, &GateError{Reason: fmt.Sprintf("the gate record %s is unreadable (%v): run `%s`", GatePath(planFile), err, planCmd)}
	}
	sum, err := FileSHA256(planFile)
	if err != nil {
		return nil, fmt.Errorf("reading the saved plan: %w", err)
	}
	if sum != g.PlanSHA256 {
		return nil, &GateError{Reason: fmt.Sprintf("the saved plan %s is not the plan that was checked (sha256 %s, checked %s): run `%s`", planFile, short(sum), short(g.PlanSHA256), planCmd)}
	}
	if !g.Clean {
		return &g, &GateError{Failed: true, Reason: fmt.Sprintf("the saved plan %s failed `ec2stack check` with %d violation(s): fix them (run `ec2stack check %s` to list them), then run `%s`", planFile, g.Violations, g.Environment, planCmd)}
	}
	return &g, nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
