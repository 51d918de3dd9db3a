package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
)

// fixtureRepo makes a repository whose dev root is the one-VPC fixture.
func fixtureRepo(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	dev := filepath.Join(home, "terraform", "envs", "dev")
	if err := os.MkdirAll(dev, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "terraform", "testdata", "vpc", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dev, "main.tf"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(env.HomeVar, home)
	return home
}

func run(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestEnvironmentWithoutRoot(t *testing.T) {
	fixtureRepo(t)
	code, _, stderr := run(t, context.Background(), "plan", "staging")
	if code != ExitFailure || !strings.Contains(stderr, `ec2stack: plan staging: environment "staging" has no root yet`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestEmulatorVerbs(t *testing.T) {
	if _, err := emulator.FindBinary(); err != nil {
		t.Fatalf("this test needs moto_server: %v", err)
	}
	home := fixtureRepo(t)
	ctx := context.Background()
	t.Cleanup(func() { _, _ = emulator.StopRecorded(ctx, home) })

	if code, out, _ := run(t, ctx, "emulator", "status"); code != 0 || !strings.Contains(out, "not running") {
		t.Fatalf("status before start: %d %q", code, out)
	}
	code, out, stderr := run(t, ctx, "emulator", "start", "--json")
	var doc struct {
		Running, Started bool
		Endpoint         string
		PID              int
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || !doc.Started || doc.PID == 0 {
		t.Fatalf("start: %d %q %q", code, out, stderr)
	}
	if code, out, _ := run(t, ctx, "emulator", "start"); code != 0 || !strings.Contains(out, "already running at "+doc.Endpoint) {
		t.Fatalf("second start: %d %q", code, out)
	}
	if code, out, _ := run(t, ctx, "emulator", "status"); code != 0 || !strings.Contains(out, doc.Endpoint) {
		t.Fatalf("status: %d %q", code, out)
	}
	if code, out, _ := run(t, ctx, "emulator", "stop"); code != 0 || !strings.Contains(out, "moto stopped") {
		t.Fatalf("stop: %d %q", code, out)
	}
	if err := emulator.Ping(ctx, doc.Endpoint); err == nil {
		t.Fatal("moto still answers after stop")
	}
}

// TestUpOutputsDestroy drives the CLI in-process against a moto given by --endpoint.
func TestUpOutputsDestroy(t *testing.T) {
	if _, err := emulator.FindBinary(); err != nil {
		t.Fatalf("this test needs moto_server: %v", err)
	}
	home := fixtureRepo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	moto, err := emulator.Start(ctx, emulator.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = moto.Stop() })
	ep := "--endpoint=" + moto.Endpoint

	code, out, stderr := run(t, ctx, "apply", "dev", ep)
	if code != ExitFailure || !strings.Contains(stderr, "no saved plan for dev on emulator: run `ec2stack plan dev` first") {
		t.Fatalf("apply without plan: %d %q", code, stderr)
	}

	code, out, stderr = run(t, ctx, "up", "dev", ep)
	if code != 0 {
		t.Fatalf("up: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"+ aws_vpc.this", "vpc_id = vpc-", "emulator_mode = true", "dev on emulator: 1 resources", "1  aws_vpc"} {
		if !strings.Contains(out, want) {
			t.Errorf("up stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "[1/1]") || !strings.Contains(stderr, "created aws_vpc.this") {
		t.Errorf("up progress:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(home, ".ec2stack", "emulator", "dev", "tfdata")); err != nil {
		t.Errorf("tfdata: %v", err)
	}

	// A second up has nothing to do; --json gives one document on stdout
	// and the events as JSON lines on stderr.
	code, out, stderr = run(t, ctx, "up", "dev", "--json", ep)
	var doc struct {
		Environment, Target string
		Outputs             map[string]any
		Resources           map[string]int
		Plan                struct{ Add int }
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil {
		t.Fatalf("up --json: %d %v %q %q", code, err, out, stderr)
	}
	if doc.Environment != "dev" || doc.Target != "emulator" || doc.Outputs["emulator_mode"] != true || doc.Resources["aws_vpc"] != 1 || doc.Plan.Add != 0 {
		t.Errorf("up --json doc = %+v", doc)
	}
	if !strings.Contains(stderr, `"type":"change_summary"`) {
		t.Errorf("up --json stderr lacks JSON events: %q", stderr)
	}

	code, out, stderr = run(t, ctx, "destroy", ep, "dev")
	if code != 0 || !strings.Contains(out, "Destroyed everything in dev on emulator") {
		t.Fatalf("destroy: %d %q %q", code, out, stderr)
	}
}
