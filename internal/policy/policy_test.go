package policy

import (
	"io/fs"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/open-policy-agent/opa/v1/ast"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/contract"
)

// committedContract is the repository's environment contract: the fixtures are judged against the real one.
func committedContract(t *testing.T) *contract.Contract {
	t.Helper()
	c, err := contract.LoadHome(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func load(t *testing.T, dirs ...string) *Engine {
	t.Helper()
	e, err := Load(committedContract(t), dirs...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return e
}

type expected struct {
	Address string `json:"address"`
	Value   any    `json:"value"`
}

// key renders an expected or actual finding the way Evaluate renders values (strings as is, null as "",
// anything else as compact JSON).
func key(address string, value any) string {
	switch v := value.(type) {
	case nil:
		return address + " | "
	case string:
		return address + " | " + v
	default:
		return address + " | " + compact(v)
	}
}

// TestRuleFixtures runs every rule over testdata/<rule-id>/: every pass*.json must give no finding of the rule,
// every fail*.json exactly the findings its expect*.json lists (fail-x.json goes with expect-x.json). Every rule
// must have pass.json, fail.json and expect.json; rules that read the environment contract add fixtures of other
// environments (e.g. pass-dev.json).
func TestRuleFixtures(t *testing.T) {
	e := load(t)
	if len(e.Rules()) == 0 {
		t.Fatal("no rules loaded")
	}
	for _, rule := range e.Rules() {
		t.Run(rule.ID+"-"+rule.Name, func(t *testing.T) {
			dir := filepath.Join("testdata", rule.ID)
			for _, name := range []string{"pass.json", "fail.json", "expect.json"} {
				if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
					t.Fatalf("rule %s has no fixture %s: %v", rule.ID, name, err)
				}
			}
			passes, _ := filepath.Glob(filepath.Join(dir, "pass*.json"))
			for _, pass := range passes {
				if got := ruleFindings(t, e, rule.ID, pass); len(got) > 0 {
					t.Errorf("%s: want no finding of %s, got %q", filepath.Base(pass), rule.ID, got)
				}
			}
			fails, _ := filepath.Glob(filepath.Join(dir, "fail*.json"))
			for _, fail := range fails {
				expect := filepath.Join(dir, "expect"+strings.TrimPrefix(filepath.Base(fail), "fail"))
				var want []expected
				b, err := os.ReadFile(expect)
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(b, &want); err != nil {
					t.Fatalf("%s: %v", expect, err)
				}
				if len(want) == 0 {
					t.Fatalf("%s lists no finding: %s must fail", expect, filepath.Base(fail))
				}
				var wantKeys []string
				for _, w := range want {
					wantKeys = append(wantKeys, key(w.Address, w.Value))
				}
				sort.Strings(wantKeys)
				got := ruleFindings(t, e, rule.ID, fail)
				if strings.Join(got, "\n") != strings.Join(wantKeys, "\n") {
					t.Errorf("%s findings of %s:\n got: %q\nwant: %q", filepath.Base(fail), rule.ID, got, wantKeys)
				}
			}
		})
	}
}

func ruleFindings(t *testing.T, e *Engine, id, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, findings, err := e.Evaluate(context.Background(), b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var keys []string
	for _, f := range findings {
		if f.RuleID == id {
			if f.Message == "" || f.Severity == "" || f.RuleName == "" {
				t.Errorf("%s: incomplete finding %+v", path, f)
			}
			keys = append(keys, key(f.Address, f.Value))
		}
	}
	sort.Strings(keys)
	return keys
}

func TestRulesMetadata(t *testing.T) {
	rules := load(t).Rules()
	for i, r := range rules {
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rules not sorted by unique id: %s then %s", rules[i-1].ID, r.ID)
		}
		if r.Name == "" || r.Summary == "" || r.Resolution == "" || !validSeverity(r.Severity) {
			t.Errorf("incomplete metadata: %+v", r)
		}
	}
}

const goodRule = `package ec2stack.rules.%s

import data.ec2stack.lib

metadata := {"id": "%s", "name": "%s", "severity": "LOW", "summary": "s", "resolution": "r", "references": []}

deny contains f if {
	some r in lib.resources("aws_instance")
	f := lib.finding(r, r.values.instance_type, "no instances")
}
`

func writeRule(t *testing.T, dir, file, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, file), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, src, want string
	}{
		{"parse error", "bad.rego", "package ec2stack.rules.bad\n\ndeny contains f if {", "bad.rego"},
		{"compile error", "unsafe.rego", "package ec2stack.rules.unsafe\n\ndeny contains f if { f := x }", "unsafe.rego"},
		{"no metadata", "nometa.rego", "package ec2stack.rules.nometa\n\ndeny contains f if { false; f := 1 }", "ec2stack.rules.nometa ("},
		{"bad severity", "sev.rego", strings.Replace(sprintf(goodRule, "sev", "EC2S-990", "sev"), `"LOW"`, `"URGENT"`, 1), `invalid severity "URGENT"`},
		{"missing field", "nosum.rego", strings.Replace(sprintf(goodRule, "nosum", "EC2S-991", "nosum"), `"summary": "s", `, "", 1), `missing or empty "summary"`},
		{"bad id", "badid.rego", sprintf(goodRule, "badid", "RULE-1", "badid"), `invalid id "RULE-1"`},
		{"duplicate id", "dup.rego", sprintf(goodRule, "dup", "EC2S-101", "dup"), "id EC2S-101 is also used by ec2stack.rules."},
		{"bad judges", "judges.rego", "package ec2stack.rules.judges\n\nmetadata := {\"id\": \"EC2S-993\", \"name\": \"x\", \"severity\": \"LOW\", \"summary\": \"s\", \"resolution\": \"r\", \"references\": [], \"judges\": \"state\"}\n\ndeny := set()", `invalid judges state: want "result" or "changes"`},
		{"no deny", "nodeny.rego", "package ec2stack.rules.nodeny\n\nmetadata := {\"id\": \"EC2S-992\", \"name\": \"x\", \"severity\": \"LOW\", \"summary\": \"s\", \"resolution\": \"r\", \"references\": []}", "no deny rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeRule(t, dir, tt.file, tt.src)
			_, err := Load(committedContract(t), dir)
			if err == nil {
				t.Fatal("Load: want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("Load error spans lines: %q", err)
			}
		})
	}
	if _, err := Load(committedContract(t), filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Load of a missing dir: want an error")
	}
}

