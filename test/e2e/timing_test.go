package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/timing"
	tfjson "github.com/hashicorp/terraform-json"
)

// TestRealAWSTiming plans each committed root with real settings (emulator_mode = false, what AWS would get) and
// times it with internal/timing: every planned resource type has a row in the durations table, every planned
// resource a node in `terraform graph`, and prod's critical path names resources and takes minutes.
func TestRealAWSTiming(t *testing.T) {
	t.Parallel()
	tool := requireTerraform(t)
	moto := startMoto(t)
	if err := moto.PrepareAccount(context.Background(), region); err != nil {
		t.Fatal(err)
	}
	table, err := timing.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range env.Names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			plan, dot := planAndGraph(t, tool, moto, name)
			for _, rc := range plan.ResourceChanges {
				if rc.Mode != tfjson.ManagedResourceMode {
					continue
				}
				if _, err := table.Lookup(rc.Type, nil, nil); err != nil {
					t.Errorf("%s: %v", rc.Address, err)
				}
			}
			g, err := timing.ParseDOT(dot)
			if err != nil {
				t.Fatal(err)
			}
			est, err := timing.Estimate(plan, g, table)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []struct {
				what string
				path timing.Path
			}{{"apply", est.Apply}, {"destroy", est.Destroy}} {
				if p.path.Total.Minutes() < 5 || len(p.path.Steps) == 0 {
					t.Errorf("%s %s: %v over %d steps, want minutes along named resources", name, p.what, p.path.Total, len(p.path.Steps))
				}
				for _, s := range p.path.Steps {
					if !strings.HasPrefix(s.Address, "module.stack.") || s.Type == "" {
						t.Errorf("%s %s: step %+v names no resource of the stack", name, p.what, s)
					}
				}
				t.Logf("%s %s: %.1f min", name, p.what, p.path.Total.Minutes())
			}
			if name == "prod" && !onPath(est.Apply, "aws_db_instance") {
				t.Errorf("prod apply: the Multi-AZ database is not on the critical path: %+v", est.Apply.Steps)
			}
		})
	}
}

func onPath(p timing.Path, typ string) bool {
	for _, s := range p.Steps {
		if s.Type == typ {
			return true
		}
	}
	return false
}

// planAndGraph plans envName with real settings in a home and state of its own and returns the plan and the
// root's `terraform graph` (which, loading the S3 backend, needs the initialized working directory).
func planAndGraph(t *testing.T, tool terraform.Tool, moto *emulator.Server, envName string) (*tfjson.Plan, []byte) {
	t.Helper()
	ctx := context.Background()
	home := t.TempDir()
	rc, err := terraform.PrepareCLIConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	r, err := terraform.New(terraform.Options{
		Tool: tool, Home: home, Root: filepath.Join(repoRoot(t), "terraform", "envs", envName),
		Target: "timing", Env: envName, CLIConfig: rc, ExtraEnv: moto.Env(region),
		Vars: map[string]string{"emulator_mode": "false"},
	})
	if err != nil {
		t.Fatal(err)
	}
	backend := emulator.BackendConfig(envName, region)
	backend["key"] = envName + "-timing/terraform.tfstate"
	if err := r.Init(ctx, backend); err != nil {
		t.Fatalf("init %s: %v", envName, err)
	}
	if _, err := r.Plan(ctx, nil); err != nil {
		t.Fatalf("plan %s with emulator_mode=false: %v", envName, err)
	}
	raw, err := r.PlanJSON(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	dot, err := r.Graph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &plan, dot
}
