// Package price is the table of unit prices ec2stack's cost estimates use: the prices themselves (prices.csv:
// region, item, size, unit, price, source, date) and the model around them (prices.yaml: month length, Spot
// discount, Multi-AZ factor, what each item means, how each resource type is priced), both embedded. A Table is
// the prices of one region, with a lookup by item and size and the rule that turns a unit price into the cost
// of some quantity. It knows nothing of plans; internal/cost builds estimates on it.
package price

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Files are where the table lives, relative to the repository root (both are embedded in the binary).
const (
	File      = "internal/price/prices.csv"
	ModelFile = "internal/price/prices.yaml"
)

var (
	//go:embed prices.csv
	embeddedCSV []byte
	//go:embed prices.yaml
	embeddedModel []byte
)

// StaleAfter is the age beyond which a table's prices are called stale.
const StaleAfter = 365 * 24 * time.Hour

// Unit is what a price is per.
type Unit string

// The units of the table: the first three are charged for existing (by the hour or month), the others per
// quantity used in a month.
const (
	Hour    Unit = "hour"     // per hour of existence
	Month   Unit = "month"    // per month (pro rata by the hour unless the item says otherwise)
	GBMonth Unit = "GB-month" // per GB stored per month, pro rata by the hour
	GB      Unit = "GB"       // per GB processed, ingested or transferred
	Million Unit = "million"  // per million requests or queries
	TenK    Unit = "10k"      // per 10,000 requests
	LCUHour Unit = "LCU-hour" // per load balancer capacity unit-hour
)

var units = []Unit{Hour, Month, GBMonth, GB, Million, TenK, LCUHour}

// Usage reports whether the unit is charged per quantity used rather than for existing.
func (u Unit) Usage() bool { return u == GB || u == Million || u == TenK || u == LCUHour }

// Item is one priced thing in one region: a single price (USD), or one price per size (instance types,
// database classes).
type Item struct {
	Name       string
	Unit       Unit
	USD        float64
	Sizes      map[string]float64
	Prorated   bool    // monthly units: charged pro rata by the hour
	GraceHours float64 // not prorated: free when deleted within this many hours
	Note       string
	Source     string
	AsOf       string
}

// Sized reports whether the item has one price per size.
func (it Item) Sized() bool { return len(it.Sizes) > 0 }

// Resources classifies every Terraform resource type the stack declares.
type Resources struct {
	Priced    map[string][]string `yaml:"priced"`     // type -> the items that price it
	NotPriced map[string]string   `yaml:"not_priced"` // type -> why it has no line of its own
	Free      []string            `yaml:"free"`
}

// Range is a low and a high value.
type Range struct {
	Low  float64 `yaml:"low" json:"low"`
	High float64 `yaml:"high" json:"high"`
}

// Mid is the middle of the range.
func (r Range) Mid() float64 { return (r.Low + r.High) / 2 }

// itemModel is what prices.yaml says of an item.
type itemModel struct {
	Prorated   *bool   `yaml:"prorated"`
	GraceHours float64 `yaml:"grace_hours"`
	Note       string  `yaml:"note"`
}

// model is prices.yaml.
type model struct {
	Currency      string               `yaml:"currency"`
	HoursPerMonth float64              `yaml:"hours_per_month"`
	SpotDiscount  Range                `yaml:"spot_discount"`   // fraction off on-demand that Spot is modelled at
	MultiAZFactor float64              `yaml:"multi_az_factor"` // RDS Multi-AZ: instance hours and storage times this
	NotIncluded   []string             `yaml:"not_included"`
	Items         map[string]itemModel `yaml:"items"`
	Resources     Resources            `yaml:"resources"`
}

// Catalog is the whole table: the model and the prices of every region.
type Catalog struct {
	model
	regions map[string]map[string]Item
}

