package e2e

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/contract"
)

// referenceModel is a published model of the three environments at near-zero traffic, USD a month (1 NAT
// gateway in dev and staging, 3 in prod; 4 interface endpoints; RDS micro/small single-AZ, medium Multi-AZ;
// 1 WAF ACL; 5 keys). The README's "Cost" section explains where ec2stack's estimate differs.
var referenceModel = map[string]float64{"dev": 144, "staging": 245, "prod": 601}

// referenceTolerance is how far the near-zero estimate may be from the reference model.
const referenceTolerance = 0.20

// costReport is the part of `cost --json` the tests read.
type costReport struct {
	Total struct {
		Low, Expected, High float64
	} `json:"total_usd"`
	Lines []struct {
		Address, Type, What string
		Monthly             struct{ Low, Expected, High float64 } `json:"monthly_usd"`
	} `json:"lines"`
	Unpriced []struct {
		Type, Class, Reason string
		Addresses           []string
	} `json:"unpriced"`
	Changes []struct {
		Address, What string
		Delta         struct{ Low, Expected, High float64 } `json:"delta_usd"`
	} `json:"changes"`
	Budget     *float64                   `json:"budget_usd"`
	OverBudget bool                       `json:"over_budget"`
	Before     struct{ Expected float64 } `json:"before_usd"`
}

func costJSON(t *testing.T, sh *shell, args ...string) costReport {
	t.Helper()
	var r costReport
	out := sh.ec2stack(t, append(append([]string{"cost"}, args...), "--json")...)
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("cost %v --json: %v", args, err)
	}
	return r
}

