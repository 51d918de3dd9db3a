package dr

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/timing"
)

func fixture(t *testing.T, edit func(changes []map[string]any) []map[string]any) ([]byte, timing.Graph) {
	t.Helper()
	b, err := os.ReadFile("testdata/prod.json")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		var plan map[string]any
		if err := json.Unmarshal(b, &plan); err != nil {
			t.Fatal(err)
		}
		var changes []map[string]any
		for _, c := range plan["resource_changes"].([]any) {
			changes = append(changes, c.(map[string]any))
		}
		plan["resource_changes"] = edit(changes)
		if b, err = json.Marshal(plan); err != nil {
			t.Fatal(err)
		}
	}
	dot, err := os.ReadFile("testdata/prod.dot")
	if err != nil {
		t.Fatal(err)
	}
	g, err := timing.ParseDOT(dot)
	if err != nil {
		t.Fatal(err)
	}
	return b, g
}

func prod(t *testing.T) contract.Environment {
	t.Helper()
	c, err := contract.LoadHome("../..")
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.Environment("prod")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func find(t *testing.T, r Report, disruption, store string) Estimate {
	t.Helper()
	for _, e := range r.Estimates {
		if e.Disruption == disruption && e.Store == store {
			return e
		}
	}
	t.Fatalf("no estimate for %s of the %s: %+v", disruption, store, r.Estimates)
	return Estimate{}
}

func without(typ string) func([]map[string]any) []map[string]any {
	return func(changes []map[string]any) []map[string]any {
		var out []map[string]any
		for _, c := range changes {
			if c["type"] != typ {
				out = append(out, c)
			}
		}
		return out
	}
}

func setDB(attr string, v any) func([]map[string]any) []map[string]any {
	return func(changes []map[string]any) []map[string]any {
		for _, c := range changes {
			if c["type"] == "aws_db_instance" {
				c["change"].(map[string]any)["after"].(map[string]any)[attr] = v
			}
		}
		return changes
	}
}

// TestProdMeetsItsObjectives: the committed prod design (Multi-AZ, 30 days of PITR, backups replicated to the DR
// region, instances over 3 zones) meets RTO 4 h / RPO 1 h for every disruption; the figures follow from the plan.
func TestProdMeetsItsObjectives(t *testing.T) {
	planJSON, g := fixture(t, nil)
	r, err := Assess(planJSON, g, prod(t))
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Missed(); len(m) > 0 {
		t.Errorf("prod misses its objectives: %q", m)
	}
	if *r.RTO != 4*time.Hour || *r.RPO != time.Hour {
		t.Errorf("objectives %v / %v, want the contract's 4 h / 1 h", *r.RTO, *r.RPO)
	}
	db := find(t, r, Zone, Database)
	if *db.RPO != 0 || db.RTO != failover.d {
		t.Errorf("Multi-AZ zone loss: RPO %v RTO %v, want 0 and the failover", *db.RPO, db.RTO)
	}
	region := find(t, r, Region, Database)
	if *region.RPO != logUpload.d+logCopy.d || !strings.Contains(region.Recovery, "replicated automated backups (kept 30 days)") {
		t.Errorf("region loss of the database: %+v", region)
	}
	// Rebuild: the Multi-AZ database with its final snapshot (18 min) then its replication (10 min) after the VPC.
	if want := 18*time.Minute + 10*time.Minute + time.Second*time.Duration(vpcCreate(t)); r.Rebuild.Total != want {
		t.Errorf("rebuild %v, want %v: %+v", r.Rebuild.Total, want, r.Rebuild.Steps)
	}
	if app := find(t, r, Region, AppTier); app.RTO != declare.d+r.Rebuild.Total {
		t.Errorf("region loss of the application tier: RTO %v, want declare + rebuild", app.RTO)
	}
	if app := find(t, r, Instance, AppTier); app.RTO != 45*time.Second {
		t.Errorf("instance loss with 3 instances: RTO %v, want the 3 health checks of 15 s", app.RTO)
	}
	vol := find(t, r, Region, Volumes)
	if vol.Judged || vol.RPO == nil || *vol.RPO != 24*time.Hour+dlmStart.d+snapshotCopy.d {
		t.Errorf("volumes: %+v (stateless instances: reported, not judged; the DLM copy's worst case)", vol)
	}
}

func vpcCreate(t *testing.T) int {
	tbl, err := timing.Default()
	if err != nil {
		t.Fatal(err)
	}
	f, err := tbl.Lookup("aws_vpc", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return int(f.Create.Seconds())
}

// TestMissedObjectives: each weaker design misses, naming the store, the disruption and the cause.
func TestMissedObjectives(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func([]map[string]any) []map[string]any
		want string
	}{
		{"no replication: the daily AWS Backup copy is a day old", without("aws_db_instance_automated_backups_replication"),
			"database, region: RPO 33 h > 1 h (restore of the AWS Backup copy in the DR region (rule daily"},
		{"no backup leaves the region", func(c []map[string]any) []map[string]any {
			return without("aws_backup_plan")(without("aws_db_instance_automated_backups_replication")(c))
		}, "database, region: the data is lost (no backup of the database leaves the region)"},
		{"no automated backups", setDB("backup_retention_period", 0), "database, data-corruption: the data is lost (no automated backups"},
		{"single-AZ", setDB("multi_az", false), "database, availability-zone: RTO 54 min > 30 min (single-AZ: point-in-time restore into another zone)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			planJSON, g := fixture(t, tc.edit)
			e := prod(t)
			if tc.name == "single-AZ" { // a half-hour RTO shows the restore's cost
				half := 0.5
				e.Recovery.RTOHours = &half
			}
			r, err := Assess(planJSON, g, e)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(r.Missed(), "\n"); !strings.Contains(got, tc.want) {
				t.Errorf("missed:\n%s\nwant a line containing %q", got, tc.want)
			}
		})
	}
}

// TestNoObjectives: without objectives (dev, staging) everything is reported and nothing missed.
func TestNoObjectives(t *testing.T) {
	planJSON, g := fixture(t, without("aws_db_instance_automated_backups_replication"))
	e := prod(t)
	e.Recovery.RTOHours, e.Recovery.RPOHours = nil, nil
	r, err := Assess(planJSON, g, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Missed()) > 0 || len(r.Estimates) == 0 {
		t.Errorf("without objectives: %d estimates, missed %q", len(r.Estimates), r.Missed())
	}
}

func TestCronInterval(t *testing.T) {
	for expr, want := range map[string]time.Duration{
		"cron(0 5 * * ? *)":     24 * time.Hour,
		"cron(0 5 ? * SUN *)":   7 * 24 * time.Hour,
		"cron(0 5 1 * ? *)":     31 * 24 * time.Hour,
		"cron(0 * * * ? *)":     time.Hour,
		"cron(0 */4 * * ? *)":   4 * time.Hour,
		"cron(0 6,18 * * ? *)":  12 * time.Hour,
		"cron(0 5 ? * MON-FRI)": 24 * time.Hour,
	} {
		if got := cronInterval(expr); got != want {
			t.Errorf("cronInterval(%q) = %v, want %v", expr, got, want)
		}
	}
}

// TestFiguresAreSourced: every figure says where it comes from.
func TestFiguresAreSourced(t *testing.T) {
	for _, f := range []figure{declare, failover, logUpload, logCopy, logReplay, volumeRestore, boot, snapshotCopy, dlmStart} {
		if f.d <= 0 || len(f.source) < 20 {
			t.Errorf("figure %v has no source: %q", f.d, f.source)
		}
	}
}
