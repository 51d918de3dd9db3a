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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
)

// fixtureRepo makes a repository whose dev root is one VPC (the terraform adapter's fixture), with the real
// environment contract.
func fixtureRepo(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	copyFiles(t, map[string]string{
		filepath.Join("..", "terraform", "testdata", "vpc", "main.tf"): filepath.Join(home, "terraform", "envs", "dev", "main.tf"),
		filepath.Join("..", "..", contract.File):                       filepath.Join(home, contract.File),
	})
	t.Setenv(env.HomeVar, home)
	return home
}

// gateRepo is fixtureRepo with the fixture's accepted exceptions: a lone VPC lacks most of what the contract
// asks for, and the gate must let it through to apply.
func gateRepo(t *testing.T) string {
	t.Helper()
	home := fixtureRepo(t)
	copyFiles(t, map[string]string{filepath.Join("testdata", "fixture-exceptions.yaml"): filepath.Join(home, "policy", "exceptions.yaml")})
	return home
}

func copyFiles(t *testing.T, files map[string]string) {
	t.Helper()
	for src, dst := range files {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixtureVPCs lists the fixture's VPCs in moto.
func fixtureVPCs(t *testing.T, ctx context.Context, moto *emulator.Server) []string {
	t.Helper()
	cfg, err := moto.AWSConfig(ctx, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	out, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:Name"), Values: []string{"ec2stack-fixture"}}}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range out.Vpcs {
		ids = append(ids, aws.ToString(v.VpcId))
	}
	return ids
}

// A moto started with its own defaults (no AWS managed IAM policies) is refused before anything is created.
func TestPreflightRefusesDefaultMoto(t *testing.T) {
	needsMoto(t)
	gateRepo(t)
	ctx := context.Background()
	moto, err := emulator.Start(ctx, emulator.StartOptions{Settings: []string{"MOTO_IAM_LOAD_MANAGED_POLICIES=false", "MOTO_ACM_VALIDATION_WAIT=60"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = moto.Stop() })
	code, _, stderr := run(t, ctx, "up", "dev", "--endpoint", moto.Endpoint)
	if code != ExitFailure || !strings.Contains(stderr, "cannot serve the stack: it has no AWS managed IAM policies") ||
		!strings.Contains(stderr, "MOTO_IAM_LOAD_MANAGED_POLICIES=true") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("up against a default moto: exit %d, stderr %q", code, stderr)
	}
	cfg, err := moto.AWSConfig(ctx, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	buckets, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(buckets.Buckets) != 0 {
		t.Fatalf("the refused run left buckets behind: %+v, %v", buckets, err)
	}
	if vpcs := fixtureVPCs(t, ctx, moto); len(vpcs) != 0 {
		t.Fatalf("the refused run created VPCs: %v", vpcs)
	}
}

// needsMoto skips under -short and fails (not skips) when moto is missing.
func needsMoto(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs terraform and moto: run without -short")
	}
	if _, err := emulator.FindBinary(); err != nil {
		t.Fatalf("this test needs moto_server: %v", err)
	}
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
	needsMoto(t)
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

// TestUpOutputsDestroy drives the CLI in-process against a moto given by --endpoint: the gate first (a plan
// that fails check, or that changed after it was checked, is not applied and nothing is created), then up,
// outputs and destroy.
func TestUpOutputsDestroy(t *testing.T) {
	needsMoto(t)
	home := gateRepo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
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

	// A plan that breaks a rule (here a rule of ours that refuses every VPC) is saved but refused.
	rules := t.TempDir()
	if err := os.WriteFile(filepath.Join(rules, "no_vpcs.rego"), []byte(`package ec2stack.rules.no_vpcs

import data.ec2stack.lib

metadata := {"id": "EC2S-991", "name": "no-vpcs", "severity": "HIGH", "summary": "s", "resolution": "r", "references": []}

deny contains lib.finding(r, r.name, "no VPCs here") if {
	some r in lib.resources("aws_vpc")
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = run(t, ctx, "plan", "dev", ep, "--policy", rules)
	if code != ExitViolations || !strings.Contains(out, "EC2S-991 no-vpcs") || !strings.Contains(stderr, "1 violation(s) of `ec2stack check`") {
		t.Fatalf("plan that breaks a rule: exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr = run(t, ctx, "apply", "dev", ep)
	if code != ExitViolations || !strings.Contains(stderr, "failed `ec2stack check` with 1 violation(s)") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("apply of a refused plan: exit %d, stderr %q", code, stderr)
	}
	// A checked plan that changed afterwards is not the plan that was checked.
	if code, _, stderr = run(t, ctx, "plan", "dev", ep); code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	planFile := filepath.Join(home, ".ec2stack", "emulator", "dev", "plan.tfplan")
	f, err := os.OpenFile(planFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("tampered")
	f.Close()
	code, _, stderr = run(t, ctx, "apply", "dev", ep)
	if code != ExitFailure || !strings.Contains(stderr, "is not the plan that was checked") {
		t.Fatalf("apply of a changed plan: exit %d, stderr %q", code, stderr)
	}
	if vpcs := fixtureVPCs(t, ctx, moto); len(vpcs) != 0 {
		t.Fatalf("refused plans created VPCs: %v", vpcs)
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
