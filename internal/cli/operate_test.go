package cli

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// savedPlan writes a file shaped like a terraform plan as ENV's saved plan in home, with a clean gate record.
func savedPlan(t *testing.T, home, envName, body string) string {
	t.Helper()
	path := terraform.PlanFile(home, "emulator", envName)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	w, _ := z.Create("tfstate")
	_, _ = w.Write([]byte(`{"serial": 1, "lineage": "` + body + `"}`))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := deploy.RecordGate(deploy.Gate{Environment: envName, Target: "emulator", PlanFile: path, CheckedPlan: path, Clean: true, Rules: 74}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestApplyRefusesUnapproved: on prod (approval required) apply refuses a plan nobody approved, and one whose
// approval is of another plan, before anything runs (no emulator is started); dev needs none.
func TestApplyRefusesUnapproved(t *testing.T) {
	home := fixtureRepo(t)
	ctx := context.Background()
	plan := savedPlan(t, home, "prod", "one")
	code, _, stderr := run(t, ctx, "apply", "prod")
	want := "ec2stack: apply prod: the saved plan " + plan + " is not approved, and prod's contract requires an approval before apply: run `ec2stack approve prod`"
	if code != ExitFailure || strings.TrimSpace(stderr) != want {
		t.Errorf("unapproved: exit %d, stderr %q\nwant %q", code, stderr, want)
	}
	if _, err := deploy.RecordApproval(plan, "prod", "Ana Lima"); err != nil {
		t.Fatal(err)
	}
	savedPlan(t, home, "prod", "two") // another plan in its place, approval left behind
	code, _, stderr = run(t, ctx, "apply", "prod")
	if code != ExitFailure || !strings.Contains(stderr, "apply prod: the approval by Ana Lima is for another plan") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("approval of another plan: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(home, ".ec2stack", "emulator.json")); !os.IsNotExist(err) {
		t.Errorf("a refused apply started the emulator: %v", err)
	}
}

func TestOperateRefusals(t *testing.T) {
	home := fixtureRepo(t)
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"promote", "dev"}, ExitUsage, "ec2stack: promote dev: dev takes no promotion (deployment.promote_from is empty in policy/contract.yaml): apply its releases with `ec2stack up dev`"},
		{[]string{"approve", "staging"}, ExitFailure, "ec2stack: no saved plan for staging on emulator: run `ec2stack plan staging` first"},
	} {
		code, stdout, stderr := run(t, ctx, tc.args...)
		if code != tc.code || strings.TrimSpace(stderr) != tc.want || stdout != "" {
			t.Errorf("%v: exit %d, stderr %q\nwant %d %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	path := terraform.PlanFile(home, "emulator", "staging")
	savedPlan(t, home, "staging", "x")
	deploy.ClearGate(path) // a plan never checked
	code, _, stderr := run(t, ctx, "approve", "staging", "--approved-by", "Ana")
	if code != ExitFailure || !strings.Contains(stderr, "has not passed `ec2stack check`") || !strings.Contains(stderr, "only a plan that passed the gate can be approved") {
		t.Errorf("approve of an unchecked plan: exit %d %q", code, stderr)
	}
	if _, err := os.Stat(deploy.ApprovalPath(path)); !os.IsNotExist(err) {
		t.Errorf("an unchecked plan was approved: %v", err)
	}
}
