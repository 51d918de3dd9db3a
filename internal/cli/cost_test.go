package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// fixturePlan is internal/cost's fixture: every priced resource type (its region us-east-1, no environment).
var fixturePlan, _ = filepath.Abs("../cost/testdata/plan.json")

// costHome is a repository of its own (EC2STACK_HOME) with the committed usage files and the contract, every
// environment's budget set to budget.
func costHome(t testing.TB, budget string) string {
	t.Helper()
	home := t.TempDir()
	for _, name := range env.Names {
		src := filepath.Join("..", "..", "terraform", "envs", name, "usage.yaml")
		copyFile(t, src, filepath.Join(home, "terraform", "envs", name, "usage.yaml"))
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "policy", "contract.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b = regexp.MustCompile(`monthly_usd: \S+`).ReplaceAll(b, []byte("monthly_usd: "+budget))
	putFile(t, filepath.Join(home, "policy", "contract.yaml"), b)
	t.Setenv(env.HomeVar, home)
	return home
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	putFile(t, dst, b)
}

func putFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCost runs ec2stack with args and returns the exit code and the output streams.
func runCost(t testing.TB, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCostCommand(t *testing.T) {
	costHome(t, "1000")
	code, out, errOut := runCost(t, "cost", "prod", "--plan", fixturePlan)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, s := range []string{"Cost of prod a month, USD (us-east-1 prices of 2026-05; usage: terraform/envs/prod/usage.yaml)",
		"module.stack.module.compute.aws_autoscaling_group.this", "t3a.large Spot instances", "total ",
		"within the budget of 1000.00", "Without a line of their own:", "gateway endpoints are free",
		"aws_elasticache_cluster", "What the plan changes (expected, a month): 37.35 ->", "Not included:"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "Cost levers") || !strings.Contains(errOut, "warning: aws_elasticache_cluster is not in internal/price/prices.yaml") {
		t.Errorf("levers without --savings, or no warning: %s", errOut)
	}
	if _, out, _ := runCost(t, "cost", "prod", "--plan", fixturePlan, "--savings"); !strings.Contains(out, "Cost levers in prod") || !strings.Contains(out, "one NAT gateway instead of one per zone") {
		t.Errorf("--savings:\n%s", out)
	}
	_, md, _ := runCost(t, "cost", "prod", "--plan", fixturePlan, "--markdown", "--savings")
	if !strings.HasPrefix(md, "### Cost of `prod`: USD ") || !strings.Contains(md, "| Cost lever | In use |") || !strings.Contains(md, "| **total** |") {
		t.Errorf("--markdown:\n%s", md)
	}
	_, doc, _ := runCost(t, "cost", "prod", "--plan", fixturePlan, "--json")
	var r struct {
		Total      struct{ Low, Expected, High float64 } `json:"total_usd"`
		Lines      []json.RawMessage                     `json:"lines"`
		Unpriced   []json.RawMessage                     `json:"unpriced"`
		Levers     []json.RawMessage                     `json:"levers"`
		Budget     float64                               `json:"budget_usd"`
		OverBudget bool                                  `json:"over_budget"`
	}
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		t.Fatalf("--json: %v\n%s", err, doc)
	}
	if !(r.Total.Low > 0 && r.Total.Low <= r.Total.Expected && r.Total.Expected <= r.Total.High) || len(r.Lines) < 30 ||
		len(r.Unpriced) != 4 || len(r.Levers) != 8 || r.Budget != 1000 || r.OverBudget {
		t.Errorf("--json: %+v (%d lines, %d unpriced, %d levers)", r.Total, len(r.Lines), len(r.Unpriced), len(r.Levers))
	}
}

// TestCostOverBudget: a budget below the expected total exits 5, naming both; the table is printed first.
func TestCostOverBudget(t *testing.T) {
	costHome(t, "10")
	code, out, errOut := runCost(t, "cost", "prod", "--plan", fixturePlan)
	if code != ExitOverBudget || !strings.Contains(errOut, "ec2stack: cost prod: expected USD ") ||
		!strings.Contains(errOut, "a month is over the budget of USD 10.00 (policy/contract.yaml)") || !strings.Contains(out, "OVER the budget of 10.00") {
		t.Errorf("exit %d\n%s\n%s", code, errOut, out)
	}
}

// TestCostUsageErrors: bad input is a one-line usage error naming the value; nothing is priced.
func TestCostUsageErrors(t *testing.T) {
	home := costHome(t, "1000")
	bad := filepath.Join(home, "bad.yaml")
	putFile(t, bad, []byte("nat_data_gb: -5\n"))
	notPlan := filepath.Join(home, "notplan.json")
	putFile(t, notPlan, []byte(`{"hello": 1}`))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"cost", "prod", "--plan", fixturePlan, "--usage", bad}, "nat_data_gb = -5: must be 0 or more"},
		{[]string{"cost", "prod", "--plan", fixturePlan, "--usage", filepath.Join(home, "none.yaml")}, "none.yaml: no such file or directory"},
		{[]string{"cost", "prod", "--plan", notPlan}, "notplan.json is not the JSON of a terraform plan"},
		{[]string{"cost", "prod", "--plan", filepath.Join(home, "missing.json")}, "--plan " + filepath.Join(home, "missing.json") + ": no such file or directory"},
	} {
		code, out, errOut := runCost(t, c.args...)
		if code != ExitUsage || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 naming %q", c.args[3:], code, errOut, out, c.want)
		}
	}
}

