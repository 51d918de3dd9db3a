package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGate(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.tfplan")
	checked := filepath.Join(dir, "real.tfplan")
	for _, f := range []string{plan, checked} {
		if err := os.WriteFile(f, []byte("plan bytes of "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const cmd = "ec2stack plan dev"
	gateErr := func(err error) *GateError {
		t.Helper()
		var g *GateError
		if !errors.As(err, &g) {
			t.Fatalf("want a *GateError, got %v", err)
		}
		return g
	}

	if _, err := CheckGate(plan, cmd); !strings.Contains(gateErr(err).Reason, "has not passed `ec2stack check`: run `ec2stack plan dev`") {
		t.Errorf("no record: %v", err)
	}

	if err := RecordGate(Gate{Environment: "dev", Target: "emulator", PlanFile: plan, CheckedPlan: checked, Clean: true, Rules: 67}); err != nil {
		t.Fatal(err)
	}
	g, err := CheckGate(plan, cmd)
	if err != nil || g.PlanSHA256 == "" || g.CheckedPlanSHA256 == "" || g.PlanSHA256 == g.CheckedPlanSHA256 || g.CheckedAt.IsZero() {
		t.Fatalf("clean record: %+v, %v", g, err)
	}
	if want, _ := FileSHA256(plan); g.PlanSHA256 != want {
		t.Errorf("recorded hash %s, file hash %s", g.PlanSHA256, want)
	}

	// A plan file changed after the check is not the plan that was checked.
	if err := os.WriteFile(plan, []byte("another plan"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckGate(plan, cmd); !strings.Contains(gateErr(err).Reason, "is not the plan that was checked") || gateErr(err).Failed {
		t.Errorf("stale record: %v", err)
	}

	// A plan that broke rules is refused as failed, naming the count.
	if err := RecordGate(Gate{Environment: "dev", PlanFile: plan, CheckedPlan: plan, Violations: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckGate(plan, cmd); !gateErr(err).Failed || !strings.Contains(err.Error(), "failed `ec2stack check` with 2 violation(s)") {
		t.Errorf("failed record: %v", err)
	}

	ClearGate(plan)
	if _, err := os.Stat(GatePath(plan)); !errors.Is(err, os.ErrNotExist) || GatePath(plan) != filepath.Join(dir, "plan.gate.json") {
		t.Errorf("ClearGate left %s: %v", GatePath(plan), err)
	}
}
