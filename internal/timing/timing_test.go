package timing

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/terraform"
	tfjson "github.com/hashicorp/terraform-json"
)

func fixture(t *testing.T) (*tfjson.Plan, Graph) {
	t.Helper()
	b, err := os.ReadFile("testdata/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(b, &plan); err != nil {
		t.Fatal(err)
	}
	dot, err := os.ReadFile("testdata/graph.dot")
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseDOT(dot)
	if err != nil {
		t.Fatal(err)
	}
	return &plan, g
}

func defaultTable(t *testing.T) *Table {
	t.Helper()
	tbl, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func addresses(p Path) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Address)
	}
	return out
}

func TestEstimateFixture(t *testing.T) {
	plan, g := fixture(t)
	est, err := Estimate(plan, g, defaultTable(t))
	if err != nil {
		t.Fatal(err)
	}
	// Apply: VPC 3 s, subnet 3 s, then the Multi-AZ instance (18 min); the NAT branch (3 + 120 + 2 s) is shorter.
	if want := 1086 * time.Second; est.Apply.Total != want {
		t.Errorf("apply total %v, want %v", est.Apply.Total, want)
	}
	wantApply := []string{"aws_vpc.this", `aws_subnet.this["private-us-east-1a"]`, "module.db[0].aws_db_instance.this"}
	if got := addresses(est.Apply); strings.Join(got, " ") != strings.Join(wantApply, " ") {
		t.Errorf("apply path %q, want %q", got, wantApply)
	}
	if s := est.Apply.Steps[2]; s.Start != 6*time.Second || s.Duration != 1080*time.Second || s.Type != "aws_db_instance" || s.Action != "create" {
		t.Errorf("database step %+v", s)
	}
	// Destroy: the instance with its final snapshot (15 min), then the subnet it was in, then the VPC.
	if want := 935 * time.Second; est.Destroy.Total != want {
		t.Errorf("destroy total %v, want %v", est.Destroy.Total, want)
	}
	wantDestroy := []string{"module.db[0].aws_db_instance.this", `aws_subnet.this["private-us-east-1a"]`, "aws_vpc.this"}
	if got := addresses(est.Destroy); strings.Join(got, " ") != strings.Join(wantDestroy, " ") {
		t.Errorf("destroy path %q, want %q", got, wantDestroy)
	}
}

func TestMissingTypeIsAnError(t *testing.T) {
	plan, g := fixture(t)
	plan.ResourceChanges[1].Type = "aws_flux_capacitor"
	_, err := Estimate(plan, g, defaultTable(t))
	var missing *MissingTypeError
	if !errors.As(err, &missing) || missing.Type != "aws_flux_capacitor" || !strings.Contains(err.Error(), "aws_flux_capacitor") {
		t.Fatalf("error %v, want a missing type naming aws_flux_capacitor", err)
	}
}

func TestResourceOutsideTheGraphIsAnError(t *testing.T) {
	plan, g := fixture(t)
	plan.ResourceChanges[1].Address = "aws_vpc.other"
	if _, err := Estimate(plan, g, defaultTable(t)); err == nil || !strings.Contains(err.Error(), "aws_vpc.other") {
		t.Fatalf("error %v, want one naming aws_vpc.other", err)
	}
}

// diamond: d depends on b and c, both on a. Weights a 1, b 10, c 20, d 1.
const diamondDOT = `digraph G {
  "b" -> "a";
  "c" -> "a";
  "d" -> "b";
  "d" -> "c";
}`

