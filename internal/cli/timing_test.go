package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func timingFixture(t *testing.T) (plan, dot []byte) {
	t.Helper()
	plan, err := os.ReadFile("../timing/testdata/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	dot, err = os.ReadFile("../timing/testdata/graph.dot")
	if err != nil {
		t.Fatal(err)
	}
	return plan, dot
}

func TestTimingOfAPlan(t *testing.T) {
	plan, dot := timingFixture(t)
	est, err := estimateTiming(plan, dot)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printTiming(&out, "dev", est)
	text := out.String()
	for _, want := range []string{
		"apply: 18.1 min, critical path:",
		"destroy: 15.6 min, critical path:",
		"module.db[0].aws_db_instance.this",
		"aws_subnet.this[\"private-us-east-1a\"]",
		"  0.1  18.0  create  aws_db_instance  1   module.db[0].aws_db_instance.this",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("timing output lacks %q:\n%s", want, text)
		}
	}

	b, err := json.Marshal(timingDoc(est))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Apply struct {
			Minutes      float64 `json:"minutes"`
			CriticalPath []struct {
				Address string  `json:"address"`
				Type    string  `json:"type"`
				Minutes float64 `json:"minutes"`
			} `json:"critical_path"`
		} `json:"apply"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Apply.Minutes != 18.1 || len(doc.Apply.CriticalPath) != 3 || doc.Apply.CriticalPath[2].Type != "aws_db_instance" || doc.Apply.CriticalPath[2].Minutes != 18 {
		t.Errorf("json %s", b)
	}
}

func TestTimingRefusesAPlanWithAnUnknownType(t *testing.T) {
	plan, dot := timingFixture(t)
	plan = bytes.Replace(plan, []byte(`"type": "aws_vpc"`), []byte(`"type": "aws_vpc_lattice_thing"`), 1)
	if _, err := estimateTiming(plan, dot); err == nil || !strings.Contains(err.Error(), "aws_vpc_lattice_thing") {
		t.Fatalf("error %v, want one naming aws_vpc_lattice_thing", err)
	}
}

func TestTimingFlagIsForPlan(t *testing.T) {
	if o, err := parseArgs([]string{"plan", "prod", "--timing"}); err != nil || !o.timing {
		t.Fatalf("plan --timing: %+v, %v", o, err)
	}
	if _, err := parseArgs([]string{"check", "prod", "--timing"}); err == nil || !strings.Contains(err.Error(), "--timing is a flag of `ec2stack plan`, not of check") {
		t.Fatalf("check --timing: %v", err)
	}
}
