package lane

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/price"
)

func fixturePlan(t *testing.T) *tfjson.Plan {
	t.Helper()
	b, err := os.ReadFile("testdata/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var p tfjson.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func priceTable(t *testing.T) *price.Table {
	t.Helper()
	tb, err := price.Default()
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestEstimatePlan prices the fixture plan (every priced resource type, a deleted NAT gateway, a resource type
// the table does not know) for 2h10m, billed as 3 h, and checks each line against the table's prices.
func TestEstimatePlan(t *testing.T) {
	tb := priceTable(t)
	e, err := EstimatePlan(fixturePlan(t), tb, "test", 2*time.Hour+10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if e.Hours != 3 || e.Resources != 23 || e.Region != "us-east-1" || e.PricesAsOf != tb.AsOf {
		t.Errorf("estimate header: %g h, %d resources, region %q, prices of %q", e.Hours, e.Resources, e.Region, e.PricesAsOf)
	}
	month := 3 / tb.HoursPerMonth // 3 h as a share of a month
	want := map[string]float64{
		"EC2 instances t3.medium (on-demand)":            3 * 0.0416 * 3, // base 1 + half of the 3 above it, rounded up
		"EC2 instances t3.medium/t3a.large (Spot)":       1 * 0.0752 * (1 - tb.SpotDiscount) * 3,
		"EBS gp3 volumes (GB)":                           (20 + 10) * 4 * 0.08 * month,
		"EC2 detailed monitoring (instances)":            4 * 2.10 * month,
		"NAT gateways":                                   2 * 0.045 * 3, // the deleted one is not counted
		"public IPv4 addresses (Elastic IPs)":            2 * 0.005 * 3,
		"Application Load Balancers":                     0.0225 * 3,
		"public IPv4 addresses (load balancer nodes)":    3 * 0.005 * 3, // subnets unknown: one per zone
		"interface VPC endpoints (endpoint-zones)":       (3 + 2) * 0.01 * 3,
		"RDS mysql db.t3.medium (Multi-AZ)":              0.068 * 2 * 3,
		"RDS storage (GB, Multi-AZ)":                     50 * 0.115 * 2 * month,
		"Secrets Manager secrets (RDS master password)":  0.40 * month,
		"RDS read replica mysql db.t3.micro (single-AZ)": 0.017 * 3,
		"RDS read replica storage (GB, single-AZ)":       50 * 0.115 * month,
		"KMS customer managed keys":                      2 * 1 * month,
		"WAF web ACLs":                                   5 * month,
		"WAF rules and rule groups":                      3 * 1 * month,
		"CloudFront distributions":                       0,
		"Route 53 hosted zones":                          0, // deleted within 12 hours
		"CloudWatch alarms":                              0.10 * month,
		"CloudWatch high-resolution alarms":              0.30 * month,
		"CloudWatch composite alarms":                    0.50 * month,
		"CloudWatch dashboards":                          3 * month,
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
	if got[0] != "EC2 instances t3.medium (on-demand)" || got[len(got)-1] != "CloudWatch dashboards" {
		t.Errorf("lines not in the pricers' order: %v", got)
	}
	if len(e.Notes) != 1 || !strings.Contains(e.Notes[0], "aws_elasticache_cluster not priced") {
		t.Errorf("notes = %v, want one about the unpriced aws_elasticache_cluster", e.Notes)
	}

	var buf bytes.Buffer
	PrintEstimates(&buf, []Estimate{e, e})
	out := buf.String()
	for _, s := range []string{"test: 23 resources to create; expected to exist 2h10m, billed as 3 h", "NAT gateways", "0.045/h",
		"Spot modelled at 60 % off the on-demand 0.0752/h of t3a.large", "total test",
		fmt.Sprintf("Estimated cost of the run: USD %.2f (2 environment(s))", 2*e.USD), "Not included: data transfer"} {
		if !strings.Contains(out, s) {
			t.Errorf("printed estimate lacks %q:\n%s", s, out)
		}
	}
}

// TestEstimateRegionAndSpot: a plan for another region says so; an all-Spot group prices every instance at the
// Spot model; a group without a mixed policy is all on-demand at the launch template's type.
func TestEstimateRegionAndSpot(t *testing.T) {
	tb := priceTable(t)
	p := fixturePlan(t)
	p.PlannedValues.Outputs["region"].Value = "eu-west-1"
	for _, rc := range p.ResourceChanges {
		if rc.Type == "aws_autoscaling_group" {
			after := rc.Change.After.(map[string]any)
			dist := after["mixed_instances_policy"].([]any)[0].(map[string]any)["instances_distribution"].([]any)[0].(map[string]any)
			dist["on_demand_base_capacity"], dist["on_demand_percentage_above_base_capacity"] = 0.0, 0.0
		}
	}
	e, err := EstimatePlan(p, tb, "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(e.Notes, func(n string) bool { return strings.Contains(n, "the plan is for eu-west-1, the prices for us-east-1") }) {
		t.Errorf("notes = %v: want the region mismatch", e.Notes)
	}
	if e.Has("EC2 instances t3.medium (on-demand)") || !e.Has("EC2 instances t3.medium/t3a.large (Spot)") {
		t.Errorf("an all-Spot group: lines %v", e.Lines)
	}
	for _, l := range e.Lines {
		if strings.HasSuffix(l.What, "(Spot)") && l.Quantity != 4 {
			t.Errorf("Spot line: %g instances, want 4", l.Quantity)
		}
	}

	p = fixturePlan(t)
	for _, rc := range p.ResourceChanges {
		if rc.Type == "aws_autoscaling_group" {
			delete(rc.Change.After.(map[string]any), "mixed_instances_policy")
		}
	}
	if e, err = EstimatePlan(p, tb, "test", time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, l := range e.Lines {
		if strings.HasPrefix(l.What, "EC2 instances") && (l.What != "EC2 instances t3.medium (on-demand)" || l.Quantity != 4) {
			t.Errorf("a group without a mixed policy: %q x %g", l.What, l.Quantity)
		}
	}
}

// TestEstimateRefusesUnknownSizes: a size the table has no price for fails the estimate, naming it.
func TestEstimateRefusesUnknownSizes(t *testing.T) {
	p := fixturePlan(t)
	for _, rc := range p.ResourceChanges {
		if rc.Type == "aws_db_instance" && rc.Name == "this" {
			rc.Change.After.(map[string]any)["instance_class"] = "db.r6g.16xlarge"
		}
	}
	_, err := EstimatePlan(p, priceTable(t), "test", time.Hour)
	if err == nil || !strings.Contains(err.Error(), `no price for rds_mysql "db.r6g.16xlarge"`) {
		t.Errorf("EstimatePlan with an unpriced class: %v", err)
	}
}

// TestPricersMatchTheTable: the estimate counts exactly the resource types the price table lists as priced.
func TestPricersMatchTheTable(t *testing.T) {
	tb := priceTable(t)
	var table, counted []string
	for typ := range tb.Resources.Priced {
		table = append(table, typ)
	}
	for _, p := range pricers {
		counted = append(counted, p.typ)
	}
	sort.Strings(table)
	sort.Strings(counted)
	if !slices.Equal(table, counted) {
		t.Errorf("the table prices %v; the estimate counts %v", table, counted)
	}
}

func TestMinutes(t *testing.T) {
	for d, want := range map[time.Duration]string{45 * time.Minute: "45m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h"} {
		if got := minutes(d); got != want {
			t.Errorf("minutes(%s) = %q, want %q", d, got, want)
		}
	}
}
