package e2e

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// lifecycle brings an environment up on a private moto with the real CLI, verifies it through the AWS API
// against want, re-plans expecting no changes, destroys it and checks that nothing tagged with it is left.
func lifecycle(t *testing.T, envName string, want verify.Expectations) {
	requireTerraform(t)
	want.Skip = append(want.Skip, emulatorSkips...)
	moto := startMoto(t)
	cfg := awsConfig(t, moto)
	work := t.TempDir()
	ctx := context.Background()

	up := decode(t, ec2stack(t, work, "up", envName, "--endpoint", moto.Endpoint, "--json"))
	raw, ok := up["outputs"].(map[string]any)
	if !ok || len(raw) == 0 {
		t.Fatalf("up %s --json printed no outputs: %v", envName, up)
	}
	out, err := verify.DecodeOutputs(raw)
	if err != nil {
		t.Fatalf("decoding outputs of %s: %v", envName, err)
	}

	t.Run("verify", func(t *testing.T) {
		snap, err := verify.Collect(ctx, cfg, out)
		if err != nil {
			t.Fatalf("reading %s back from the emulator: %v", envName, err)
		}
		for _, f := range verify.Check(snap, want) {
			t.Error(f.Error())
		}
	})

	t.Run("second plan is empty", func(t *testing.T) {
		doc := decode(t, ec2stack(t, work, "plan", envName, "--endpoint", moto.Endpoint, "--json"))
		var sum terraform.PlanSummary
		b, _ := json.Marshal(doc["plan"])
		if err := json.Unmarshal(b, &sum); err != nil {
			t.Fatalf("plan --json: %v\n%v", err, doc)
		}
		if sum.HasChanges() {
			t.Errorf("re-plan of %s right after apply wants changes: %+v", envName, sum.Changes)
		}
	})

	ec2stack(t, work, "destroy", envName, "--endpoint", moto.Endpoint)
	left, err := verify.Leftovers(ctx, cfg, envName)
	if err != nil {
		t.Fatalf("listing leftovers of %s: %v", envName, err)
	}
	for _, l := range left {
		t.Errorf("left after destroy of %s: %s", envName, l)
	}
}

// emulatorSkips are the checks moto cannot answer (it does not return these settings); each is proven on the
// plan instead (TestPlanWithRealSettings and the modules' terraform tests), see docs/emulator.md.
var emulatorSkips = []string{"database.performance_insights", "database.monitoring", "edge.security_headers"}

// TestDev is the dev environment end to end: the spec's dev values, read back from the emulator.
// SSH is opened to one documentation range to prove the rule is exactly that range.
func TestDev(t *testing.T) {
	t.Setenv("TF_VAR_ssh_authorized_cidrs", `["203.0.113.0/24"]`)
	lifecycle(t, "dev", verify.Expectations{
		Environment:        "dev",
		VPCCIDR:            "10.0.0.0/16",
		AZCount:            2,
		NATMode:            verify.NATSingle,
		InstanceType:       "t3.small",
		MinSize:            1,
		MaxSize:            3,
		DesiredCapacity:    1,
		AppPort:            8080,
		DatabasePort:       5432,
		SSHAllowedCIDRs:    []string{"203.0.113.0/24"},
		Database:           &verify.DatabaseExpectations{Engine: "postgres", BackupRetentionDays: 7},
		Alerts:             true,
		Dashboard:          true,
		AccessLogs:         true,
		OffHours:           true,
		DetailedMonitoring: ptr(false),
	})
}

// TestStaging: t3.medium, 2 to 4 on-demand instances, SSH only from the corporate ranges given.
func TestStaging(t *testing.T) {
	t.Setenv("TF_VAR_ssh_authorized_cidrs", `["198.51.100.0/24","203.0.113.0/25"]`)
	t.Setenv("TF_VAR_domain_name", "staging.example.com")
	lifecycle(t, "staging", verify.Expectations{
		Environment:         "staging",
		VPCCIDR:             "10.1.0.0/16",
		AZCount:             2,
		NATMode:             verify.NATSingle,
		InstanceType:        "t3.medium",
		MinSize:             2,
		MaxSize:             4,
		DesiredCapacity:     2,
		AppPort:             8080,
		DatabasePort:        5432,
		SSHAllowedCIDRs:     []string{"198.51.100.0/24", "203.0.113.0/25"},
		Database:            &verify.DatabaseExpectations{Engine: "postgres", BackupRetentionDays: 14},
		BackupRetentionDays: 14,
		Alerts:              true,
		Dashboard:           true,
		AccessLogs:          true,
		Edge:                &verify.EdgeExpectations{CloudFront: true, WAF: true, Domain: true},
		HTTPSListener:       true,
		OffHours:            true,
		DetailedMonitoring:  ptr(true),
	})
}

// TestProd: t3.large, 3 to 10 instances over 3 AZs with a NAT gateway each, and no SSH rule at all, even when
// the user sets ssh_authorized_cidrs.
func TestProd(t *testing.T) {
	t.Setenv("TF_VAR_ssh_authorized_cidrs", `["203.0.113.0/24"]`)
	t.Setenv("TF_VAR_domain_name", "app.example.com")
	lifecycle(t, "prod", verify.Expectations{
		Environment:     "prod",
		VPCCIDR:         "10.2.0.0/16",
		AZCount:         3,
		NATMode:         verify.NATPerAZ,
		InstanceType:    "t3.large",
		MinSize:         3,
		MaxSize:         10,
		DesiredCapacity: 3,
		AppPort:         8080,
		DatabasePort:    5432,
		SSHAllowedCIDRs: []string{},
		// Deletion protection is off on the emulator (it could not destroy prod); the plan test proves it on.
		Database:            &verify.DatabaseExpectations{Engine: "postgres", MultiAZ: true, BackupRetentionDays: 30},
		BackupRetentionDays: 30,
		Alerts:              true,
		Dashboard:           true,
		AccessLogs:          true,
		Edge:                &verify.EdgeExpectations{CloudFront: true, WAF: true, Domain: true},
		HTTPSListener:       true,
		DetailedMonitoring:  ptr(true),
	})
}

func ptr[T any](v T) *T { return &v }