func diamond(t *testing.T) Graph {
	t.Helper()
	g, err := ParseDOT([]byte(diamondDOT))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func weighed(w map[string]int) func(string) Step {
	return func(n string) Step { return Step{Address: n, Duration: time.Duration(w[n]) * time.Second} }
}

func TestLongestPathOnADiamond(t *testing.T) {
	g := diamond(t)
	p := longest(g.Nodes(), g.DependsOn, weighed(map[string]int{"a": 1, "b": 10, "c": 20, "d": 1}))
	if p.Total != 22*time.Second || strings.Join(addresses(p), " ") != "a c d" {
		t.Fatalf("path %+v, want a c d in 22s", p)
	}
	if p.Steps[1].Start != time.Second || p.Steps[2].Start != 21*time.Second {
		t.Errorf("starts %v %v, want 1s and 21s", p.Steps[1].Start, p.Steps[2].Start)
	}
	// The heavier branch decides: make b the slow one.
	p = longest(g.Nodes(), g.DependsOn, weighed(map[string]int{"a": 1, "b": 30, "c": 20, "d": 1}))
	if p.Total != 32*time.Second || strings.Join(addresses(p), " ") != "a b d" {
		t.Fatalf("path %+v, want a b d in 32s", p)
	}
}

func TestDestroyReversesEdges(t *testing.T) {
	g := diamond(t)
	rev := g.reverse()
	// Reversed, a goes last: after b and c, which go after d.
	p := longest(g.Nodes(), func(n string) []string { return rev[n] }, weighed(map[string]int{"a": 5, "b": 1, "c": 2, "d": 3}))
	if p.Total != 10*time.Second || strings.Join(addresses(p), " ") != "d c a" {
		t.Fatalf("path %+v, want d c a in 10s", p)
	}
}

func TestMeasured(t *testing.T) {
	g := diamond(t)
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	ev := func(typ, addr, action string, at int, elapsed float64) terraform.Event {
		return terraform.Event{Type: typ, Address: addr, Action: action, Time: t0.Add(time.Duration(at) * time.Second), Elapsed: elapsed}
	}
	apply := []terraform.Event{
		ev(terraform.EventApplyStart, "a", "create", 0, 0),
		ev(terraform.EventApplyComplete, "a", "create", 2, 2),
		ev(terraform.EventApplyStart, "b", "create", 2, 0),
		ev(terraform.EventApplyStart, `c["x"]`, "create", 2, 0),
		ev(terraform.EventApplyStart, `c["y"]`, "create", 3, 0),
		ev(terraform.EventApplyComplete, "b", "create", 7, 5),
		ev(terraform.EventApplyComplete, `c["x"]`, "create", 10, 8),
		ev(terraform.EventApplyErrored, `c["y"]`, "create", 15, 12),
		ev(terraform.EventApplyStart, "d", "create", 15, 0),
		{Type: terraform.EventApplyComplete, Address: "d", Elapsed: 4}, // no time: elapsed_seconds
	}
	p := Measured(apply, g)
	if p.Total != 18*time.Second || strings.Join(addresses(p), " ") != `a c["y"] d` {
		t.Fatalf("measured %+v, want a c[\"y\"] d in 18s", p)
	}
	if s := p.Steps[1]; s.Instances != 2 || s.Duration != 12*time.Second || s.Start != 2*time.Second {
		t.Errorf("step %+v, want 2 instances, 12s from 2s", s)
	}

	// A destroy (every change a delete) runs the graph backwards: d first, a last.
	destroy := []terraform.Event{
		ev(terraform.EventApplyStart, "d", "delete", 0, 0),
		ev(terraform.EventApplyComplete, "d", "delete", 3, 3),
		ev(terraform.EventApplyStart, "b", "delete", 3, 0),
		ev(terraform.EventApplyComplete, "b", "delete", 4, 1),
		ev(terraform.EventApplyStart, "a", "delete", 4, 0),
		ev(terraform.EventApplyComplete, "a", "delete", 9, 5),
		ev(terraform.EventApplyStart, "module.extra.aws_thing.z", "delete", 0, 0),
		ev(terraform.EventApplyComplete, "module.extra.aws_thing.z", "delete", 1, 1),
	}
	p = Measured(destroy, g)
	if p.Total != 9*time.Second || strings.Join(addresses(p), " ") != "d b a" {
		t.Fatalf("measured destroy %+v, want d b a in 9s", p)
	}
}

func TestNode(t *testing.T) {
	for in, want := range map[string]string{
		"aws_vpc.this": "aws_vpc.this",
		`module.stack.module.network.aws_subnet.this["a"]`:         "module.stack.module.network.aws_subnet.this",
		"module.stack.module.database[0].aws_db_instance.this":     "module.stack.module.database.aws_db_instance.this",
		`module.x["k"].aws_route53_record.v["_a.b[c]\"d.example"]`: "module.x.aws_route53_record.v",
		"module.stack.module.backup[0].data.aws_region.dr":         "module.stack.module.backup.data.aws_region.dr",
	} {
		if got := Node(in); got != want {
			t.Errorf("Node(%s) = %s, want %s", in, got, want)
		}
	}
	if got := ResourceType(`module.a[1].data.aws_ami.this`); got != "aws_ami" {
		t.Errorf("ResourceType = %s", got)
	}
}

func TestParseDOTRefusesOtherText(t *testing.T) {
	for _, in := range []string{"", "hello", "digraph G {\n}\n"} {
		if _, err := ParseDOT([]byte(in)); err == nil {
			t.Errorf("ParseDOT(%q) accepted", in)
		}
	}
}

func TestLoadTableValidates(t *testing.T) {
	good := "- type: aws_vpc\n  create: 3\n  delete: 5\n  source: \"estimate: API call\"\n"
	if _, err := LoadTable([]byte(good)); err != nil {
		t.Fatalf("good table: %v", err)
	}
	for name, tc := range map[string]struct{ table, want string }{
		"zero create":     {strings.Replace(good, "create: 3", "create: 0", 1), "aws_vpc create = 0"},
		"negative delete": {strings.Replace(good, "delete: 5", "delete: -1", 1), "aws_vpc delete = -1"},
		"no source":       {strings.Replace(good, `source: "estimate: API call"`, `source: ""`, 1), "aws_vpc has no source"},
		"twice":           {good + good, "aws_vpc has two rows"},
		"unknown field":   {good + "  seconds: 3\n", "seconds"},
		"variant no when": {good + "  variants:\n    - create: 1\n      delete: 1\n      source: x\n", "no `when`"},
		"variant source":  {good + "  variants:\n    - when: {a: b}\n      create: 1\n      delete: 1\n", "aws_vpc variant 1 has no source"},
		"empty":           {"", "no rows"},
	} {
		if _, err := LoadTable([]byte(tc.table)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}

func TestVariants(t *testing.T) {
	tbl := defaultTable(t)
	for _, tc := range []struct {
		typ            string
		after, unknown map[string]any
		create         time.Duration
	}{
		{"aws_db_instance", map[string]any{"multi_az": false, "skip_final_snapshot": true}, nil, 540 * time.Second},
		{"aws_db_instance", map[string]any{"multi_az": true, "skip_final_snapshot": true}, nil, 1080 * time.Second},
		{"aws_db_instance", map[string]any{"replicate_source_db": "app"}, nil, 900 * time.Second},
		{"aws_db_instance", map[string]any{"replicate_source_db": nil}, map[string]any{"replicate_source_db": true}, 900 * time.Second},
		{"aws_vpc_endpoint", map[string]any{"vpc_endpoint_type": "Gateway"}, nil, 5 * time.Second},
		{"aws_vpc_endpoint", map[string]any{"vpc_endpoint_type": "Interface"}, nil, 120 * time.Second},
		{"aws_autoscaling_group", map[string]any{"wait_for_capacity_timeout": "0"}, nil, 5 * time.Second},
		{"aws_cloudfront_distribution", map[string]any{"wait_for_deployment": true}, nil, 300 * time.Second},
	} {
		f, err := tbl.Lookup(tc.typ, tc.after, tc.unknown)
		if err != nil || f.Create != tc.create || f.Source == "" {
			t.Errorf("%s %v: %+v, %v; want create %v", tc.typ, tc.after, f, err, tc.create)
		}
	}
	if f, _ := tbl.Lookup("aws_vpc", nil, nil); f.Update != f.Create {
		t.Errorf("update without a figure = %v, want the create's %v", f.Update, f.Create)
	}
}

// Every resource type the modules declare has a row (the end-to-end test checks the planned types themselves).
func TestTableCoversTheModules(t *testing.T) {
	tbl := defaultTable(t)
	files, err := filepath.Glob("../../terraform/modules/*/*.tf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no module files: %v", err)
	}
	block := regexp.MustCompile(`(?m)^resource\s+"([a-z0-9_]+)"`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range block.FindAllStringSubmatch(string(b), -1) {
			if _, err := tbl.Lookup(m[1], nil, nil); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
}