// checkCost prices an environment's real-settings plan through the CLI: the table and the Markdown match their
// golden files (-update rewrites them); every resource of the plan has a line or is listed as free or not
// priced with a reason; the committed root fits its budget; at near-zero traffic the total is within the
// tolerance of the reference model.
func checkCost(t *testing.T, envName, planFile string) {
	t.Helper()
	sh := newShell(t)
	for _, g := range []struct{ ext, flag string }{{"txt", "--savings"}, {"md", "--markdown"}} {
		out := sh.ec2stack(t, "cost", envName, "--plan", planFile, "--savings", g.flag)
		golden(t, filepath.Join("testdata", "cost", envName+"."+g.ext), out)
	}

	r := costJSON(t, sh, envName, "--plan", planFile)
	raw, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		ResourceChanges []struct{ Address, Mode string } `json:"resource_changes"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	accounted := map[string]bool{}
	for _, l := range r.Lines {
		accounted[l.Address] = true
	}
	for _, u := range r.Unpriced {
		if u.Reason == "" || strings.Contains(u.Reason, "cost is unknown") {
			t.Errorf("%s is not priced and not known to be free: %q", u.Type, u.Reason)
		}
		for _, a := range u.Addresses {
			accounted[a] = true
		}
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode == "managed" && !accounted[rc.Address] {
			t.Errorf("%s has neither a line nor a reason", rc.Address)
		}
	}
	c, err := contract.LoadHome(root())
	if err != nil {
		t.Fatal(err)
	}
	e, _ := c.Environment(envName)
	if r.Budget == nil || e.Budget.MonthlyUSD == nil || *r.Budget != *e.Budget.MonthlyUSD || r.OverBudget || r.Total.Expected > *r.Budget {
		t.Errorf("%s: expected %.2f against the contract's budget %v (report: %v, over %v)", envName, r.Total.Expected, e.Budget.MonthlyUSD, r.Budget, r.OverBudget)
	}

	zero := filepath.Join(t.TempDir(), "zero.yaml")
	var keys []string
	for _, k := range []string{"nat_data_gb", "endpoint_data_gb", "alb_data_gb", "requests_million", "cloudfront_data_gb",
		"dns_queries_million", "log_gb_per_day", "access_log_gb_per_month", "database_data_gb", "volume_data_gb", "daily_change_percent"} {
		keys = append(keys, k+": 0")
	}
	if err := os.WriteFile(zero, []byte(strings.Join(keys, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	near := costJSON(t, sh, envName, "--plan", planFile, "--usage", zero)
	ref := referenceModel[envName]
	if off := math.Abs(near.Total.Expected-ref) / ref; off > referenceTolerance {
		t.Errorf("%s at near-zero traffic: %.2f, %.0f %% from the reference model's %.0f (tolerance %.0f %%)", envName, near.Total.Expected, off*100, ref, referenceTolerance*100)
	}
	t.Logf("%s: %.2f a month expected (%.2f-%.2f); near-zero traffic %.2f against the reference %.0f", envName, r.Total.Expected, r.Total.Low, r.Total.High, near.Total.Expected, ref)
}

// checkCostDiff deploys prod's plan on paper (its planned values become the prior state) and changes the
// instance type and then the group's size: the diff names exactly the changed lines and the total moves by
// their price.
func checkCostDiff(t *testing.T, planFile string) {
	t.Helper()
	sh := newShell(t)
	raw, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	const asg, lt = "module.stack.module.compute.aws_autoscaling_group.this[\"blue\"]", "module.stack.module.compute.aws_launch_template.this[\"blue\"]"
	variant := func(edit func(address string, after map[string]any)) string {
		var plan map[string]any
		if err := json.Unmarshal(raw, &plan); err != nil {
			t.Fatal(err)
		}
		for _, x := range plan["resource_changes"].([]any) {
			rc := x.(map[string]any)
			ch := rc["change"].(map[string]any)
			b, _ := json.Marshal(ch["after"])
			var before, after any
			json.Unmarshal(b, &before)
			json.Unmarshal(b, &after)
			ch["before"], ch["actions"] = before, []any{"no-op"}
			if m, ok := after.(map[string]any); ok {
				edit(rc["address"].(string), m)
			}
			ch["after"] = after
		}
		out, _ := json.Marshal(plan)
		path := filepath.Join(t.TempDir(), "prod.json")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	same := costJSON(t, sh, "prod", "--plan", variant(func(string, map[string]any) {}))
	if len(same.Changes) != 0 || math.Abs(same.Before.Expected-same.Total.Expected) > 1e-6 {
		t.Fatalf("prod deployed and planned unchanged: %d changes, %.2f -> %.2f", len(same.Changes), same.Before.Expected, same.Total.Expected)
	}
	const h = 730.0
	smaller := costJSON(t, sh, "prod", "--plan", variant(func(a string, after map[string]any) {
		if a == lt {
			after["instance_type"] = "t3.medium"
		}
	}))
	var whats []string
	for _, c := range smaller.Changes {
		whats = append(whats, c.What)
	}
	if strings.Join(whats, ", ") != "t3.medium on-demand instances, t3.large on-demand instances" {
		t.Errorf("t3.large -> t3.medium: changes %v", whats)
	}
	if d := smaller.Total.Expected - smaller.Before.Expected; math.Abs(d-3*h*(0.0416-0.0832)) > 1e-6 {
		t.Errorf("t3.large -> t3.medium moves the total by %.2f, want %.2f", d, 3*h*(0.0416-0.0832))
	}
	larger := costJSON(t, sh, "prod", "--plan", variant(func(a string, after map[string]any) {
		if a == asg {
			after["min_size"], after["desired_capacity"] = 5.0, 5.0
		}
	}))
	d := larger.Total.Expected - larger.Before.Expected
	if len(larger.Changes) < 3 || d <= 2*h*0.0832 {
		t.Errorf("min 3 -> 5: %d changes, total %+.2f (the instances alone add %.2f, their volumes, monitoring and snapshots more)", len(larger.Changes), d, 2*h*0.0832)
	}
}

// golden compares got with the file at path; -update writes it.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s is stale (run go test ./test/e2e -run TestPlanWithRealSettings -update and review the diff); got:\n%s", path, got)
	}
}
