package e2e

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/dr"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/timing"
)

// checkRecovery derives the recovery estimates of an environment's real-settings plan: every environment meets
// its objectives (only prod has some), and prod without the replication of its database backups to the DR
// region misses its RPO for a region loss, the daily AWS Backup copy being up to a day and a half old.
func checkRecovery(t *testing.T, envName, planFile string, dot []byte) {
	t.Helper()
	raw, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	g, err := timing.ParseDOT(dot)
	if err != nil {
		t.Fatal(err)
	}
	c, err := contract.LoadHome(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.Environment(envName)
	if err != nil {
		t.Fatal(err)
	}
	r, err := dr.Assess(raw, g, e)
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Missed(); len(m) > 0 {
		t.Errorf("%s misses its recovery objectives: %q", envName, m)
	}
	if len(r.Estimates) < 8 || r.Rebuild.Total < 5*60e9 {
		t.Errorf("%s: %d estimates, rebuild %v: the plan was not read", envName, len(r.Estimates), r.Rebuild.Total)
	}
	if envName != "prod" {
		return
	}
	var plan map[string]any
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, rc := range plan["resource_changes"].([]any) {
		if rc.(map[string]any)["type"] != "aws_db_instance_automated_backups_replication" {
			kept = append(kept, rc)
		}
	}
	if len(kept) == len(plan["resource_changes"].([]any)) {
		t.Fatal("prod's plan does not replicate the database's backups to the DR region")
	}
	plan["resource_changes"] = kept
	weaker, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = dr.Assess(weaker, g, e); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Missed(), "\n"); !strings.Contains(got, "database, region: RPO") {
		t.Errorf("prod without replicated database backups: missed %q, want the region's RPO", got)
	}
}

// checkRecoveryCommand runs `ec2stack dr prod --json` as a user would after planning prod: it passes (exit 0)
// and lists, for each disruption, the database's estimate against prod's objectives.
func checkRecoveryCommand(t *testing.T, sh *shell, ep []string) {
	t.Helper()
	doc := decode(t, sh.ec2stack(t, append([]string{"dr", "prod", "--json"}, ep...)...))
	if m, _ := doc["missed"].([]any); len(m) != 0 {
		t.Errorf("dr prod missed %v", m)
	}
	report, _ := doc["report"].(map[string]any)
	stores := map[string]bool{}
	for _, raw := range report["estimates"].([]any) {
		e := raw.(map[string]any)
		if e["store"] == dr.Database {
			stores[e["disruption"].(string)] = true
		}
	}
	for _, d := range dr.Disruptions {
		if !stores[d] {
			t.Errorf("dr prod has no estimate of the database for %s: %v", d, report["estimates"])
		}
	}
	if report["rpo_objective_ns"] != float64(3600e9) || report["rto_objective_ns"] != float64(4*3600e9) {
		t.Errorf("dr prod objectives %v / %v, want 1 h / 4 h", report["rpo_objective_ns"], report["rto_objective_ns"])
	}
}

// checkDrill runs `ec2stack dr drill prod` on prod as deployed: every step succeeds (the database restored from a
// snapshot and to a point in time, a volume restored into another zone, prod brought up, verified and destroyed
// in the DR region), the estimate of the region loss meets the objectives, and nothing of the drill is left:
// no restored instance, volume or snapshot, no stack in the DR region.
func checkDrill(t *testing.T, sh *shell, moto *emulator.Server, ep []string) {
	t.Helper()
	doc := decode(t, sh.ec2stack(t, append([]string{"dr", "drill", "prod", "--json"}, ep...)...))
	steps, _ := doc["steps"].([]any)
	var names []string
	for _, raw := range steps {
		st := raw.(map[string]any)
		names = append(names, st["step"].(string))
		if st["error"] != nil {
			t.Errorf("drill step %q failed: %v", st["step"], st["error"])
		}
		t.Logf("drill: %-70s %6.1f s  %v", st["step"], st["seconds"], st["result"])
	}
	for _, want := range []string{"database: restore", "to its latest restorable time", "volume: restore", "region: apply in us-west-2", "region: verify in us-west-2", "teardown"} {
		if !strings.Contains(strings.Join(names, "\n"), want) {
			t.Errorf("the drill has no step %q: %q", want, names)
		}
	}
	estimate, _ := doc["estimate"].(map[string]any)
	if estimate == nil || len(estimate["estimates"].([]any)) == 0 {
		t.Errorf("the drill printed no estimate: %v", doc)
	}
	ctx := context.Background()
	cfg := awsConfig(t, moto)
	dbs, err := rds.NewFromConfig(cfg).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range dbs.DBInstances {
		if strings.Contains(aws.ToString(db.DBInstanceIdentifier), "drill") {
			t.Errorf("the drill left the database %s", aws.ToString(db.DBInstanceIdentifier))
		}
	}
	for _, region := range []string{region, "us-west-2"} {
		c := cfg.Copy()
		c.Region = region
		vols, err := ec2.NewFromConfig(c).DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Purpose"), Values: []string{"dr-drill"}}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vols.Volumes {
			t.Errorf("the drill left the volume %s in %s", aws.ToString(v.VolumeId), region)
		}
		vpcs, err := ec2.NewFromConfig(c).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Project"), Values: []string{"ec2stack-dr"}}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vpcs.Vpcs {
			t.Errorf("the drill left the DR stack's VPC %s in %s", aws.ToString(v.VpcId), region)
		}
	}
}