func TestUserRuleDir(t *testing.T) {
	dir := t.TempDir()
	writeRule(t, dir, "instances.rego", sprintf(goodRule, "no_instances", "EC2S-999", "no-instances"))
	writeRule(t, dir, "instances_test.rego", "package ec2stack.rules.no_instances_test\n\ntest_x if true\n")
	writeRule(t, dir, "README.md", "not rego")
	builtin := len(load(t).Rules())
	e := load(t, dir)
	rules := e.Rules()
	if len(rules) != builtin+1 || rules[len(rules)-1].ID != "EC2S-999" {
		t.Fatalf("user rule not added: %d rules, last %+v", len(rules), rules[len(rules)-1])
	}
	plan := `{"format_version": "1.2", "planned_values": {"outputs": {"environment": {"value": "dev"}}},
	  "resource_changes": [{"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
	    "change": {"actions": ["create"], "after": {"instance_type": "t3.micro"}, "after_unknown": {}}}]}`
	env, findings, err := e.Evaluate(context.Background(), []byte(plan))
	if err != nil || env != "dev" {
		t.Fatalf("Evaluate: %q %v", env, err)
	}
	var got []Finding
	for _, f := range findings {
		if f.RuleID == "EC2S-999" {
			got = append(got, f)
		}
	}
	want := Finding{RuleID: "EC2S-999", RuleName: "no-instances", Severity: "LOW", Address: "aws_instance.web", Value: "t3.micro", Message: "no instances"}
	if len(got) != 1 || got[0] != want {
		t.Errorf("findings = %+v, want [%+v]", got, want)
	}
}

func TestNotAPlan(t *testing.T) {
	e := load(t)
	for name, input := range map[string]string{
		"garbage":        "hello",
		"array":          "[1, 2]",
		"state":          `{"format_version": "1.0", "values": {}}`,
		"no environment": `{"format_version": "1.2", "planned_values": {"outputs": {}}, "resource_changes": []}`,
		"unknown env":    `{"format_version": "1.2", "planned_values": {"outputs": {"environment": {"sensitive": false}}}, "resource_changes": []}`,
	} {
		_, _, err := e.Evaluate(context.Background(), []byte(input))
		var npe *NotAPlanError
		if !errors.As(err, &npe) {
			t.Errorf("%s: err = %v, want *NotAPlanError", name, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "not a terraform plan JSON: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: message %q", name, err)
		}
	}
}

