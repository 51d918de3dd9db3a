// Package cost is `ec2stack cost`: what an environment costs a month, from its plan, the price table
// (internal/price) and the environment's usage file, as line items with low, expected and high amounts; what
// the plan changes against the state it was made from; the budget of the environment contract; and what each
// of the stack's cost levers saves. It is a pure function of a plan's JSON and those inputs.
package cost

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	tfplan "github.com/ec2stack/ec2stack/internal/plan"
	"github.com/ec2stack/ec2stack/internal/price"
)

// Amount is a monthly figure as a range: with the Auto Scaling groups at their minimum, desired and maximum
// capacity, and Spot at the high, middle and low end of its discount range.
type Amount struct {
	Low      float64 `json:"low"`
	Expected float64 `json:"expected"`
	High     float64 `json:"high"`
}

func flat(v float64) Amount { return Amount{v, v, v} }

func (a Amount) plus(b Amount) Amount {
	return Amount{a.Low + b.Low, a.Expected + b.Expected, a.High + b.High}
}

func (a Amount) minus(b Amount) Amount {
	return Amount{a.Low - b.Low, a.Expected - b.Expected, a.High - b.High}
}

func (a Amount) times(b Amount) Amount {
	return Amount{a.Low * b.Low, a.Expected * b.Expected, a.High * b.High}
}

func (a Amount) scale(f float64) Amount { return Amount{a.Low * f, a.Expected * f, a.High * f} }

// IsZero reports whether all three figures are zero.
func (a Amount) IsZero() bool { return a == Amount{} }

// Line is one priced item of one resource.
type Line struct {
	Address  string  `json:"address"`
	Type     string  `json:"type"`
	What     string  `json:"what"`
	Item     string  `json:"item"` // the price table's item (and size)
	Size     string  `json:"size,omitempty"`
	Unit     string  `json:"unit"` // what the quantity counts: hours, months, GB-months, GB, million, 10k, LCU-hours
	UnitUSD  float64 `json:"unit_usd"`
	Quantity Amount  `json:"quantity"`
	Monthly  Amount  `json:"monthly_usd"`
	Note     string  `json:"note,omitempty"`
}

// Unpriced is a resource type of the plan without a line: free, or not priced on its own, with the reason.
type Unpriced struct {
	Type      string   `json:"type"`
	Class     string   `json:"class"` // free | not priced
	Reason    string   `json:"reason"`
	Addresses []string `json:"addresses"`
}

// Change is a line whose monthly amount the plan changes (added, removed or different).
type Change struct {
	Address string `json:"address"`
	What    string `json:"what"`
	Before  Amount `json:"before_usd"`
	After   Amount `json:"after_usd"`
	Delta   Amount `json:"delta_usd"`
}

// Report is the estimate of one plan.
type Report struct {
	Env         string     `json:"environment"`
	Region      string     `json:"region"`
	Currency    string     `json:"currency"`
	PricesAsOf  string     `json:"prices_as_of"`
	PricesStale bool       `json:"prices_stale"`
	Hours       float64    `json:"hours"` // the period priced (a month: the table's hours_per_month)
	Usage       Usage      `json:"usage"`
	UsageFile   string     `json:"usage_file"`
	Lines       []Line     `json:"lines"`
	Unpriced    []Unpriced `json:"unpriced"`
	Total       Amount     `json:"total_usd"`
	Before      Amount     `json:"before_usd"` // what the plan's prior state costs
	Changes     []Change   `json:"changes"`
	Budget      *float64   `json:"budget_usd"`
	OverBudget  bool       `json:"over_budget"`
	Levers      []Lever    `json:"levers"`
	NotIncluded []string   `json:"not_included"`
	Warnings    []string   `json:"warnings"`
	Resources   int        `json:"resources_to_create"`
}

// Options are the inputs of an estimate besides the plan.
type Options struct {
	Env    string
	Prices *price.Catalog
	Usage  Usage
	Hours  float64 // the period to price; 0: a month
	// AlwaysOn prices Auto Scaling groups at their capacity without their off-hours schedules (a period too
	// short for them, such as a test run)
	AlwaysOn bool
	Budget   *float64 // the environment's monthly budget (nil: none)
	Now      time.Time
}

