package lane

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ec2stack/ec2stack/internal/terraform"
)

// rootDeclaresProject reports whether environment root envName declares the variable project (TF_VAR_project).
func rootDeclaresProject(t *testing.T, home, envName string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(home, "terraform", "envs", envName, "*.tf"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`(?m)^\s*variable\s+"project"`).Match(b) {
			return true
		}
	}
	return false
}

// TestDryRunOffline is the lane in plan-only mode, offline: dev and staging are planned with the settings of a
// real run (--target aws, the emulator switch off, the run's prefix, a state of their own) against a private
// moto, the plans pass the gate, and the estimate comes from them. It checks real values of those plans (the
// run's prefix in the planned names, the lines and totals of the estimate) and that nothing was applied: moto
// holds no VPC but its default one, and the run's states are gone from the state bucket.
//
// Until the roots declare the variable project, the lane must refuse to go on (exit 2, naming the cause) after
// planning and estimating, and the names are the environments' own (ec2stack-ENV); once they do, the names must
// carry the run's prefix and the dry run must succeed.
func TestDryRunOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("the dry run needs terraform and moto; run without -short")
	}
	ctx := context.Background()
	if _, err := terraform.FindTool(ctx); err != nil {
		t.Fatalf("the dry run needs terraform: %v", err)
	}
	moto := startMoto(t)
	cfg := motoConfig(t, moto)
	home, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_VAR_domain_name", "") // staging plans with its placeholder domain: fine for planning
	t.Setenv("TF_VAR_hosted_zone_id", "")
	t.Setenv("TF_VAR_ssh_authorized_cidrs", `["203.0.113.0/24"]`)
	envs := []string{"dev", "staging"}

	var out, errOut bytes.Buffer
	start := time.Now()
	res, err := Run(ctx, Options{Home: home, Envs: envs, DryRun: true, Endpoint: moto.Endpoint, WorkDir: filepath.Join(t.TempDir(), "run"),
		Stdout: &out, Stderr: &errOut})
	t.Logf("the dry run of %s took %s; it printed:\n%s", strings.Join(envs, " "), time.Since(start).Round(time.Second), out.String())

	declared := true
	for _, e := range envs {
		declared = declared && rootDeclaresProject(t, home, e)
	}
	prefix := res.Prefix
	switch {
	case declared && err != nil:
		t.Fatalf("dry run: exit %d: %v\n%s", res.Code, err, errOut.String())
	case !declared:
		if res.Code != ExitUsage || err == nil || !strings.Contains(err.Error(), "ignores TF_VAR_project") {
			t.Fatalf("the roots do not declare project yet: the lane must refuse with exit 2; got exit %d: %v\n%s", res.Code, err, errOut.String())
		}
		t.Logf("the roots do not declare the variable project yet: the lane refused as it must (%v)", err)
		prefix = "ec2stack"
	}
	if !strings.HasPrefix(res.Prefix, PrefixStem) {
		t.Errorf("run prefix %q", res.Prefix)
	}

	// The estimate, from the plans.
	if len(res.Estimates) != len(envs) {
		t.Fatalf("%d estimates, want one per environment", len(res.Estimates))
	}
	for i, e := range res.Estimates {
		if e.Env != envs[i] || e.USD <= 0 || e.Resources < 100 || e.Hours < 1 || e.Region != "us-east-1" {
			t.Errorf("estimate of %s: %s, USD %.4f, %d resources, %g h, region %q", envs[i], e.Env, e.USD, e.Resources, e.Hours, e.Region)
		}
		for _, line := range []string{"gp3 volumes", "NAT gateway", "public IPv4 address", "application load balancer",
			"public IPv4 addresses (nodes)", "interface endpoint ssm", "database postgres", "customer managed key", "alarm"} {
			if !e.Has(line) {
				t.Errorf("the estimate of %s has no %q line", e.Env, line)
			}
		}
		if len(e.Notes) > 0 {
			t.Errorf("the estimate of %s could not price everything: %v", e.Env, e.Notes)
		}
	}
	dev, staging := res.Estimates[0], res.Estimates[1]
	if !dev.Has("t3.small Spot instances") || dev.Has("t3.small on-demand") || dev.Has("web ACL") || dev.Has("distribution") {
		t.Errorf("dev (Spot t3.small/t3a.small, no edge): %+v", dev.Lines)
	}
	for _, l := range staging.Lines {
		if strings.HasSuffix(l.What, " instances") && (l.What != "t3.medium on-demand instances" || l.Quantity != 2*staging.Hours) {
			t.Errorf("staging runs 2 on-demand t3.medium: line %q x %g", l.What, l.Quantity)
		}
	}
	for _, line := range []string{"web ACL", "rules and rule groups", "distribution", "hosted zone", "detailed monitoring"} {
		if !staging.Has(line) {
			t.Errorf("the estimate of staging has no %q line", line)
		}
	}
	if staging.USD <= dev.USD {
		t.Errorf("staging (USD %.4f) should cost more than dev (USD %.4f)", staging.USD, dev.USD)
	}
	for _, s := range []string{"Estimated cost of the run: USD", "Not included: anything used", "NAT gateway", "dev: ", "staging: "} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("the printed estimate lacks %q", s)
		}
	}

	// The planned names carry the prefix.
	for _, e := range envs {
		names := res.PlannedNames[e]
		for _, want := range []string{prefix + "-" + e, prefix + "-" + e + "-db"} {
			if !slices.Contains(names, want) {
				t.Errorf("the plan of %s names no resource %q; names: %v", e, want, names)
			}
		}
		if declared {
			for _, n := range names {
				if strings.Contains(n, "ec2stack-"+e) {
					t.Errorf("the plan of %s still uses the environment's own name: %q", e, n)
				}
			}
		}
	}

	// Nothing was applied, and the run's states are gone.
	vpcs, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vpcs.Vpcs {
		if !aws.ToBool(v.IsDefault) {
			t.Errorf("the dry run left VPC %s in moto", aws.ToString(v.VpcId))
		}
	}
	objects, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListObjectsV2(ctx,
		&s3.ListObjectsV2Input{Bucket: aws.String(res.StateBucket)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objects.Contents {
		t.Errorf("the dry run left state object %s in s3://%s", aws.ToString(o.Key), res.StateBucket)
	}
	if left, err := Leftovers(ctx, cfg, []string{"us-east-1", "us-west-2"}, res.Prefix, "dev"); err != nil || len(left) > 0 {
		t.Errorf("leftovers of the dry run: %v, %v", left, err)
	}
}
