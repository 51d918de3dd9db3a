package cost

import (
	"encoding/json"
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

// home is the repository root (two levels above this package).
const home = "../.."

func catalog(t testing.TB) *price.Catalog {
	t.Helper()
	c, err := price.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixturePlan is testdata/plan.json: every priced resource type, a NAT gateway being deleted, a resource type
// the table does not know, resources whose planned values are all unknown.
func fixturePlan(t testing.TB) *tfjson.Plan {
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

func fixtureUsage() Usage {
	return Usage{NATDataGB: 100, EndpointDataGB: 40, ALBDataGB: 30, RequestsMillion: 9, CloudFrontDataGB: 50,
		DNSQueriesMillion: 2, LogGBPerDay: 1, AccessLogGBPerMonth: 10, DatabaseDataGB: 40, VolumeDataGB: 5, DailyChangePercent: 10}
}

func estimate(t testing.TB, plan *tfjson.Plan, u Usage, budget *float64) Report {
	t.Helper()
	r, err := Estimate(plan, Options{Env: "test", Prices: catalog(t), Usage: u, Budget: budget, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func fixture(t testing.TB, u Usage) Report { return estimate(t, fixturePlan(t), u, nil) }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// line finds the line of address with what.
func line(t *testing.T, r Report, address, what string) Line {
	t.Helper()
	for _, l := range r.Lines {
		if l.Address == address && l.What == what {
			return l
		}
	}
	t.Fatalf("no line %q of %s", what, address)
	return Line{}
}

// TestEstimateFixture prices every line of the fixture for a month from the table's prices and the usage, as
// written out here by hand.
func TestEstimateFixture(t *testing.T) {
	u := fixtureUsage()
	r := fixture(t, u)
	const (
		m   = "module.stack.module."
		h   = 730.0
		asg = m + "compute.aws_autoscaling_group.this"
	)
	if r.Region != "us-east-1" || r.PricesAsOf != "2026-05" || r.PricesStale || r.Hours != h || r.Resources != 23 {
		t.Errorf("header: %s, %s, stale %v, %g h, %d to create", r.Region, r.PricesAsOf, r.PricesStale, r.Hours, r.Resources)
	}
	// min 2, desired 4, no max (taken as desired); base 1 on-demand, then 50 %: 2 -> 2 on-demand, 4 -> 3 + 1 Spot
	for _, c := range []struct {
		address, what string
		want          Amount
	}{
		{asg, "t3.medium on-demand instances", Amount{2 * h * 0.0416, 3 * h * 0.0416, 3 * h * 0.0416}},
		{asg, "t3a.large Spot instances", Amount{0, 1 * h * 0.0752 * 0.35, 1 * h * 0.0752 * 0.40}},
		{asg, "gp3 volumes", Amount{2 * 30 * 0.08, 4 * 30 * 0.08, 4 * 30 * 0.08}},
		{asg, "detailed monitoring", Amount{2 * 2.10, 4 * 2.10, 4 * 2.10}},
		{m + `network.aws_nat_gateway.this["a"]`, "NAT gateway", flat(h * 0.045)},
		{m + `network.aws_nat_gateway.this["b"]`, "NAT data processed", flat(50 * 0.045)},
		{m + `network.aws_eip.nat["a"]`, "public IPv4 address", flat(h * 0.005)},
		{m + "compute.aws_lb.this", "application load balancer", flat(h * 0.0225)},
		{m + "compute.aws_lb.this", "load balancer capacity units", flat(9e6 / 90000 * 0.008)}, // requests beat 30 GB
		{m + "compute.aws_lb.this", "public IPv4 addresses (nodes)", flat(3 * h * 0.005)},      // subnets unknown: 3 zones
		{m + `network.aws_vpc_endpoint.interface["ssm"]`, "interface endpoint ssm", flat(3 * h * 0.01)},
		{m + `network.aws_vpc_endpoint.interface["ec2"]`, "interface endpoint ec2", flat(2 * h * 0.01)},
		{m + `network.aws_vpc_endpoint.interface["ec2"]`, "endpoint data processed", flat(20 * 0.01)},
		{m + "database[0].aws_db_instance.this", "database mysql db.t3.medium (Multi-AZ)", flat(2 * h * 0.068)},
		{m + "database[0].aws_db_instance.this", "database storage (Multi-AZ)", flat(2 * 50 * 0.115)},
		{m + "database[0].aws_db_instance.this", "master password secret", flat(0.40)},
		{m + "database[0].aws_db_instance.replica[0]", "read replica mysql db.t3.micro (single-AZ)", flat(h * 0.017)},
		{m + `security.aws_kms_key.this["ebs"]`, "customer managed key", flat(1)},
		{m + "edge.aws_wafv2_web_acl.cloudfront[0]", "rules and rule groups", flat(3)},
		{m + "edge.aws_wafv2_web_acl.cloudfront[0]", "requests inspected", flat(9 * 0.60)},
		{m + "edge.aws_cloudfront_distribution.this[0]", "distribution", flat(0)},
		{m + "edge.aws_cloudfront_distribution.this[0]", "data to viewers", flat(50 * 0.085)},
		{m + "edge.aws_cloudfront_distribution.this[0]", "HTTPS requests", flat(900 * 0.01)},
		{m + "edge.aws_route53_zone.this[0]", "hosted zone", flat(0.50)},
		{m + "edge.aws_route53_zone.this[0]", "DNS queries", flat(2 * 0.40)},
		{m + `monitoring.aws_cloudwatch_metric_alarm.this["cpu"]`, "alarm", flat(0.10)},
		{m + `monitoring.aws_cloudwatch_metric_alarm.this["fast"]`, "high-resolution alarm", flat(0.30)},
		{m + "monitoring.aws_cloudwatch_composite_alarm.service_down[0]", "composite alarm", flat(0.50)},
		{m + "monitoring.aws_cloudwatch_dashboard.this", "dashboard", flat(3)},
	} {
		got := line(t, r, c.address, c.what).Monthly
		if !near(got.Low, c.want.Low) || !near(got.Expected, c.want.Expected) || !near(got.High, c.want.High) {
			t.Errorf("%s %s = %+v, want %+v", c.address, c.what, got, c.want)
		}
	}
	// The NAT gateway being deleted is not in the total: it is the prior state, and the diff removes it (all
	// the NAT data went through it); everything else is added.
	for _, l := range r.Lines {
		if strings.Contains(l.Address, "nat_gateway.old") {
			t.Errorf("a deleted NAT gateway is priced: %+v", l)
		}
	}
	if want := flat(h*0.045 + 100*0.045); !near(r.Before.Expected, want.Expected) {
		t.Errorf("before = %+v, want the old NAT gateway's %+v", r.Before, want)
	}
	removed := 0
	for _, ch := range r.Changes {
		if strings.Contains(ch.Address, "nat_gateway.old") {
			removed++
			if ch.After != (Amount{}) || ch.Delta.Expected >= 0 {
				t.Errorf("removal: %+v", ch)
			}
		}
	}
	if removed != 2 || len(r.Changes) != len(r.Lines)-countZero(r.Lines)+2 {
		t.Errorf("%d changes (%d removals) for %d lines", len(r.Changes), removed, len(r.Lines))
	}
	var unpriced []string
	for _, u := range r.Unpriced {
		unpriced = append(unpriced, u.Type+": "+u.Class+": "+u.Reason)
	}
	want := []string{"aws_elasticache_cluster: not priced: not in internal/price/prices.yaml: its cost is unknown",
		"aws_launch_template: free: no charge of its own", "aws_vpc: free: no charge of its own", "aws_vpc_endpoint: free: gateway endpoints are free"}
	if !slices.Equal(unpriced, want) {
		t.Errorf("unpriced = %q, want %q", unpriced, want)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "aws_elasticache_cluster is not in") {
		t.Errorf("warnings = %v", r.Warnings)
	}
	total := Amount{}
	for _, l := range r.Lines {
		total = total.plus(l.Monthly)
	}
	if total != r.Total || !(r.Total.Low < r.Total.Expected && r.Total.Expected <= r.Total.High) {
		t.Errorf("total %+v, lines add up to %+v", r.Total, total)
	}
}

func countZero(lines []Line) int {
	n := 0
	for _, l := range lines {
		if nearZero(l.Monthly) {
			n++
		}
	}
	return n
}

// TestPricersMatchTheTable: cost prices exactly the resource types the price table lists as priced.
func TestPricersMatchTheTable(t *testing.T) {
	tb, err := price.For("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
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
		t.Errorf("the table prices %v; cost prices %v", table, counted)
	}
}

// TestEstimateErrors: a size or a region the table has no price for fails, naming it; nothing is priced at zero.
func TestEstimateErrors(t *testing.T) {
	p := fixturePlan(t)
	for _, rc := range p.ResourceChanges {
		if rc.Type == "aws_db_instance" && rc.Name == "this" {
			rc.Change.After.(map[string]any)["instance_class"] = "db.r6g.16xlarge"
		}
	}
	_, err := Estimate(p, Options{Env: "test", Prices: catalog(t)})
	if err == nil || !strings.Contains(err.Error(), `no us-east-1 price for rds_mysql "db.r6g.16xlarge" in internal/price/prices.csv`) {
		t.Errorf("an unpriced class: %v", err)
	}
	p = fixturePlan(t)
	p.PlannedValues.Outputs["region"].Value = "eu-west-1"
	if _, err := Estimate(p, Options{Env: "test", Prices: catalog(t)}); err == nil || !strings.Contains(err.Error(), `no prices for region "eu-west-1"`) {
		t.Errorf("a region without prices: %v", err)
	}
	p.PlannedValues.Outputs["region"].Value = "us-west-2"
	if r, err := Estimate(p, Options{Env: "test", Prices: catalog(t)}); err != nil || r.Region != "us-west-2" {
		t.Errorf("us-west-2: %v, %v", r.Region, err)
	}
}

// TestStaleAndBudget: prices more than a year old warn; an expected total over the budget says so.
func TestStaleAndBudget(t *testing.T) {
	r, err := Estimate(fixturePlan(t), Options{Env: "test", Prices: catalog(t), Now: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.PricesStale || !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, "more than a year old") }) {
		t.Errorf("stale prices: %v %v", r.PricesStale, r.Warnings)
	}
	total := fixture(t, Usage{}).Total.Expected
	for budget, over := range map[float64]bool{total - 1: true, total + 1: false, total: false} {
		b := budget
		if r := estimate(t, fixturePlan(t), Usage{}, &b); r.OverBudget != over || *r.Budget != b {
			t.Errorf("budget %.4f for a total of %.4f: over = %v", b, total, r.OverBudget)
		}
	}
}
