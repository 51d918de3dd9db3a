package e2e

import (
	"context"
	"path/filepath"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// planWithRealSettings plans an environment root with emulator_mode = false (what AWS gets), using moto only
// to answer the data sources, and returns the plan JSON. It covers what the emulator switch changes.
func planWithRealSettings(t *testing.T, envName string) *tfjson.Plan {
	t.Helper()
	tool := requireTerraform(t)
	moto := startMoto(t)
	ctx := context.Background()
	home := t.TempDir()
	rc, err := terraform.PrepareCLIConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	if err := moto.EnsureStateBucket(ctx, emulator.StateBucket, region); err != nil {
		t.Fatal(err)
	}
	r, err := terraform.New(terraform.Options{
		Tool: tool, Home: home, Root: filepath.Join(repoRoot(t), "terraform", "envs", envName),
		Target: "real-settings", Env: envName, CLIConfig: rc, ExtraEnv: moto.Env(region),
		Vars: map[string]string{"emulator_mode": "false"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Init(ctx, emulator.BackendConfig(envName, region)); err != nil {
		t.Fatalf("init %s: %v", envName, err)
	}
	if _, err := r.Plan(ctx, nil); err != nil {
		t.Fatalf("plan %s with emulator_mode=false: %v", envName, err)
	}
	plan, err := r.ShowPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// planned returns the planned values of the resource at address, failing the test when it is not planned.
func planned(t *testing.T, plan *tfjson.Plan, address string) map[string]any {
	t.Helper()
	for _, rc := range plan.ResourceChanges {
		if rc.Address == address && rc.Change != nil {
			if after, ok := rc.Change.After.(map[string]any); ok {
				return after
			}
		}
	}
	t.Fatalf("%s is not in the plan", address)
	return nil
}

// TestPlanWithRealSettings proves, on the plan AWS would get, the values the emulator switch replaces and the
// per-environment values the emulator run cannot show.
func TestPlanWithRealSettings(t *testing.T) {
	for _, tc := range []struct {
		env                string
		spot, deletionProt bool
	}{
		{env: "dev", spot: true},
		{env: "staging"},
		{env: "prod", deletionProt: true},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			plan := planWithRealSettings(t, tc.env)

			asg := planned(t, plan, "module.stack.module.compute.aws_autoscaling_group.this")
			if got := asg["wait_for_capacity_timeout"]; got != "10m" {
				t.Errorf("ASG wait_for_capacity_timeout = %v, want 10m (terraform waits for healthy capacity on AWS)", got)
			}
			policies, _ := asg["mixed_instances_policy"].([]any)
			if got := len(policies) == 1; got != tc.spot {
				t.Fatalf("%s ASG has %d mixed_instances_policy blocks; spot wanted: %v", tc.env, len(policies), tc.spot)
			}
			if tc.spot {
				dist := policies[0].(map[string]any)["instances_distribution"].([]any)[0].(map[string]any)
				if dist["on_demand_percentage_above_base_capacity"] != float64(0) || dist["on_demand_base_capacity"] != float64(0) {
					t.Errorf("%s instances_distribution = %v, want all capacity on Spot", tc.env, dist)
				}
			}

			alb := planned(t, plan, "module.stack.module.compute.aws_lb.this")
			if got := alb["enable_deletion_protection"]; got != tc.deletionProt {
				t.Errorf("%s ALB enable_deletion_protection = %v, want %v", tc.env, got, tc.deletionProt)
			}
		})
	}
}
