package contract

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/env"
)

var update = flag.Bool("update", false, "rewrite the README's environment table from the contract")

func committed(t *testing.T) *Contract {
	t.Helper()
	c, err := LoadHome(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The committed contract names exactly the environments the CLI knows, in promotion order.
func TestCommittedContract(t *testing.T) {
	c := committed(t)
	if !slices.Equal(c.Names(), env.Names) {
		t.Fatalf("contract environments %v, CLI environments %v: they must be the same, in the same order", c.Names(), env.Names)
	}
	prod, err := c.Environment("prod")
	if err != nil {
		t.Fatal(err)
	}
	if prod.Name != "prod" || prod.Access.SSH != SSHNone || !prod.DeletionProtection || prod.Network.NATGateways != NATPerAZ {
		t.Errorf("prod requirements read back wrong: %+v", prod)
	}
	if _, err := c.Environment("qa"); err == nil || !strings.Contains(err.Error(), `environment "qa" is not in the environment contract`) {
		t.Errorf("unknown environment: %v", err)
	}
	data, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	envs, _ := data["environments"].(map[string]any)
	dev, _ := envs["dev"].(map[string]any)
	if logs, _ := dev["logs"].(map[string]any); logs["min_retention_days"] != float64(14) {
		t.Errorf("policy data for dev logs = %v, want min_retention_days 14", dev["logs"])
	}
}

// The README's environment table is the contract, rendered: a test fails when they disagree (-update rewrites it).
func TestReadmeTable(t *testing.T) {
	c := committed(t)
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := ReplaceTable(string(b), c.Table())
	if !ok {
		t.Fatalf("README.md has no contract table markers (%q ... %q)", TableBegin, TableEnd)
	}
	if got == string(b) {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's environment table differs from %s: run `go test ./internal/contract -update`", File)
}

func TestInvalidContracts(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", File))
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	for _, tc := range []struct {
		name, old, new, message string
	}{
		{"unknown key", "    edge: false\n", "    edge: false\n    egde: true\n", "field egde not found"},
		{"bad cidr", "vpc_cidr: 10.0.0.0/16", "vpc_cidr: 10.0.0.1/16", `environments.dev.network.vpc_cidr must be an IPv4 network from /16 to /24 such as 10.0.0.0/16; got "10.0.0.1/16"`},
		{"one zone", "availability_zones: 3", "availability_zones: 1", "environments.prod.network.availability_zones must be a whole number from 2 to 3; got 1"},
		{"nat mode", "nat_gateways: per_az", "nat_gateways: none", `environments.prod.network.nat_gateways must be one of single, per_az; got "none"`},
		{"spot", "spot: allowed", "spot: sometimes", `environments.dev.compute.spot must be one of allowed, forbidden; got "sometimes"`},
		{"ssh", "ssh: none", "ssh: open", `environments.prod.access.ssh must be one of restricted, none; got "open"`},
		{"sizes", "{ min: 3, max: 10, desired: 3 }", "{ min: 3, max: 10, desired: 11 }", "environments.prod.compute.instances must be 0 <= min <= desired <= max; got 3 <= 11 <= 10"},
		{"instance type", "instance_type: t3.large", "instance_type: large", `environments.prod.compute.instance_type must be an EC2 instance type such as t3.small; got "large"`},
		{"db class", "instance_class: db.t3.medium", "instance_class: t3.medium", `environments.prod.database.instance_class must be an RDS instance class such as db.t3.micro; got "t3.medium"`},
		{"key window", "min_deletion_window_days: 30", "min_deletion_window_days: 31", "environments.prod.keys.min_deletion_window_days must be a whole number from 7 to 30; got 31"},
		{"alerting", "alerting: on_call", "alerting: pager", `environments.prod.alerting must be one of alarms, on_call; got "pager"`},
		{"version", "version: 1", "version: 2", "version must be 1; got 2"},
		{"approval", "approval: required\n      promote_from: staging", "approval: maybe\n      promote_from: staging", `environments.prod.deployment.approval must be one of required, none; got "maybe"`},
		{"promote from nowhere", "promote_from: staging", "promote_from: qa", `environments.prod.deployment.promote_from must be another environment of the contract (dev, staging, prod) or empty; got "qa"`},
		{"promotion cycle", "promote_from: \"\"", "promote_from: prod", `environments.dev.deployment.promote_from must be a chain of environments without a cycle; got "prod" (it leads back to dev)`},
		{"budget", "monthly_usd: 1000", "monthly_usd: 0", "environments.prod.budget.monthly_usd must be a positive number of USD a month, or null for no budget; got 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(good, tc.old) {
				t.Fatalf("the committed contract has no %q", tc.old)
			}
			_, err := Parse("contract.yaml", []byte(strings.Replace(good, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.message) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got error %v; want one line containing %q", err, tc.message)
			}
		})
	}
}