// Estimate prices plan.
func Estimate(plan *tfjson.Plan, o Options) (Report, error) {
	if plan == nil {
		return Report{}, fmt.Errorf("cost %s: no plan", o.Env)
	}
	region := tfplan.Output(plan, "region")
	if region == "" {
		if v, ok := plan.Variables["region"]; ok && v != nil {
			region, _ = v.Value.(string)
		}
	}
	if region == "" {
		return Report{}, fmt.Errorf("cost %s: the plan states no region (no output or variable \"region\")", o.Env)
	}
	t, err := o.Prices.For(region)
	if err != nil {
		return Report{}, fmt.Errorf("cost %s: %w", o.Env, err)
	}
	hours := o.Hours
	if hours == 0 {
		hours = t.HoursPerMonth
	}
	r := Report{Env: o.Env, Region: region, Currency: t.Currency, PricesAsOf: t.AsOf, Hours: hours, Usage: o.Usage,
		UsageFile: o.Usage.Path(), Budget: o.Budget, NotIncluded: t.NotIncluded, Unpriced: []Unpriced{}, Changes: []Change{},
		Warnings: []string{}}
	if !o.Now.IsZero() && t.Stale(o.Now) {
		r.PricesStale = true
		r.Warnings = append(r.Warnings, fmt.Sprintf("the %s prices in %s are of %s, more than a year old: check them against AWS's price list", region, price.File, t.AsOf))
	}
	var before, after []resource
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil {
			continue
		}
		res := resource{address: rc.Address, module: rc.ModuleAddress, typ: rc.Type}
		if b, ok := rc.Change.Before.(map[string]any); ok && !rc.Change.Actions.Create() {
			res.v = b
			before = append(before, res)
		}
		if !rc.Change.Actions.Delete() {
			res.v, _ = rc.Change.After.(map[string]any)
			if res.v == nil {
				res.v = map[string]any{}
			}
			after = append(after, res)
			if rc.Change.Actions.Create() || rc.Change.Actions.Replace() {
				r.Resources++
			}
		}
	}
	now, err := priceSet(t, o, hours, after, plan)
	if err != nil {
		return Report{}, fmt.Errorf("cost %s: %w", o.Env, err)
	}
	r.Lines, r.Total, r.Levers = now.lines, sum(now.lines), now.levers()
	r.Unpriced, r.Warnings = now.unpricedList(), append(r.Warnings, now.warnings...)
	var prior []Line
	if len(before) > 0 {
		was, err := priceSet(t, o, hours, before, plan)
		if err != nil {
			return Report{}, fmt.Errorf("cost %s: pricing the prior state: %w", o.Env, err)
		}
		prior = was.lines
	}
	r.Before, r.Changes = sum(prior), diff(prior, r.Lines)
	if o.Budget != nil {
		r.OverBudget = r.Total.Expected > *o.Budget+1e-9
	}
	return r, nil
}

func sum(lines []Line) Amount {
	var a Amount
	for _, l := range lines {
		a = a.plus(l.Monthly)
	}
	return a
}

// diff lists the lines whose monthly amount differs between before and after, in after's order (then
// before's removed lines).
func diff(before, after []Line) []Change {
	key := func(l Line) string { return l.Address + "\x00" + l.What }
	was := map[string]Line{}
	for _, l := range before {
		was[key(l)] = l
	}
	out := []Change{}
	seen := map[string]bool{}
	for _, l := range after {
		k := key(l)
		seen[k] = true
		b := was[k].Monthly
		if d := l.Monthly.minus(b); !nearZero(d) {
			out = append(out, Change{Address: l.Address, What: l.What, Before: b, After: l.Monthly, Delta: d})
		}
	}
	for _, l := range before {
		if !seen[key(l)] && !nearZero(l.Monthly) {
			out = append(out, Change{Address: l.Address, What: l.What, Before: l.Monthly, Delta: Amount{}.minus(l.Monthly)})
		}
	}
	return out
}

func nearZero(a Amount) bool {
	return math.Abs(a.Low) < 1e-9 && math.Abs(a.Expected) < 1e-9 && math.Abs(a.High) < 1e-9
}

// resource is one resource of the set being priced, with its values (planned, or of the prior state).
type resource struct {
	address, module, typ string
	v                    map[string]any
}

// pricing prices one set of resources.
type pricing struct {
	t        *price.Table
	u        Usage
	hours    float64
	alwaysOn bool // Options.AlwaysOn
	res      []resource
	byType   map[string][]resource
	azs      int
	azNote   string
	spot     price.Range // discount
	lines    []Line
	free     map[string]string // address -> why it has no line
	warnings []string
	// what the levers need, gathered while pricing
	instances      Amount // instances of every group, averaged over the month
	ondemand       []groupRun
	nat            natRun
	logsKept       []keptLogs
	backupsSaved   float64 // the backup retention lever
	lifecycleSaved float64 // the S3 lifecycle lever
}

// groupRun is what one Auto Scaling group runs: its instance types, capacity with and without its off-hours
// schedule, and volumes.
type groupRun struct {
	address, odType, spotType string
	odUSD, spotUSD            float64 // on-demand prices of the two types
	always, actual            Amount  // instances: without the schedule, with it
	spotShare                 Amount  // share of actual instances on Spot
	volumeGB                  float64
}

type natRun struct{ gateways, azs int }

