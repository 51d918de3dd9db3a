package lane

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/price"
)

// Estimate is what one environment costs while the lane runs it: the hourly and monthly-prorated resources of
// its plan, priced from the price table, for the expected duration rounded up to whole hours.
type Estimate struct {
	Env         string
	Region      string
	Resources   int           // resources the plan creates
	Duration    time.Duration // expected duration of the environment's part of the run
	Hours       float64       // billed hours: Duration rounded up to whole hours (NAT and ALB bill by the hour begun)
	Lines       []Line
	USD         float64
	Notes       []string // what the estimate could not price, a region the table is not for
	PricesAsOf  string
	NotIncluded []string
}

// Line is one priced item of an Estimate.
type Line struct {
	What     string
	Quantity float64
	Unit     price.Price // the unit price used (after the Spot discount or Multi-AZ factor)
	USD      float64
	Note     string
}

// Has reports whether the estimate has a line whose description starts with prefix.
func (e Estimate) Has(prefix string) bool {
	for _, l := range e.Lines {
		if strings.HasPrefix(l.What, prefix) {
			return true
		}
	}
	return false
}

// planned is one resource the plan leaves in place after apply, with its planned attributes.
type planned struct {
	address, module, typ string
	after                map[string]any
}

// estimator prices one plan.
type estimator struct {
	t     *price.Table
	e     *Estimate
	res   []planned
	azs   int
	azNow string // where azs came from
}

// pricer turns the planned resources of one priced type into lines.
type pricer struct {
	typ   string
	price func(*estimator, []planned) error
}

// pricers, in the order the estimate lists them; their types are exactly the table's priced resource types
// (a test holds them equal).
var pricers = []pricer{
	{"aws_autoscaling_group", (*estimator).autoscalingGroups},
	{"aws_nat_gateway", (*estimator).natGateways},
	{"aws_eip", (*estimator).elasticIPs},
	{"aws_lb", (*estimator).loadBalancers},
	{"aws_vpc_endpoint", (*estimator).endpoints},
	{"aws_db_instance", (*estimator).databases},
	{"aws_kms_key", count("kms_key", "KMS customer managed keys")},
	{"aws_wafv2_web_acl", (*estimator).webACLs},
	{"aws_cloudfront_distribution", count("cloudfront_distribution", "CloudFront distributions")},
	{"aws_route53_zone", count("route53_zone", "Route 53 hosted zones")},
	{"aws_cloudwatch_metric_alarm", (*estimator).alarms},
	{"aws_cloudwatch_composite_alarm", count("cloudwatch_composite_alarm", "CloudWatch composite alarms")},
	{"aws_cloudwatch_dashboard", count("cloudwatch_dashboard", "CloudWatch dashboards")},
}

