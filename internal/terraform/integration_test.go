package terraform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/emulator"
)

// TestRunnerAgainstMoto runs the whole adapter path on a one-VPC fixture root:
// init (S3 backend in moto) -> plan to file -> apply exactly that file ->
// outputs -> destroy.
func TestRunnerAgainstMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("needs terraform and moto: run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tool, err := FindTool(ctx)
	if err != nil {
		t.Fatalf("this test needs terraform: %v", err)
	}
	if _, err := emulator.FindBinary(); err != nil {
		t.Fatalf("this test needs moto_server: %v", err)
	}
	mirror, err := FindMirror(DefaultMirrorDirs(os.Getenv("HOME")))
	if err != nil {
		t.Fatal(err)
	}
	moto, err := emulator.Start(ctx, emulator.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = moto.Stop() })
	if err := moto.EnsureStateBucket(ctx, emulator.StateBucket, "us-east-1"); err != nil {
		t.Fatal(err)
	}

	home := t.TempDir()
	root := copyFixture(t, filepath.Join("testdata", "vpc"), filepath.Join(home, "root"))
	rc, err := WriteCLIConfig(home, mirror)
	if err != nil {
		t.Fatal(err)
	}
	extra := moto.Env("us-east-1")
	extra["TF_VAR_emulator_mode"] = "true"
	r, err := New(Options{Tool: tool, Home: home, Root: root, Target: "emulator", Env: "dev", CLIConfig: rc, ExtraEnv: extra})
	if err != nil {
		t.Fatal(err)
	}

	var noPlan *NoPlanError
	if err := r.Apply(ctx, nil); !errors.As(err, &noPlan) {
		t.Fatalf("Apply without plan = %v, want NoPlanError", err)
	}
	if err := r.Init(ctx, emulator.BackendConfig("dev", "us-east-1")); err != nil {
		t.Fatal(err)
	}
	sum, err := r.Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Add != 1 || sum.Total() != 1 || sum.Changes[0].Address != "aws_vpc.this" {
		t.Fatalf("plan summary = %+v", sum)
	}
	// The summary comes from the event stream; the plan file itself must say the same.
	saved, err := r.ShowPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := Summarize(saved); !reflect.DeepEqual(got, sum) {
		t.Errorf("summary from events = %+v, from the plan file = %+v", sum, got)
	}
	initSkipped(t, ctx, r, root)
	reusedPlan(t, ctx, r.opts)
	if _, err := os.Stat(filepath.Join(home, ".ec2stack", "emulator", "dev", "plan.tfplan")); err != nil {
		t.Fatalf("plan file: %v", err)
	}

	p := NewProgress(sum.Total(), nil)
	if err := r.Apply(ctx, func(ev Event) { p.Observe(ev) }); err != nil {
		t.Fatal(err)
	}
	if p.Done() != 1 {
		t.Errorf("progress counted %d of 1 changes", p.Done())
	}
	if r.HasPlan() {
		t.Error("plan file left behind after apply")
	}
	out, err := r.Outputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := out["vpc_id"].(string); len(id) < 5 || out["emulator_mode"] != true {
		t.Fatalf("outputs = %v", out)
	}
	snapOut, counts, err := r.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(snapOut, out) || counts["aws_vpc"] != 1 || len(counts) != 1 {
		t.Fatalf("snapshot = %v %v, want the outputs %v and one aws_vpc", snapOut, counts, out)
	}
	if _, err := os.Stat(filepath.Join(home, ".ec2stack", "emulator", "dev", "tfdata", "terraform.tfstate")); err != nil {
		t.Errorf("TF_DATA_DIR not used: %v", err)
	}

	pd := NewProgress(0, nil)
	if err := r.Destroy(ctx, func(ev Event) { pd.Observe(ev) }); err != nil {
		t.Fatal(err)
	}
	if pd.Done() != 1 {
		t.Errorf("destroy progress counted %d of 1", pd.Done())
	}
}

func copyFixture(t *testing.T, from, to string) string {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// initSkipped: a second init of an unchanged configuration runs nothing (terraform would rewrite its backend
// record); a changed file makes it run again.
func initSkipped(t *testing.T, ctx context.Context, r *Runner, root string) {
	t.Helper()
	backendRecord := filepath.Join(r.DataDir(), "terraform.tfstate")
	before := modTime(t, backendRecord)
	if err := r.Init(ctx, emulator.BackendConfig("dev", "us-east-1")); err != nil {
		t.Fatal(err)
	}
	if modTime(t, backendRecord) != before {
		t.Error("init of an unchanged configuration ran terraform init again")
	}
	if err := os.WriteFile(filepath.Join(root, "extra.tf"), []byte("locals {\n  unused = 1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(filepath.Join(root, "extra.tf"))
	if err := r.Init(ctx, emulator.BackendConfig("dev", "us-east-1")); err != nil {
		t.Fatal(err)
	}
	if modTime(t, backendRecord) == before {
		t.Error("init after a configuration change did not run terraform init")
	}
}

// reusedPlan: with ReusePlan, an unchanged plan is kept (the file is not rewritten) and a changed variable
// makes a new one.
func reusedPlan(t *testing.T, ctx context.Context, opts Options) {
	t.Helper()
	opts.Target, opts.ReusePlan = "emulator-real-settings", true
	r, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Init(ctx, map[string]string{"bucket": emulator.StateBucket, "key": "reuse/terraform.tfstate", "region": "us-east-1", "use_path_style": "true"}); err != nil {
		t.Fatal(err)
	}
	first, err := r.Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	made := modTime(t, r.PlanFile())
	again, err := r.Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, again) || modTime(t, r.PlanFile()) != made {
		t.Errorf("an unchanged plan was made again (%+v, then %+v)", first, again)
	}
	if b, err := r.PlanJSON(ctx, ""); err != nil || !strings.Contains(string(b), `"aws_vpc.this"`) {
		t.Errorf("the kept plan's JSON: %v", err)
	}
	r.opts.Vars = map[string]string{"emulator_mode": "false"}
	if _, err := r.Plan(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if modTime(t, r.PlanFile()) == made {
		t.Error("a plan with a changed variable was not made again")
	}
}

func modTime(t *testing.T, path string) time.Time {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.ModTime()
}