var testRules = []Rule{{ID: "EC2S-304", Name: "launch-template-detailed-monitoring", Severity: "LOW"}, {ID: "EC2S-321", Name: "alb-waf", Severity: "HIGH"}}

func testFindings() []Finding {
	return []Finding{
		{RuleID: "EC2S-304", RuleName: "launch-template-detailed-monitoring", Severity: "LOW", Address: "aws_launch_template.this", Value: "monitoring.enabled = false", Message: "off"},
		{RuleID: "EC2S-321", RuleName: "alb-waf", Severity: "HIGH", Address: "aws_lb.this", Value: "no waf", Message: "no waf"},
	}
}

func TestApplyExceptions(t *testing.T) {
	today := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		exceptions   []Exception
		wantFindings []string // rule id + address (+ value for EC2S-000)
		wantExcepted []string
	}{
		{"none", nil, []string{"EC2S-304 aws_launch_template.this", "EC2S-321 aws_lb.this"}, nil},
		{"match", []Exception{{Check: "EC2S-321", Address: "aws_lb.this", Environment: "dev", Reason: "no WAF in dev", Expires: "2026-03-01"}},
			[]string{"EC2S-304 aws_launch_template.this"}, []string{"EC2S-321 aws_lb.this"}},
		{"expired", []Exception{{Check: "EC2S-321", Address: "aws_lb.this", Environment: "dev", Reason: "r", Expires: "2026-02-28"}},
			[]string{"EC2S-000 aws_lb.this", "EC2S-304 aws_launch_template.this", "EC2S-321 aws_lb.this"}, nil},
		{"unmatched", []Exception{{Check: "EC2S-321", Address: "aws_lb.other", Environment: "dev", Reason: "r"}},
			[]string{"EC2S-000 aws_lb.other", "EC2S-304 aws_launch_template.this", "EC2S-321 aws_lb.this"}, nil},
		{"unknown check", []Exception{{Check: "EC2S-777", Address: "aws_lb.this", Environment: "dev", Reason: "r"}},
			[]string{"EC2S-000 aws_lb.this", "EC2S-304 aws_launch_template.this", "EC2S-321 aws_lb.this"}, nil},
		{"other environment", []Exception{{Check: "EC2S-321", Address: "aws_lb.this", Environment: "prod", Reason: "r"}, {Check: "EC2S-777", Address: "x", Environment: "prod", Reason: "r"}},
			[]string{"EC2S-304 aws_launch_template.this", "EC2S-321 aws_lb.this"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Apply("dev", testRules, testFindings(), tt.exceptions, today)
			var got, excepted []string
			for _, f := range r.Findings {
				got = append(got, f.RuleID+" "+f.Address)
				if f.RuleID == ExceptionRule.ID && (f.Severity != "HIGH" || f.RuleName != "exception-file" || f.Value != tt.exceptions[0].Check || f.Message == "") {
					t.Errorf("bad exception finding %+v", f)
				}
			}
			for _, f := range r.Excepted {
				excepted = append(excepted, f.RuleID+" "+f.Address)
				if f.Exception == nil || f.Exception.Reason == "" {
					t.Errorf("excepted finding without its exception: %+v", f)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.wantFindings, ",") || strings.Join(excepted, ",") != strings.Join(tt.wantExcepted, ",") {
				t.Errorf("findings %q excepted %q, want %q and %q", got, excepted, tt.wantFindings, tt.wantExcepted)
			}
			if r.Clean() != (len(tt.wantFindings) == 0) || r.Environment != "dev" {
				t.Errorf("Clean() = %v, Environment %q", r.Clean(), r.Environment)
			}
		})
	}
}

