package lane

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/price"
)

func fixturePlan(t *testing.T) *tfjson.Plan {
	t.Helper()
	b, err := os.ReadFile("../cost/testdata/plan.json") // internal/cost's fixture: every priced resource type
	if err != nil {
		t.Fatal(err)
	}
	var p tfjson.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func prices(t *testing.T) *price.Catalog {
	t.Helper()
	c, err := price.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEstimatePlan prices the fixture plan for 2h10m, billed as 3 h: what exists by the hour or month, at the
// groups' desired capacity and Spot's middle discount, nothing used (a run carries no traffic), lines of a kind
// summed; and prints it.
func TestEstimatePlan(t *testing.T) {
	e, err := EstimatePlan(fixturePlan(t), prices(t), "test", 2*time.Hour+10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if e.Hours != 3 || e.Resources != 23 || e.Region != "us-east-1" || e.PricesAsOf != "2026-05" {
		t.Errorf("estimate header: %g h, %d resources, region %q, prices of %q", e.Hours, e.Resources, e.Region, e.PricesAsOf)
	}
	month := 3 / 730.0 // 3 h as a share of a month
	want := map[string]float64{
		"t3.medium on-demand instances":              3 * 0.0416 * 3, // base 1 + half of the 3 above it, rounded up
		"t3a.large Spot instances":                   1 * 0.0752 * 0.35 * 3,
		"gp3 volumes":                                (20 + 10) * 4 * 0.08 * month,
		"detailed monitoring":                        4 * 2.10 * month,
		"NAT gateway":                                2 * 0.045 * 3, // the deleted one is not counted
		"public IPv4 address":                        2 * 0.005 * 3,
		"application load balancer":                  0.0225 * 3,
		"public IPv4 addresses (nodes)":              3 * 0.005 * 3, // subnets unknown: one per zone
		"interface endpoint ssm":                     3 * 0.01 * 3,
		"interface endpoint ec2":                     2 * 0.01 * 3,
		"database mysql db.t3.medium (Multi-AZ)":     0.068 * 2 * 3,
		"database storage (Multi-AZ)":                50 * 0.115 * 2 * month,
		"master password secret":                     0.40 * month,
		"read replica mysql db.t3.micro (single-AZ)": 0.017 * 3,
		"read replica storage (single-AZ)":           50 * 0.115 * month,
		"customer managed key":                       2 * 1 * month,
		"web ACL":                                    5 * month,
		"rules and rule groups":                      3 * 1 * month,
		"distribution":                               0,
		"hosted zone":                                0, // deleted within 12 hours
		"alarm":                                      0.10 * month,
		"high-resolution alarm":                      0.30 * month,
		"composite alarm":                            0.50 * month,
		"dashboard":                                  3 * month,
	}
	total := 0.0
	var got []string
	for _, l := range e.Lines {
		got = append(got, l.What)
		w, ok := want[l.What]
		if !ok {
			t.Errorf("unexpected line %q (%g x %s = %.6f)", l.What, l.Quantity, l.Unit, l.USD)
			continue
		}
		if math.Abs(l.USD-w) > 1e-9 {
			t.Errorf("%s: %.6f, want %.6f (%g x %s)", l.What, l.USD, w, l.Quantity, l.Unit)
		}
		total += w
	}
	for what := range want {
		if !slices.Contains(got, what) {
			t.Errorf("no line %q", what)
		}
	}
	if math.Abs(e.USD-total) > 1e-9 {
		t.Errorf("total %.6f, want %.6f", e.USD, total)
	}
	if len(e.Notes) != 1 || !strings.Contains(e.Notes[0], "aws_elasticache_cluster is not in") {
		t.Errorf("notes = %v, want one about the unpriced aws_elasticache_cluster", e.Notes)
	}

	var buf bytes.Buffer
	PrintEstimates(&buf, []Estimate{e, e})
	out := buf.String()
	for _, s := range []string{"test: 23 resources to create; expected to exist 2h10m, billed as 3 h", "NAT gateway", "0.045/h",
		"Spot at 60-70 % off the on-demand 0.0752/h of t3a.large", "total test",
		fmt.Sprintf("Estimated cost of the run: USD %.2f (2 environment(s))", 2*e.USD), "Not included: anything used"} {
		if !strings.Contains(out, s) {
			t.Errorf("printed estimate lacks %q:\n%s", s, out)
		}
	}
}

// TestEstimateRegion: a plan for a region the table has no prices for is refused, naming the region.
func TestEstimateRegion(t *testing.T) {
	p := fixturePlan(t)
	p.PlannedValues.Outputs["region"].Value = "eu-west-1"
	if _, err := EstimatePlan(p, prices(t), "test", time.Hour); err == nil || !strings.Contains(err.Error(), `no prices for region "eu-west-1"`) {
		t.Errorf("EstimatePlan for eu-west-1: %v", err)
	}
}

func TestMinutes(t *testing.T) {
	for d, want := range map[time.Duration]string{45 * time.Minute: "45m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h"} {
		if got := minutes(d); got != want {
			t.Errorf("minutes(%s) = %q, want %q", d, got, want)
		}
	}
}
