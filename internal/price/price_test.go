package price

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/contract"
)

// home is the repository root (two levels above this package).
const home = "../.."

func table(t *testing.T) *Table {
	t.Helper()
	tb, err := For("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestDefaultTable(t *testing.T) {
	tb := table(t)
	if tb.Region != "us-east-1" || tb.Currency != "USD" || !regexp.MustCompile(`^\d{4}-\d{2}`).MatchString(tb.AsOf) {
		t.Errorf("table header: region %q, currency %q, as_of %q", tb.Region, tb.Currency, tb.AsOf)
	}
	if len(tb.NotIncluded) == 0 || !strings.Contains(strings.Join(tb.NotIncluded, " "), "data transfer") {
		t.Errorf("not_included must say that data transfer is left out: %v", tb.NotIncluded)
	}
	// The files are the ones the binary embeds.
	for file, emb := range map[string][]byte{File: embeddedCSV, ModelFile: embeddedModel} {
		b, err := os.ReadFile(filepath.Join(home, file))
		if err != nil || string(b) != string(emb) {
			t.Errorf("%s is not what the package embeds (%v)", file, err)
		}
	}
	// A second region the stack supports (its default DR region), with every item us-east-1 has.
	c, _ := Load()
	if got := c.Regions(); !slices.Equal(got, []string{"us-east-1", "us-west-2"}) {
		t.Errorf("regions = %v", got)
	}
	west, err := For("us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(west.ItemNames(), tb.ItemNames()) {
		t.Errorf("us-west-2 items %v differ from us-east-1's %v", west.ItemNames(), tb.ItemNames())
	}
	for _, name := range tb.ItemNames() {
		if it := west.Items[name]; it.Source == "" || it.AsOf == "" || it.Unit != tb.Items[name].Unit {
			t.Errorf("us-west-2 %s: %+v", name, it)
		}
	}
	if _, err := For("eu-west-1"); err == nil || !strings.Contains(err.Error(), `no prices for region "eu-west-1" in internal/price/prices.csv: it has us-east-1, us-west-2`) {
		t.Errorf("a region without prices: %v", err)
	}
}

func TestStale(t *testing.T) {
	tb := &Table{AsOf: "2026-05"}
	if tb.Stale(time.Date(2027, 4, 30, 0, 0, 0, 0, time.UTC)) || !tb.Stale(time.Date(2027, 5, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("prices of 2026-05 should turn stale on 2027-05-01 (age %v)", tb.Age(time.Date(2027, 5, 2, 0, 0, 0, 0, time.UTC)))
	}
}

func TestLookup(t *testing.T) {
	tb := table(t)
	p, err := tb.Lookup("ec2_instance", "t3.medium")
	if err != nil || p.USD != 0.0416 || p.Unit != Hour || p.String() != "0.0416/h" {
		t.Errorf("ec2_instance t3.medium = %+v %q, %v", p, p.String(), err)
	}
	p, err = tb.Lookup("nat_gateway", "")
	if err != nil || p.USD != 0.045 || p.Unit != Hour {
		t.Errorf("nat_gateway = %+v, %v", p, err)
	}
	p, err = tb.Lookup("kms_key", "")
	if err != nil || p.USD != 1 || p.Unit != Month || !p.Prorated || p.String() != "1.00/month" {
		t.Errorf("kms_key = %+v %q, %v", p, p.String(), err)
	}

	_, err = tb.Lookup("ec2_instance", "m5.24xlarge")
	var m *MissingError
	if !errors.As(err, &m) || m.Size != "m5.24xlarge" || !slices.Contains(m.Known, "t3.small") ||
		!strings.Contains(err.Error(), `no us-east-1 price for ec2_instance "m5.24xlarge" in internal/price/prices.csv`) {
		t.Errorf("unknown size: %v", err)
	}
	if _, err := tb.Lookup("elasticache", ""); !errors.As(err, &m) || !slices.Contains(m.Known, "alb") {
		t.Errorf("unknown item: %v", err)
	}
	if _, err := tb.Lookup("nat_gateway", "large"); err == nil {
		t.Error("a size of an unsized item was accepted")
	}
}

func TestCost(t *testing.T) {
	tb := table(t)
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	nat, _ := tb.Lookup("nat_gateway", "")
	near("2 NAT gateways for 3 h", tb.Cost(nat, 2, 3), 0.045*2*3)
	key, _ := tb.Lookup("kms_key", "")
	near("4 keys for 730 h", tb.Cost(key, 4, 730), 4)
	near("4 keys for 2 h", tb.Cost(key, 4, 2), 4*2/730.0)
	gb, _ := tb.Lookup("ebs_gp3", "")
	near("20 GB for 73 h", tb.Cost(gb, 20, 73), 0.08*20/10)
	zone, _ := tb.Lookup("route53_zone", "")
	if zone.Prorated || zone.GraceHours != 12 {
		t.Fatalf("route53_zone = %+v: want a whole month, free within 12 h", zone)
	}
	near("a zone for 2 h", tb.Cost(zone, 1, 2), 0)
	near("a zone for 13 h", tb.Cost(zone, 1, 13), 0.5)
	near("a zone for 731 h", tb.Cost(zone, 1, 731), 1)
	data, _ := tb.Lookup("nat_data", "")
	if !data.Unit.Usage() {
		t.Fatalf("nat_data = %+v: want a usage price", data)
	}
	near("100 GB a month through NAT", tb.Cost(data, 100, 730), 4.5)
	near("100 GB a month through NAT, for 73 h", tb.Cost(data, 100, 73), 0.45)
}

func TestParseRefusesBrokenTables(t *testing.T) {
	model, prices := string(embeddedModel), string(embeddedCSV)
	for name, c := range map[string]struct {
		file string
		edit func(string) string
	}{
		"unknown field": {ModelFile, func(s string) string { return s + "\nsurprise: 1\n" }},
		"priced type names a missing item": {ModelFile, func(s string) string {
			return strings.Replace(s, "aws_nat_gateway: [nat_gateway, nat_data]", "aws_nat_gateway: [nat_gateways]", 1)
		}},
		"type in two lists": {ModelFile, func(s string) string {
			return strings.Replace(s, "    - aws_vpc\n", "    - aws_vpc\n    - aws_nat_gateway\n", 1)
		}},
		"spot discount 1": {ModelFile, func(s string) string {
			return strings.Replace(s, "spot_discount: { low: 0.60, high: 0.70 }", "spot_discount: { low: 0.60, high: 1 }", 1)
		}},
		"not priced without a reason": {ModelFile, func(s string) string {
			return strings.Replace(s, "aws_cloudwatch_event_rule: events from AWS services are free", `aws_cloudwatch_event_rule: ""`, 1)
		}},
		"bad unit": {File, func(s string) string {
			return strings.Replace(s, "us-east-1,nat_gateway,,hour,", "us-east-1,nat_gateway,,fortnight,", 1)
		}},
		"units disagree": {File, func(s string) string {
			return strings.Replace(s, "us-west-2,nat_gateway,,hour,", "us-west-2,nat_gateway,,month,", 1)
		}},
		"no source": {File, func(s string) string {
			return regexp.MustCompile(`(?m)^(us-east-1,kms_key,,month,1\.0?0?),"[^"]*"`).ReplaceAllString(s, `$1,""`)
		}},
		"bad date": {File, func(s string) string { return strings.Replace(s, "2026-05\n", "May 2026\n", 1) }},
		"negative price": {File, func(s string) string {
			return strings.Replace(s, "us-east-1,nat_gateway,,hour,0.045", "us-east-1,nat_gateway,,hour,-1", 1)
		}},
		"item not in yaml": {File, func(s string) string { return s + "us-east-1,elasticache,,hour,1,somewhere,2026-05\n" }},
		"priced twice":     {File, func(s string) string { return s + "us-east-1,nat_gateway,,hour,1,somewhere,2026-05\n" }},
	} {
		t.Run(name, func(t *testing.T) {
			m, p := model, prices
			if c.file == ModelFile {
				m = c.edit(m)
			} else {
				p = c.edit(p)
			}
			if m == model && p == prices {
				t.Fatal("the edit changed nothing: the test is stale")
			}
			_, err := Parse([]byte(m), []byte(p))
			if err == nil || !strings.HasPrefix(err.Error(), c.file+": ") {
				t.Errorf("Parse: %v, want an error about %s", err, c.file)
			}
		})
	}
}

// TestEverySizeTheStackPlansHasAPrice: every instance type (on-demand and Spot) and database class that an
// environment root or the environment contract names has a price, for the engine the root uses.
func TestEverySizeTheStackPlansHasAPrice(t *testing.T) {
	tb := table(t)
	var (
		instanceType = regexp.MustCompile(`(?m)^\s*instance_type\s*=\s*"([^"]+)"`)
		spotTypes    = regexp.MustCompile(`(?m)^\s*spot_instance_types\s*=\s*\[([^\]]*)\]`)
		quoted       = regexp.MustCompile(`"([^"]+)"`)
		class        = regexp.MustCompile(`(?m)^\s*instance_class\s*=\s*"([^"]+)"`)
		engine       = regexp.MustCompile(`(?m)^\s*engine\s*=\s*"([^"]+)"`)
	)
	roots, _ := filepath.Glob(filepath.Join(home, "terraform", "envs", "*", "main.tf"))
	if len(roots) < 3 {
		t.Fatalf("found %d environment roots, want dev, staging and prod", len(roots))
	}
	checked := 0
	for _, root := range roots {
		b, err := os.ReadFile(root)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		var types []string
		for _, m := range instanceType.FindAllStringSubmatch(src, -1) {
			types = append(types, m[1])
		}
		for _, m := range spotTypes.FindAllStringSubmatch(src, -1) {
			for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
				types = append(types, q[1])
			}
		}
		if len(types) == 0 {
			t.Errorf("%s: no instance_type found: the test no longer reads the root", root)
		}
		for _, typ := range types {
			if _, err := tb.Lookup("ec2_instance", typ); err != nil {
				t.Errorf("%s plans %s: %v", root, typ, err)
			}
			checked++
		}
		dbItem := "rds_postgres" // the stack's default engine
		if m := engine.FindStringSubmatch(src); m != nil {
			dbItem = "rds_" + m[1]
		}
		for _, m := range class.FindAllStringSubmatch(src, -1) {
			if _, err := tb.Lookup(dbItem, m[1]); err != nil {
				t.Errorf("%s plans %s: %v", root, m[1], err)
			}
			checked++
		}
	}
	ct, err := contract.LoadHome(home)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ct.Names() {
		e, _ := ct.Environment(name)
		if _, err := tb.Lookup("ec2_instance", e.Compute.InstanceType); err != nil {
			t.Errorf("the contract's %s: %v", name, err)
		}
		if _, err := tb.Lookup("rds_postgres", e.Database.InstanceClass); err != nil {
			t.Errorf("the contract's %s: %v", name, err)
		}
		checked += 2
	}
	if checked < 12 {
		t.Errorf("checked only %d sizes", checked)
	}
}

// TestEveryResourceTypeIsClassified: every resource type declared in terraform/modules is priced, not priced (with
// the reason) or free in the table, so that no new kind of resource reaches a plan without a price.
func TestEveryResourceTypeIsClassified(t *testing.T) {
	tb := table(t)
	declared := map[string]string{}
	resource := regexp.MustCompile(`(?m)^resource\s+"(aws_[a-z0-9_]+)"`) // terraform_data and the like cost nothing
	err := filepath.WalkDir(filepath.Join(home, "terraform", "modules"), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".terraform" || d.Name() == "tests") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".tf") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range resource.FindAllStringSubmatch(string(b), -1) {
			declared[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(declared) < 30 {
		t.Fatalf("found %d resource types in terraform/modules: the test no longer reads them", len(declared))
	}
	for typ, path := range declared {
		if c, _ := tb.Classify(typ); c == Unknown {
			t.Errorf("%s declares %s, which %s neither prices nor lists as not priced or free", path, typ, File)
		}
	}
}
