package verify

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/contract"
)

func committedEnvironment(t *testing.T, name string) contract.Environment {
	t.Helper()
	c, err := contract.LoadHome(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.Environment(name)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Expect turns each environment's contract into expectations: exact values, the rules it states, and the
// choices it leaves to the root's outputs.
func TestExpectFromContract(t *testing.T) {
	dev := Expect(committedEnvironment(t, "dev"), false)
	if dev.VPCCIDR != "10.0.0.0/16" || dev.AZCount != 2 || dev.NATMode != NATSingle || dev.InstanceType != "t3.small" ||
		dev.MinSize != 1 || dev.MaxSize != 3 || !dev.AnyDesired || dev.Spot != nil || dev.OffHours != nil ||
		dev.DetailedMonitoring != nil || dev.SSHAllowedCIDRs != nil || dev.BackupRetentionDays != 0 || dev.Edge != nil ||
		dev.DeletionProtection || dev.OnCall || dev.MinLogRetentionDays != 14 || len(dev.Skip) != 0 {
		t.Errorf("dev expectations = %+v", dev)
	}
	if d := dev.Database; d == nil || d.InstanceClass != "db.t3.micro" || d.MultiAZ || d.DeletionProtection || d.BackupRetentionDays != 7 {
		t.Errorf("dev database expectations = %+v", d)
	}
	prod := Expect(committedEnvironment(t, "prod"), true)
	if prod.NATMode != NATPerAZ || prod.AZCount != 3 || *prod.Spot || *prod.OffHours || !*prod.DetailedMonitoring ||
		prod.SSHAllowedCIDRs == nil || len(prod.SSHAllowedCIDRs) != 0 || prod.BackupRetentionDays != 30 || !prod.BackupCrossRegionCopy ||
		prod.Edge == nil || !prod.HTTPSListener || !prod.DeletionProtection || !prod.OnCall || !slices.Equal(prod.Skip, EmulatorSkips) {
		t.Errorf("prod expectations on the emulator = %+v", prod)
	}
	if d := prod.Database; !d.MultiAZ || !d.DeletionProtection || d.BackupRetentionDays != 30 || d.InstanceClass != "db.t3.medium" {
		t.Errorf("prod database expectations = %+v", d)
	}
}

// Run reports, per domain, which checks ran; the emulator's skips are not among them.
func TestRunReportsChecks(t *testing.T) {
	s, w := fullBase()
	w.Skip = []string{"edge.security_headers"}
	r := Run(s, w)
	if !r.Holds() || r.Checks() < 80 || len(r.Domains) != len(domains) || !slices.Equal(r.Skipped, w.Skip) {
		t.Fatalf("Run on a healthy full stack: holds %t, %d checks, %d domains, skipped %v", r.Holds(), r.Checks(), len(r.Domains), r.Skipped)
	}
	seen := map[string]string{}
	for _, d := range r.Domains {
		for _, c := range d.Checks {
			if other, dup := seen[c]; dup && !strings.HasPrefix(c, "log_bucket") { // the ALB's and CloudFront's buckets
				t.Errorf("check %s reported by %s and %s", c, other, d.Name)
			}
			seen[c] = d.Name
		}
	}
	for _, c := range []string{"vpc.cidr", "sg.app_ssh", "asg.size", "database.multi_az", "backup.retention", "alerts.alarm_actions", "log_bucket.tls_only", "waf.rules"} {
		if seen[c] == "" {
			t.Errorf("check %s did not run", c)
		}
	}
	if seen["edge.security_headers"] != "" || seen["database.absent"] != "" {
		t.Errorf("skipped or inapplicable checks reported as run: %v", seen)
	}
}
