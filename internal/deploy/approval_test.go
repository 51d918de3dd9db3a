package deploy

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planFile writes a zip shaped like a terraform plan file whose state snapshot is state.
func planFile(t *testing.T, dir, state string) string {
	t.Helper()
	path := filepath.Join(dir, "plan.tfplan")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	for name, body := range map[string]string{"tfplan": "plan", "tfstate": state} {
		w, _ := z.Create(name)
		_, _ = w.Write([]byte(body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestApproval(t *testing.T) {
	dir := t.TempDir()
	plan := planFile(t, dir, `{"serial": 3, "lineage": "L"}`)
	var ae *ApprovalError
	if _, err := CheckApproval(plan, "prod", "ec2stack approve prod"); !errors.As(err, &ae) || !strings.Contains(err.Error(), "is not approved, and prod's contract requires an approval before apply: run `ec2stack approve prod`") {
		t.Errorf("unapproved: %v", err)
	}
	for _, bad := range []string{"", " lead", "x;rm -rf", strings.Repeat("a", 65)} {
		if _, err := RecordApproval(plan, "prod", bad); err == nil || !strings.Contains(err.Error(), "must be 1 to 64 letters") {
			t.Errorf("approver %q: %v", bad, err)
		}
	}
	a, err := RecordApproval(plan, "prod", "Ana Lima")
	if err != nil || a.ApprovedBy != "Ana Lima" {
		t.Fatalf("record: %+v %v", a, err)
	}
	if got, err := CheckApproval(plan, "prod", "ec2stack approve prod"); err != nil || got.PlanSHA256 != a.PlanSHA256 {
		t.Errorf("approved plan refused: %v", err)
	}
	if _, err := CheckApproval(plan, "staging", "ec2stack approve staging"); !errors.As(err, &ae) {
		t.Errorf("an approval for prod approved staging: %v", err)
	}
	planFile(t, dir, `{"serial": 4, "lineage": "L"}`) // a new plan in the same place
	if _, err := CheckApproval(plan, "prod", "ec2stack approve prod"); !errors.As(err, &ae) || !strings.Contains(err.Error(), "the approval by Ana Lima is for another plan") {
		t.Errorf("approval of another plan: %v", err)
	}
	ClearGate(plan)
	if _, err := os.Stat(ApprovalPath(plan)); !os.IsNotExist(err) {
		t.Errorf("ClearGate left the approval: %v", err)
	}
}

func TestFreshness(t *testing.T) {
	dir := t.TempDir()
	plan := planFile(t, dir, `{"version": 4, "serial": 7, "lineage": "abc"}`)
	if err := CheckFresh(plan, StateVersion{Lineage: "abc", Serial: 7}, "ec2stack plan prod"); err != nil {
		t.Errorf("fresh plan refused: %v", err)
	}
	var se *StaleError
	err := CheckFresh(plan, StateVersion{Lineage: "abc", Serial: 9}, "ec2stack plan prod")
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "is stale: it was made against serial 7 of lineage abc, the state is now serial 9 of lineage abc (someone applied since): run `ec2stack plan prod`") {
		t.Errorf("stale plan: %v", err)
	}
	empty := planFile(t, t.TempDir(), `{"version": 4, "serial": 0, "lineage": ""}`)
	if err := CheckFresh(empty, StateVersion{}, "ec2stack plan dev"); err != nil {
		t.Errorf("first plan refused: %v", err)
	}
	if err := CheckFresh(empty, StateVersion{Lineage: "abc", Serial: 1}, "ec2stack plan dev"); !errors.As(err, &se) || !strings.Contains(err.Error(), "made against no state") {
		t.Errorf("plan of an empty state applied over a new one: %v", err)
	}
	if v, err := ParseStateVersion(nil); err != nil || v != (StateVersion{}) {
		t.Errorf("no state: %v %v", v, err)
	}
}