// EstimatePlan prices the plan of environment env for an expected duration d.
func EstimatePlan(plan *tfjson.Plan, t *price.Table, env string, d time.Duration) (Estimate, error) {
	if plan == nil {
		return Estimate{}, fmt.Errorf("estimate %s: no plan", env)
	}
	hours := math.Max(1, math.Ceil(d.Hours()))
	e := &Estimate{Env: env, Duration: d, Hours: hours, PricesAsOf: t.AsOf, NotIncluded: t.NotIncluded}
	x := &estimator{t: t, e: e}
	byType := map[string][]planned{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil || rc.Change.Actions.Delete() {
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		p := planned{address: rc.Address, module: rc.ModuleAddress, typ: rc.Type, after: after}
		x.res = append(x.res, p)
		byType[rc.Type] = append(byType[rc.Type], p)
		if rc.Change.Actions.Create() {
			e.Resources++
		}
	}
	e.Region = outputString(plan, "region")
	if e.Region != "" && e.Region != t.Region {
		e.Notes = append(e.Notes, fmt.Sprintf("the plan is for %s, the prices for %s", e.Region, t.Region))
	}
	x.azs, x.azNow = availabilityZones(plan, byType["aws_subnet"])
	priced := map[string]bool{}
	for _, p := range pricers {
		priced[p.typ] = true
		if rs := byType[p.typ]; len(rs) > 0 {
			if err := p.price(x, rs); err != nil {
				return Estimate{}, fmt.Errorf("estimate %s: %w", env, err)
			}
		}
	}
	types := make([]string, 0, len(byType))
	for typ := range byType {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		switch class, _ := t.Classify(typ); {
		case class == price.Priced && !priced[typ]:
			return Estimate{}, fmt.Errorf("estimate %s: %s lists %s as priced, but the estimate cannot count it", env, price.File, typ)
		case class == price.Unknown && strings.HasPrefix(typ, "aws_"):
			e.Notes = append(e.Notes, fmt.Sprintf("%d %s not priced: not in %s", len(byType[typ]), typ, price.File))
		}
	}
	for _, l := range e.Lines {
		e.USD += l.USD
	}
	return *e, nil
}

// add prices quantity of item (of size) for the estimate's hours, with factor applied to the unit price.
func (x *estimator) add(what, item, size string, quantity, factor float64, note string) error {
	if quantity == 0 {
		return nil
	}
	p, err := x.t.Lookup(item, size)
	if err != nil {
		return err
	}
	p.USD *= factor
	x.e.Lines = append(x.e.Lines, Line{What: what, Quantity: quantity, Unit: p, USD: x.t.Cost(p, quantity, x.e.Hours), Note: note})
	return nil
}

// count prices one of item per planned resource; the item's note goes along where the price alone would
// mislead (nothing fixed, or not prorated).
func count(item, what string) func(*estimator, []planned) error {
	return func(x *estimator, rs []planned) error {
		note := ""
		if it := x.t.Items[item]; it.Note != "" && (it.USD == 0 || it.GraceHours > 0) {
			note = it.Note
		}
		return x.add(what, item, "", float64(len(rs)), 1, note)
	}
}

// autoscalingGroups prices each group at its desired capacity: on-demand and Spot as its mixed instances
// policy splits them, the launch template's volumes per instance, and detailed monitoring where it is on.
func (x *estimator) autoscalingGroups(rs []planned) error {
	for _, r := range rs {
		desired := num(r.after["desired_capacity"])
		if desired == 0 {
			desired = num(r.after["min_size"])
		}
		lt := x.launchTemplate(r.module)
		ltType := str(lt["instance_type"])
		onDemand, spot, odType, spotTypes := desired, 0.0, ltType, []string(nil)
		if mip := first(r.after["mixed_instances_policy"]); mip != nil {
			dist := first(mip["instances_distribution"])
			base, pct := num(dist["on_demand_base_capacity"]), 100.0
			if v, ok := dist["on_demand_percentage_above_base_capacity"]; ok && v != nil {
				pct = num(v)
			}
			for _, o := range list(first(mip["launch_template"])["override"]) {
				if typ := str(o["instance_type"]); typ != "" {
					spotTypes = append(spotTypes, typ)
				}
			}
			if len(spotTypes) == 0 && ltType != "" {
				spotTypes = []string{ltType}
			}
			if len(spotTypes) > 0 {
				odType = spotTypes[0]
			}
			base = math.Min(base, desired)
			onDemand = base + math.Ceil((desired-base)*pct/100)
			spot = desired - onDemand
		}
		if odType == "" {
			return fmt.Errorf("%s: no instance type in its launch template or overrides", r.address)
		}
		if err := x.add("EC2 instances "+odType+" (on-demand)", "ec2_instance", odType, onDemand, 1, "the group's desired capacity"); err != nil {
			return err
		}
		if spot > 0 {
			dearest, dearestUSD := "", 0.0
			for _, typ := range spotTypes {
				p, err := x.t.Lookup("ec2_instance", typ)
				if err != nil {
					return err
				}
				if p.USD > dearestUSD {
					dearest, dearestUSD = typ, p.USD
				}
			}
			note := fmt.Sprintf("Spot modelled at %.0f %% off the on-demand %s/h of %s, the dearest of %s",
				x.t.SpotDiscount*100, trimUSD(dearestUSD), dearest, strings.Join(spotTypes, ", "))
			if err := x.add("EC2 instances "+strings.Join(spotTypes, "/")+" (Spot)", "ec2_instance", dearest, spot, 1-x.t.SpotDiscount, note); err != nil {
				return err
			}
		}
		instances := onDemand + spot
		gb, other := 0.0, false
		for _, m := range list(lt["block_device_mappings"]) {
			ebs := first(m["ebs"])
			gb += num(ebs["volume_size"])
			if vt := str(ebs["volume_type"]); vt != "" && vt != "gp3" {
				other = true
			}
		}
		note := "the launch template's volumes, per instance"
		if other {
			note += " (priced as gp3)"
		}
		if err := x.add("EBS gp3 volumes (GB)", "ebs_gp3", "", gb*instances, 1, note); err != nil {
			return err
		}
		if enabled, _ := first(lt["monitoring"])["enabled"].(bool); enabled {
			if err := x.add("EC2 detailed monitoring (instances)", "ec2_detailed_monitoring", "", instances, 1, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// launchTemplate is the planned launch template of the module an Auto Scaling group is in (nil if none).
func (x *estimator) launchTemplate(module string) map[string]any {
	for _, r := range x.res {
		if r.typ == "aws_launch_template" && r.module == module {
			return r.after
		}
	}
	return nil
}

func (x *estimator) natGateways(rs []planned) error {
	n := 0.0
	for _, r := range rs {
		if str(r.after["connectivity_type"]) != "private" {
			n++
		}
	}
	return x.add("NAT gateways", "nat_gateway", "", n, 1, "")
}

func (x *estimator) elasticIPs(rs []planned) error {
	return x.add("public IPv4 addresses (Elastic IPs)", "public_ipv4", "", float64(len(rs)), 1, "")
}

// loadBalancers prices each application load balancer and, when internet-facing, a public address per zone.
func (x *estimator) loadBalancers(rs []planned) error {
	albs, nodes := 0.0, 0.0
	for _, r := range rs {
		if t := str(r.after["load_balancer_type"]); t != "" && t != "application" {
			return fmt.Errorf("%s: %s load balancers are not in %s", r.address, t, price.File)
		}
		albs++
		if internal, _ := r.after["internal"].(bool); !internal {
			nodes += x.zones(r.after["subnets"])
		}
	}
	if err := x.add("Application Load Balancers", "alb", "", albs, 1, "capacity units not included"); err != nil {
		return err
	}
	return x.add("public IPv4 addresses (load balancer nodes)", "public_ipv4", "", nodes, 1, "one per zone "+x.azNow)
}

// endpoints prices interface endpoints per zone; gateway endpoints are free.
func (x *estimator) endpoints(rs []planned) error {
	n, names := 0.0, []string{}
	for _, r := range rs {
		if str(r.after["vpc_endpoint_type"]) != "Interface" {
			continue
		}
		n += x.zones(r.after["subnet_ids"])
		svc := str(r.after["service_name"])
		names = append(names, svc[strings.LastIndex(svc, ".")+1:])
	}
	sort.Strings(names)
	return x.add("interface VPC endpoints (endpoint-zones)", "interface_endpoint", "", n, 1, strings.Join(names, ", ")+" in each zone "+x.azNow)
}

// zones is the number of subnets in a planned list, or, where the plan does not know them yet, the number of
// availability zones.
func (x *estimator) zones(v any) float64 {
	if l, ok := v.([]any); ok && len(l) > 0 {
		return float64(len(l))
	}
	return float64(x.azs)
}

// databases prices each RDS instance (and replica) by engine and class, Multi-AZ by the table's factor, its
// storage, and the secret of an RDS-managed master password.
func (x *estimator) databases(rs []planned) error {
	for _, r := range rs {
		engine := str(r.after["engine"])
		if engine == "" {
			engine = "postgres"
		}
		if strings.HasPrefix(engine, "aurora") {
			return fmt.Errorf("%s: engine %s is not in %s", r.address, engine, price.File)
		}
		class := str(r.after["instance_class"])
		factor, az := 1.0, "single-AZ"
		if multi, _ := r.after["multi_az"].(bool); multi {
			factor, az = x.t.MultiAZFactor, "Multi-AZ"
		}
		role := "RDS"
		if str(r.after["replicate_source_db"]) != "" {
			role = "RDS read replica"
		}
		if err := x.add(fmt.Sprintf("%s %s %s (%s)", role, engine, class, az), "rds_"+engine, class, 1, factor, ""); err != nil {
			return err
		}
		if err := x.add(fmt.Sprintf("%s storage (GB, %s)", role, az), "rds_storage", "", num(r.after["allocated_storage"]), factor, ""); err != nil {
			return err
		}
		if managed, _ := r.after["manage_master_user_password"].(bool); managed {
			if err := x.add("Secrets Manager secrets (RDS master password)", "secret", "", 1, 1, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x *estimator) webACLs(rs []planned) error {
	rules := 0.0
	for _, r := range rs {
		rules += float64(len(list(r.after["rule"])))
	}
	if err := x.add("WAF web ACLs", "waf_web_acl", "", float64(len(rs)), 1, ""); err != nil {
		return err
	}
	return x.add("WAF rules and rule groups", "waf_rule", "", rules, 1, "")
}

func (x *estimator) alarms(rs []planned) error {
	standard, high := 0.0, 0.0
	for _, r := range rs {
		if p := num(r.after["period"]); p > 0 && p < 60 {
			high++
		} else {
			standard++
		}
	}
	if err := x.add("CloudWatch alarms", "cloudwatch_alarm", "", standard, 1, ""); err != nil {
		return err
	}
	return x.add("CloudWatch high-resolution alarms", "cloudwatch_alarm_high_resolution", "", high, 1, "")
}

// availabilityZones is how many zones the plan uses: its availability_zones output, else the distinct zones of
// its subnets, else 1.
func availabilityZones(plan *tfjson.Plan, subnets []planned) (int, string) {
	if plan.PlannedValues != nil {
		if o, ok := plan.PlannedValues.Outputs["availability_zones"]; ok && o != nil {
			if l, ok := o.Value.([]any); ok && len(l) > 0 {
				return len(l), "(" + strings.Join(strs(l), ", ") + ")"
			}
		}
	}
	zones := map[string]bool{}
	for _, s := range subnets {
		if z := str(s.after["availability_zone"]); z != "" {
			zones[z] = true
		}
	}
	if len(zones) > 0 {
		return len(zones), fmt.Sprintf("(%d zones of the subnets)", len(zones))
	}
	return 1, "(zones unknown: 1 assumed)"
}

func outputString(plan *tfjson.Plan, name string) string {
	if plan.PlannedValues == nil {
		return ""
	}
	if o, ok := plan.PlannedValues.Outputs[name]; ok && o != nil {
		return str(o.Value)
	}
	return ""
}

func num(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int:
		return float64(n)
	}
	return 0
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func list(v any) []map[string]any {
	l, _ := v.([]any)
	out := make([]map[string]any, 0, len(l))
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// first is the first block of a nested block list (nil when there is none).
func first(v any) map[string]any {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return nil
}

func strs(l []any) []string {
	out := make([]string, 0, len(l))
	for _, v := range l {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// minutes writes a duration as 45m or 1h30m.
func minutes(d time.Duration) string {
	s := strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func trimUSD(v float64) string {
	return strings.TrimSuffix(price.Price{USD: v, Unit: price.Hour}.String(), "/h")
}

// PrintEstimates writes the estimates, one table per environment, their total, and what they leave out.
func PrintEstimates(w io.Writer, es []Estimate) {
	total := 0.0
	for _, e := range es {
		total += e.USD
		fmt.Fprintf(w, "%s: %d resources to create; expected to exist %s, billed as %g h (%s prices of %s, USD)\n",
			e.Env, e.Resources, minutes(e.Duration), e.Hours, e.Region, e.PricesAsOf)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  ITEM\tQTY\tUNIT PRICE\tUSD\tNOTE")
		for _, l := range e.Lines {
			fmt.Fprintf(tw, "  %s\t%g\t%s\t%8.4f\t%s\n", l.What, l.Quantity, l.Unit, l.USD, l.Note)
		}
		fmt.Fprintf(tw, "  total %s\t\t\t%8.2f\t\n", e.Env, e.USD)
		tw.Flush()
		for _, n := range e.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		fmt.Fprintln(w)
	}
	if len(es) == 0 {
		return
	}
	fmt.Fprintf(w, "Estimated cost of the run: USD %.2f (%d environment(s)).\n", total, len(es))
	fmt.Fprintf(w, "Not included: %s.\n", strings.Join(es[0].NotIncluded, "; "))
}
