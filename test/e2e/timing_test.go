package e2e

import (
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/timing"
	tfjson "github.com/hashicorp/terraform-json"
)

// checkTiming times a plan of envName with real settings (what AWS would get) with internal/timing: every
// planned resource type has a row in the durations table, and the expected apply and destroy take minutes along
// named resources of the stack (for prod, through the Multi-AZ database). dot is the root's `terraform graph`.
func checkTiming(t *testing.T, envName string, plan *tfjson.Plan, dot []byte) {
	t.Helper()
	table, err := timing.Default()
	if err != nil {
		t.Fatal(err)
	}
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
			t.Errorf("%s %s: %v over %d steps, want minutes along named resources", envName, p.what, p.path.Total, len(p.path.Steps))
		}
		for _, s := range p.path.Steps {
			if !strings.HasPrefix(s.Address, "module.stack.") || s.Type == "" {
				t.Errorf("%s %s: step %+v names no resource of the stack", envName, p.what, s)
			}
		}
		t.Logf("%s %s: %.1f min", envName, p.what, p.path.Total.Minutes())
	}
	if envName == "prod" && !onPath(est.Apply, "aws_db_instance") {
		t.Errorf("prod apply: the Multi-AZ database is not on the critical path: %+v", est.Apply.Steps)
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