func TestLoadExceptions(t *testing.T) {
	dir := t.TempDir()
	if xs, err := LoadExceptions(filepath.Join(dir, "missing.yaml")); err != nil || len(xs) != 0 {
		t.Fatalf("missing file: %v %v", xs, err)
	}
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte(`exceptions:
  - check: EC2S-304
    address: module.stack.module.compute.aws_launch_template.this
    environment: dev
    reason: detailed monitoring costs money in dev
    expires: 2026-12-31
  - check: EC2S-321
    address: module.stack.module.compute.aws_lb.this
    environment: dev
    reason: no WAF in dev
`), 0o644)
	xs, err := LoadExceptions(good)
	if err != nil || len(xs) != 2 || xs[0].Expires != "2026-12-31" || xs[1].Reason != "no WAF in dev" {
		t.Fatalf("LoadExceptions = %+v, %v", xs, err)
	}
	for name, tt := range map[string]struct{ src, want string }{
		"missing reason": {"exceptions:\n  - check: EC2S-304\n    address: a\n    environment: dev\n  - check: EC2S-1\n", `entry 1: missing "reason"`},
		"missing check":  {"exceptions:\n  - check: EC2S-304\n    address: a\n    environment: dev\n    reason: r\n  - address: b\n", `entry 2: missing "check"`},
		"bad date":       {"exceptions:\n  - check: EC2S-304\n    address: a\n    environment: dev\n    reason: r\n    expires: 31/12/2026\n", `entry 1: invalid "expires" "31/12/2026"`},
		"unknown field":  {"exceptions:\n  - check: EC2S-304\n    adress: a\n", "adress"},
		"not yaml":       {"exceptions: [", "exceptions"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yaml")
		os.WriteFile(path, []byte(tt.src), 0o644)
		_, err := LoadExceptions(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line containing %q", name, err, tt.want)
		}
	}
}

func TestSARIF(t *testing.T) {
	x := Exception{Check: "EC2S-321", Address: "aws_lb.this", Environment: "dev", Reason: "no WAF in dev"}
	r := Apply("dev", testRules, testFindings(), []Exception{x, {Check: "EC2S-304", Address: "gone", Environment: "dev", Reason: "r"}}, time.Now())
	b, err := SARIF(r, "plans/dev.json")
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID                   string                 `json:"id"`
						DefaultConfiguration struct{ Level string } `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string                `json:"ruleId"`
				Level     string                `json:"level"`
				Message   struct{ Text string } `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
				Suppressions []struct{ Kind, Justification string } `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "ec2stack" {
		t.Fatalf("bad SARIF header: %+v", log)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 3 || run.Tool.Driver.Rules[0].DefaultConfiguration.Level != "note" || run.Tool.Driver.Rules[1].DefaultConfiguration.Level != "error" {
		t.Errorf("bad rules: %+v", run.Tool.Driver.Rules)
	}
	if len(run.Results) != 3 {
		t.Fatalf("want 3 results (2 findings, 1 suppressed), got %+v", run.Results)
	}
	for _, res := range run.Results {
		loc := res.Locations[0]
		if loc.PhysicalLocation.ArtifactLocation.URI != "plans/dev.json" || loc.LogicalLocations[0].FullyQualifiedName == "" || !strings.Contains(res.Message.Text, "(value: ") {
			t.Errorf("bad result %+v", res)
		}
		suppressed := len(res.Suppressions) == 1 && res.Suppressions[0].Kind == "external" && res.Suppressions[0].Justification == "no WAF in dev"
		if suppressed != (res.RuleID == "EC2S-321") {
			t.Errorf("result %s suppressions %+v", res.RuleID, res.Suppressions)
		}
	}
}

// The built-in rules pass every compiler check: ec2stack skips the check-only stages for them at run time
// (compile with full = false), so this test is where those checks run.
func TestBuiltinRulesPassEveryCheck(t *testing.T) {
	names, err := fs.Glob(builtin, "rules/*.rego")
	if err != nil || len(names) == 0 {
		t.Fatalf("no built-in rules: %v", err)
	}
	modules := map[string]*ast.Module{}
	for _, name := range names {
		src, err := builtin.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if modules[name], err = ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := compile(modules, true); err != nil {
		t.Fatal(err)
	}
	// And a check-only stage is not skipped for a user's rules: a type error is reported.
	bad, err := ast.ParseModuleWithOpts("user.rego", "package ec2stack.rules.user_bad\n\nx := 1 + \"a\"\n", ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	modules["user.rego"] = bad
	if _, err := compile(modules, true); err == nil || !strings.Contains(err.Error(), "type") {
		t.Errorf("a type error in a user's rule compiled: %v", err)
	}
}
