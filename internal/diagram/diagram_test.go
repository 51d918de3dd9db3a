package diagram

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func prod(t *testing.T) []byte {
	b, err := os.ReadFile("testdata/prod.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBuildProd(t *testing.T) {
	m, err := Build(prod(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.AZs) != 3 || m.AZs[0].Name != "us-east-1a" || m.AZs[0].Subnets != 3 {
		t.Fatalf("AZs = %+v, want 3 (us-east-1a first, 3 subnets each)", m.AZs)
	}
	var types []string
	for _, id := range m.Path {
		if n, ok := m.Node(id); ok {
			types = append(types, n.Type)
		} else {
			types = append(types, id)
		}
	}
	want := "users aws_route53_zone aws_cloudfront_distribution aws_lb aws_autoscaling_group aws_db_instance"
	if got := strings.Join(types, " "); got != want {
		t.Fatalf("path = %s, want %s", got, want)
	}
	tiers := map[string]string{}
	for _, n := range m.Nodes {
		tiers[n.Type] = n.Tier
		if n.Action != Create {
			t.Errorf("%s: action %s, the fixture plans from an empty state", n.Address, n.Action)
		}
	}
	for typ, tier := range map[string]string{"aws_cloudfront_distribution": Edge, "aws_wafv2_web_acl": Edge, "aws_lb": Public, "aws_nat_gateway": Public, "aws_launch_template": App, "aws_db_instance": Data, "aws_backup_vault": Support, "aws_sns_topic": Support} {
		if tiers[typ] != tier {
			t.Errorf("%s in tier %q, want %q", typ, tiers[typ], tier)
		}
	}
	if n, _ := m.Node(m.Path[len(m.Path)-1]); !strings.Contains(n.Label, "standby") {
		t.Errorf("prod database label %q: prod is Multi-AZ", n.Label)
	}
}

func TestActionClasses(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(prod(t), &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc["resource_changes"].([]any) {
		rc := r.(map[string]any)
		ch := rc["change"].(map[string]any)
		switch rc["type"] {
		case "aws_db_instance":
			ch["actions"] = []string{"update"}
		case "aws_sns_topic":
			ch["actions"] = []string{"delete"}
			ch["before"], ch["after"] = ch["after"], nil
		}
	}
	plan, _ := json.Marshal(doc)
	m, err := Build(plan)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, n := range m.Nodes {
		got[n.Action]++
	}
	if got[Update] != 1 || got[Delete] != 1 {
		t.Fatalf("actions %v, want one update (the database) and one delete", got)
	}
	mm := m.Mermaid(Options{Actions: true})
	db, _ := m.Node(m.Path[len(m.Path)-1])
	if db.Action != Update || !strings.Contains(mm, "class legend_update,"+db.ID+" update") {
		t.Fatalf("database %s (%s) not classed update:\n%s", db.ID, db.Action, mm)
	}
	if !strings.Contains(mm, "classDef delete") || strings.Contains(m.Mermaid(Options{}), "classDef") {
		t.Fatal("classDef lines must follow Options.Actions")
	}
	if svg := m.SVG(Options{Actions: true}); !strings.Contains(svg, colours[Update]) || strings.Contains(m.SVG(Options{}), colours[Update]) {
		t.Fatal("SVG colours must follow Options.Actions")
	}
	if m.SVG(Options{}) != m.SVG(Options{}) || m.Mermaid(Options{}) != m.Mermaid(Options{}) {
		t.Fatal("not deterministic")
	}
}

func TestBuildRejectsNonJSON(t *testing.T) {
	if _, err := Build([]byte("not json")); err == nil {
		t.Fatal("want an error")
	}
}