// savePlan records a checked plan of env the way `ec2stack plan` does on the emulator target: the plan file,
// the checked plan with real settings and its JSON, and the gate record of both.
func savePlan(t testing.TB, home, name string) string {
	t.Helper()
	planFile := terraform.PlanFile(home, "emulator", name)
	checked := terraform.PlanFile(home, "emulator-real-settings", name)
	putFile(t, planFile, []byte("PK\x03\x04 a plan of "+name))
	putFile(t, checked, []byte("PK\x03\x04 the real-settings plan of "+name))
	copyFile(t, fixturePlan, checked+".json")
	if err := deploy.RecordGate(deploy.Gate{Environment: name, Target: "emulator", PlanFile: planFile, CheckedPlan: checked, Clean: true}); err != nil {
		t.Fatal(err)
	}
	return checked
}

// TestCostSavedPlans: cost ENV reads the plan the gate checked; --compare prints the environments side by
// side; a saved plan changed since its check, or none, is refused with the command to run.
func TestCostSavedPlans(t *testing.T) {
	home := costHome(t, "1000")
	if code, _, errOut := runCost(t, "cost", "dev"); code != ExitFailure || !strings.Contains(errOut, "no saved plan of dev on emulator: run `ec2stack plan dev` first, or pass --plan FILE") {
		t.Errorf("no saved plan: exit %d, %s", code, errOut)
	}
	for _, name := range env.Names {
		savePlan(t, home, name)
	}
	code, out, errOut := runCost(t, "cost", "dev")
	if code != ExitOK || !strings.Contains(out, "Cost of dev a month") || !strings.Contains(out, "within the budget of 1000.00") {
		t.Errorf("cost dev from the saved plan: exit %d\n%s\n%s", code, errOut, out)
	}
	code, out, errOut = runCost(t, "cost", "--compare", "dev,staging,prod")
	if code != ExitOK || !strings.Contains(out, "aws_autoscaling_group") || !strings.Contains(out, "total, expected") {
		t.Errorf("--compare: exit %d\n%s\n%s", code, errOut, out)
	}
	head := strings.Fields(strings.SplitN(out, "\n", 2)[0])
	if strings.Join(head[len(head)-3:], " ") != "dev staging prod" {
		t.Errorf("--compare header %q", head)
	}
	if _, md, _ := runCost(t, "cost", "--compare", "dev,prod", "--markdown"); !strings.Contains(md, "|---|---:|---:|") {
		t.Errorf("--compare --markdown:\n%s", md)
	}
	_, doc, _ := runCost(t, "cost", "--compare", "dev,prod", "--json")
	var envs struct {
		Environments []struct {
			Env string `json:"environment"`
		} `json:"environments"`
	}
	if err := json.Unmarshal([]byte(doc), &envs); err != nil || len(envs.Environments) != 2 || envs.Environments[1].Env != "prod" {
		t.Errorf("--compare --json: %v %+v", err, envs)
	}
	checked := terraform.PlanFile(home, "emulator-real-settings", "prod")
	putFile(t, checked, []byte("PK\x03\x04 planned again, not checked"))
	if code, _, errOut := runCost(t, "cost", "prod"); code != ExitFailure || !strings.Contains(errOut, "changed since `ec2stack plan prod` recorded it: run it again") {
		t.Errorf("a changed plan: exit %d, %s", code, errOut)
	}
}

// BenchmarkCostCommand is `ec2stack cost dev --plan` on dev's real plan (the policy benchmark's), the whole
// command: reading the plan, the contract and the usage file, pricing, printing.
func BenchmarkCostCommand(b *testing.B) {
	costHome(b, "1000")
	plan := filepath.Join(b.TempDir(), "dev.json")
	putFile(b, plan, gunzip(b, "../policy/testdata/bench/dev-plan.json.gz"))
	for b.Loop() {
		if code, _, errOut := runCost(b, "cost", "dev", "--plan", plan); code != ExitOK {
			b.Fatalf("exit %d: %s", code, errOut)
		}
	}
}

func gunzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