func priceSet(t *price.Table, o Options, hours float64, res []resource, plan *tfjson.Plan) (*pricing, error) {
	p := &pricing{t: t, u: o.Usage, hours: hours, alwaysOn: o.AlwaysOn, res: res, byType: map[string][]resource{}, free: map[string]string{}, spot: t.SpotDiscount}
	if s := o.Usage.SpotDiscountPercent; len(s) == 2 {
		p.spot = price.Range{Low: s[0] / 100, High: s[1] / 100}
	}
	for _, r := range res {
		p.byType[r.typ] = append(p.byType[r.typ], r)
	}
	p.azs, p.azNote = availabilityZones(plan, p.byType["aws_subnet"])
	priced := map[string]bool{}
	for _, pr := range pricers {
		priced[pr.typ] = true
		if rs := p.byType[pr.typ]; len(rs) > 0 {
			if err := pr.price(p, rs); err != nil {
				return nil, err
			}
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(p.byType)) {
		if class, _ := t.Classify(typ); class == price.Priced && !priced[typ] {
			return nil, fmt.Errorf("%s lists %s as priced, but cost cannot price it", price.ModelFile, typ)
		}
	}
	// Nothing priced is silently zero: every resource of a priced type has a line or a reason.
	hasLine := map[string]bool{}
	for _, l := range p.lines {
		hasLine[l.Address] = true
	}
	for _, r := range res {
		if class, _ := t.Classify(r.typ); class == price.Priced && !hasLine[r.address] && p.free[r.address] == "" {
			return nil, fmt.Errorf("%s (%s) got no line and no reason: cost's pricer of %s missed it", r.address, r.typ, r.typ)
		}
	}
	return p, nil
}

// add appends a line: count things of item (of size) that exist all period (hourly and monthly units) or the
// amount used in a month (usage units), with factor applied to the unit price.
func (p *pricing) add(r resource, what, item, size string, count, factor Amount, note string) error {
	pr, err := p.t.Lookup(item, size)
	if err != nil {
		return fmt.Errorf("%s: %w", r.address, err)
	}
	qty := Amount{p.t.Billed(pr, count.Low, p.hours), p.t.Billed(pr, count.Expected, p.hours), p.t.Billed(pr, count.High, p.hours)}
	p.lines = append(p.lines, Line{Address: r.address, Type: r.typ, What: what, Item: item, Size: size, Unit: unitLabel(pr.Unit),
		UnitUSD: pr.USD, Quantity: qty, Monthly: qty.times(factor).scale(pr.USD), Note: note})
	return nil
}

func unitLabel(u price.Unit) string {
	switch u {
	case price.Hour:
		return "hours"
	case price.Month:
		return "months"
	case price.GBMonth:
		return "GB-months"
	case price.LCUHour:
		return "LCU-hours"
	}
	return string(u)
}

// exempt records why a resource of a priced type has no line.
func (p *pricing) exempt(r resource, why string) { p.free[r.address] = why }

// unpricedList groups the resources without a line by type and reason.
func (p *pricing) unpricedList() []Unpriced {
	hasLine := map[string]bool{}
	for _, l := range p.lines {
		hasLine[l.Address] = true
	}
	groups := map[string]*Unpriced{}
	var order []string
	for _, r := range p.res {
		if hasLine[r.address] {
			continue
		}
		class, reasons := p.t.Classify(r.typ)
		u := Unpriced{Type: r.typ, Class: "free", Reason: "no charge of its own"}
		switch {
		case p.free[r.address] != "":
			u.Reason = p.free[r.address]
		case class == price.NotPriced:
			u.Class, u.Reason = "not priced", reasons[0]
		case class == price.Unknown && strings.HasPrefix(r.typ, "aws_"):
			u.Class, u.Reason = "not priced", "not in "+price.ModelFile+": its cost is unknown"
		case class == price.Unknown:
			u.Reason = "not an AWS resource"
		}
		k := u.Type + "\x00" + u.Class + "\x00" + u.Reason
		if groups[k] == nil {
			groups[k] = &u
			order = append(order, k)
			if u.Class == "not priced" && class == price.Unknown {
				p.warnings = append(p.warnings, fmt.Sprintf("%s is not in %s: its resources are not priced", r.typ, price.ModelFile))
			}
		}
		groups[k].Addresses = append(groups[k].Addresses, r.address)
	}
	sort.Strings(order)
	out := make([]Unpriced, 0, len(order))
	for _, k := range order {
		out = append(out, *groups[k])
	}
	return out
}

// availabilityZones is how many zones the plan uses: its availability_zones output, else the distinct zones of
// its subnets, else 1.
func availabilityZones(plan *tfjson.Plan, subnets []resource) (int, string) {
	if plan.PlannedValues != nil {
		if o, ok := plan.PlannedValues.Outputs["availability_zones"]; ok && o != nil {
			if l, ok := o.Value.([]any); ok && len(l) > 0 {
				return len(l), "(" + strings.Join(strs(l), ", ") + ")"
			}
		}
	}
	zones := map[string]bool{}
	for _, s := range subnets {
		if z := str(s.v["availability_zone"]); z != "" {
			zones[z] = true
		}
	}
	if len(zones) > 0 {
		return len(zones), fmt.Sprintf("(%d zones of the subnets)", len(zones))
	}
	return 1, "(zones unknown: 1 assumed)"
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