// Table is the prices of one region.
type Table struct {
	Region        string
	Currency      string
	AsOf          string // the oldest date of the region's prices
	HoursPerMonth float64
	SpotDiscount  Range
	MultiAZFactor float64
	NotIncluded   []string
	Items         map[string]Item
	Resources     Resources
}

// Price is one unit price found in the table.
type Price struct {
	Item       string
	Size       string // "" for unsized items
	USD        float64
	Unit       Unit
	Prorated   bool
	GraceHours float64
}

// String is the price as "0.0208/h", "1.00/month", "0.080/GB-month".
func (p Price) String() string {
	if p.Unit == Hour {
		return trim(p.USD) + "/h"
	}
	return trim(p.USD) + "/" + string(p.Unit)
}

func trim(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "00"
	} else if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 < 2 {
		s += "0"
	}
	return s
}

// MissingError is a lookup of an item or size the table does not have for a region.
type MissingError struct {
	Region, Item, Size string
	Known              []string // the sizes (or items) the table has
}

func (e *MissingError) Error() string {
	if e.Size == "" {
		return fmt.Sprintf("no %s price for %q in %s: it has %s", e.Region, e.Item, File, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("no %s price for %s %q in %s: it has %s", e.Region, e.Item, e.Size, File, strings.Join(e.Known, ", "))
}

var (
	once    sync.Once
	catalog *Catalog
	errLoad error
)

// Load is the embedded table, parsed once.
func Load() (*Catalog, error) {
	once.Do(func() { catalog, errLoad = Parse(embeddedModel, embeddedCSV) })
	return catalog, errLoad
}

// For is the embedded table's prices for region.
func For(region string) (*Table, error) {
	c, err := Load()
	if err != nil {
		return nil, err
	}
	return c.For(region)
}

// Parse reads and validates a table: its model (prices.yaml) and its prices (prices.csv).
func Parse(modelYAML, pricesCSV []byte) (*Catalog, error) {
	var c Catalog
	dec := yaml.NewDecoder(bytes.NewReader(modelYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&c.model); err != nil {
		return nil, fmt.Errorf("%s: %w", ModelFile, err)
	}
	if err := c.validateModel(); err != nil {
		return nil, fmt.Errorf("%s: %w", ModelFile, err)
	}
	if err := c.readPrices(pricesCSV); err != nil {
		return nil, fmt.Errorf("%s: %w", File, err)
	}
	return &c, nil
}

func (c *Catalog) validateModel() error {
	switch {
	case c.Currency == "":
		return fmt.Errorf("currency is required")
	case c.HoursPerMonth <= 0:
		return fmt.Errorf("hours_per_month must be positive, got %v", c.HoursPerMonth)
	case c.SpotDiscount.Low < 0 || c.SpotDiscount.High >= 1 || c.SpotDiscount.Low > c.SpotDiscount.High:
		return fmt.Errorf("spot_discount must be 0 <= low <= high < 1, got %v-%v", c.SpotDiscount.Low, c.SpotDiscount.High)
	case c.MultiAZFactor < 1:
		return fmt.Errorf("multi_az_factor must be at least 1, got %v", c.MultiAZFactor)
	}
	seen := map[string]string{}
	mark := func(typ, list string) error {
		if prev, ok := seen[typ]; ok {
			return fmt.Errorf("resource type %s is in both %s and %s", typ, prev, list)
		}
		seen[typ] = list
		return nil
	}
	for _, typ := range slices.Sorted(maps.Keys(c.Resources.Priced)) {
		items := c.Resources.Priced[typ]
		if err := mark(typ, "priced"); err != nil {
			return err
		}
		if len(items) == 0 {
			return fmt.Errorf("priced resource type %s names no item", typ)
		}
		for _, it := range items {
			if _, ok := c.Items[it]; !ok {
				return fmt.Errorf("priced resource type %s names item %q, which the table does not have", typ, it)
			}
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(c.Resources.NotPriced)) {
		if err := mark(typ, "not_priced"); err != nil {
			return err
		}
		if strings.TrimSpace(c.Resources.NotPriced[typ]) == "" {
			return fmt.Errorf("not_priced resource type %s gives no reason", typ)
		}
	}
	for _, typ := range c.Resources.Free {
		if err := mark(typ, "free"); err != nil {
			return err
		}
	}
	return nil
}

// readPrices reads the rows of prices.csv into the regions' items.
func (c *Catalog) readPrices(b []byte) error {
	r := csv.NewReader(bytes.NewReader(b))
	rows, err := r.ReadAll()
	if err != nil {
		return err
	}
	header := []string{"region", "item", "size", "unit", "usd", "source", "as_of"}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		return fmt.Errorf("the first line must be %s", strings.Join(header, ","))
	}
	c.regions = map[string]map[string]Item{}
	unitOf := map[string]Unit{}
	for i, row := range rows[1:] {
		line := i + 2
		region, name, size, unit, usdText, source, asOf := row[0], row[1], row[2], Unit(row[3]), row[4], row[5], row[6]
		meta, ok := c.Items[name]
		switch {
		case region == "":
			return fmt.Errorf("line %d: no region", line)
		case !ok:
			return fmt.Errorf("line %d: item %q is not in %s", line, name, ModelFile)
		case !slices.Contains(units, unit):
			return fmt.Errorf("line %d: unit %q is not one of %s", line, unit, joinUnits())
		case unitOf[name] != "" && unitOf[name] != unit:
			return fmt.Errorf("line %d: %s is priced per %s here and per %s elsewhere", line, name, unit, unitOf[name])
		case strings.TrimSpace(source) == "":
			return fmt.Errorf("line %d: %s has no source", line, name)
		case meta.Prorated != nil && !*meta.Prorated && unit != Month:
			return fmt.Errorf("line %d: only monthly prices can be not prorated (%s)", line, name)
		}
		if _, err := date(asOf); err != nil {
			return fmt.Errorf("line %d: as_of %q is not a date (YYYY-MM or YYYY-MM-DD)", line, asOf)
		}
		usd, err := strconv.ParseFloat(usdText, 64)
		if err != nil || usd < 0 || (size != "" && usd == 0) {
			return fmt.Errorf("line %d: price %q of %s is not a non-negative number (sizes: positive)", line, usdText, name)
		}
		unitOf[name] = unit
		items := c.regions[region]
		if items == nil {
			items = map[string]Item{}
			c.regions[region] = items
		}
		it, exists := items[name]
		if !exists {
			it = Item{Name: name, Unit: unit, Prorated: meta.Prorated == nil || *meta.Prorated, GraceHours: meta.GraceHours,
				Note: meta.Note, Source: source, AsOf: asOf}
		}
		switch {
		case exists && (size == "" || !it.Sized()):
			return fmt.Errorf("line %d: %s in %s is priced twice", line, name, region)
		case exists && it.Sizes[size] != 0:
			return fmt.Errorf("line %d: %s %s in %s is priced twice", line, name, size, region)
		case size == "":
			it.USD = usd
		default:
			if it.Sizes == nil {
				it.Sizes = map[string]float64{}
			}
			it.Sizes[size] = usd
		}
		if d, _ := date(asOf); exists {
			if old, _ := date(it.AsOf); d.Before(old) {
				it.AsOf = asOf
			}
		}
		items[name] = it
	}
	for _, name := range slices.Sorted(maps.Keys(c.Items)) {
		if unitOf[name] == "" {
			return fmt.Errorf("item %s of %s has no price in any region", name, ModelFile)
		}
	}
	return nil
}

func joinUnits() string {
	s := make([]string, len(units))
	for i, u := range units {
		s[i] = string(u)
	}
	return strings.Join(s, ", ")
}

// date reads YYYY-MM (the first of the month) or YYYY-MM-DD.
func date(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01", s)
}

// Regions lists the regions the table has prices for.
func (c *Catalog) Regions() []string { return slices.Sorted(maps.Keys(c.regions)) }

// For is the table of one region.
func (c *Catalog) For(region string) (*Table, error) {
	items, ok := c.regions[region]
	if !ok {
		return nil, fmt.Errorf("no prices for region %q in %s: it has %s", region, File, strings.Join(c.Regions(), ", "))
	}
	t := &Table{Region: region, Currency: c.Currency, HoursPerMonth: c.HoursPerMonth, SpotDiscount: c.SpotDiscount,
		MultiAZFactor: c.MultiAZFactor, NotIncluded: c.NotIncluded, Items: maps.Clone(items), Resources: c.Resources}
	var oldest time.Time
	for _, it := range items {
		if d, _ := date(it.AsOf); t.AsOf == "" || d.Before(oldest) {
			t.AsOf, oldest = it.AsOf, d
		}
	}
	return t, nil
}

// Age is how old the table's oldest price is at now.
func (t *Table) Age(now time.Time) time.Duration {
	d, err := date(t.AsOf)
	if err != nil {
		return 0
	}
	return now.Sub(d)
}

// Stale reports whether the table's prices are more than a year old at now.
func (t *Table) Stale(now time.Time) bool { return t.Age(now) > StaleAfter }

// ItemNames lists the items, sorted.
func (t *Table) ItemNames() []string { return slices.Sorted(maps.Keys(t.Items)) }

// Lookup returns the price of item, of size for sized items ("" for the others).
func (t *Table) Lookup(item, size string) (Price, error) {
	it, ok := t.Items[item]
	if !ok {
		return Price{}, &MissingError{Region: t.Region, Item: item, Known: t.ItemNames()}
	}
	p := Price{Item: item, Unit: it.Unit, Prorated: it.Prorated, GraceHours: it.GraceHours}
	if !it.Sized() {
		if size != "" {
			return Price{}, fmt.Errorf("%s has one price, not one per size (asked for %q)", item, size)
		}
		p.USD = it.USD
		return p, nil
	}
	v, ok := it.Sizes[size]
	if !ok {
		return Price{}, &MissingError{Region: t.Region, Item: item, Size: size, Known: slices.Sorted(maps.Keys(it.Sizes))}
	}
	p.Size, p.USD = size, v
	return p, nil
}

// Billed is the quantity p is charged on when count things exist for hours (or, for usage prices, count is the
// amount used in a month): hours for hourly prices; months pro rata (hours / hours_per_month) for monthly and
// GB-monthly prices, or, where not prorated, a whole month for each month begun and nothing within the grace
// hours; the amount used, pro rata to the hours, for usage prices (per GB, request, LCU-hour).
func (t *Table) Billed(p Price, count, hours float64) float64 {
	switch {
	case p.Unit == Hour:
		return count * hours
	case p.Unit.Usage() || p.Prorated:
		return count * hours / t.HoursPerMonth
	case hours <= p.GraceHours:
		return 0
	default:
		return count * math.Ceil(hours/t.HoursPerMonth)
	}
}

// Cost is what count things of p cost over hours: the billed quantity times the price.
func (t *Table) Cost(p Price, count, hours float64) float64 { return p.USD * t.Billed(p, count, hours) }

// Class is how the table classifies a resource type.
type Class string

// The classes of resource types.
const (
	Priced    Class = "priced"
	NotPriced Class = "not_priced"
	Free      Class = "free"
	Unknown   Class = "" // not in the table
)

// Classify says whether resourceType is priced (and by which items), not priced on its own (and why) or free.
func (t *Table) Classify(resourceType string) (Class, []string) {
	if items, ok := t.Resources.Priced[resourceType]; ok {
		return Priced, slices.Clone(items)
	}
	if why, ok := t.Resources.NotPriced[resourceType]; ok {
		return NotPriced, []string{why}
	}
	if slices.Contains(t.Resources.Free, resourceType) {
		return Free, nil
	}
	return Unknown, nil
}
