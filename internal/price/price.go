// Package price is the table of unit prices ec2stack's cost estimates use: one data file (prices.yaml,
// embedded), for one region and one date, with a lookup by item and size and the rule that turns a unit price
// into the cost of some quantity over some hours. It knows nothing of plans; estimates are built on it.
package price

import (
	_ "embed"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// File is where the table lives, relative to the repository root (it is embedded in the binary).
const File = "internal/price/prices.yaml"

//go:embed prices.yaml
var embedded []byte

// Unit is what a price is per.
type Unit string

// The units of the table.
const (
	Hour    Unit = "hour"     // per hour of existence
	Month   Unit = "month"    // per month (pro rata by the hour unless the item says otherwise)
	GBMonth Unit = "GB-month" // per GB per month, pro rata by the hour
)

// Item is one priced thing: a single price (USD), or one price per size (instance types, database classes).
type Item struct {
	Name       string             `yaml:"-"`
	Unit       Unit               `yaml:"unit"`
	USD        float64            `yaml:"usd"`
	Sizes      map[string]float64 `yaml:"sizes"`
	Prorated   *bool              `yaml:"prorated"`    // monthly units: charged pro rata by the hour (default true)
	GraceHours float64            `yaml:"grace_hours"` // not prorated: free when deleted within this many hours
	Note       string             `yaml:"note"`
}

// Sized reports whether the item has one price per size.
func (it Item) Sized() bool { return len(it.Sizes) > 0 }

// Resources classifies every Terraform resource type the stack declares.
type Resources struct {
	Priced    map[string][]string `yaml:"priced"`     // type -> the items that price it
	UsageOnly map[string]string   `yaml:"usage_only"` // type -> what its cost follows from
	Free      []string            `yaml:"free"`
}

// Table is the whole file.
type Table struct {
	Region        string          `yaml:"region"`
	Currency      string          `yaml:"currency"`
	AsOf          string          `yaml:"as_of"`
	HoursPerMonth float64         `yaml:"hours_per_month"`
	SpotDiscount  float64         `yaml:"spot_discount"`   // fraction off on-demand that Spot is modelled at
	MultiAZFactor float64         `yaml:"multi_az_factor"` // RDS Multi-AZ: instance hours and storage times this
	NotIncluded   []string        `yaml:"not_included"`
	Items         map[string]Item `yaml:"items"`
	Resources     Resources       `yaml:"resources"`
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
	switch p.Unit {
	case Hour:
		return trim(p.USD) + "/h"
	default:
		return trim(p.USD) + "/" + string(p.Unit)
	}
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

// MissingError is a lookup of an item or size the table does not have.
type MissingError struct {
	Item, Size string
	Known      []string // the sizes (or items) the table has
}

func (e *MissingError) Error() string {
	if e.Size == "" {
		return fmt.Sprintf("no price for %q in %s: the table has %s", e.Item, File, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("no price for %s %q in %s: the table has %s", e.Item, e.Size, File, strings.Join(e.Known, ", "))
}

var (
	once     sync.Once
	defaultT *Table
	errDef   error
)

// Default is the embedded table, parsed once.
func Default() (*Table, error) {
	once.Do(func() { defaultT, errDef = Parse(embedded) })
	return defaultT, errDef
}

// Parse reads and validates a table.
func Parse(b []byte) (*Table, error) {
	var t Table
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%s: %w", File, err)
	}
	for name, it := range t.Items {
		it.Name = name
		t.Items[name] = it
	}
	if err := t.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", File, err)
	}
	return &t, nil
}

func (t *Table) validate() error {
	switch {
	case t.Region == "" || t.Currency == "" || t.AsOf == "":
		return fmt.Errorf("region, currency and as_of are required")
	case t.HoursPerMonth <= 0:
		return fmt.Errorf("hours_per_month must be positive, got %v", t.HoursPerMonth)
	case t.SpotDiscount < 0 || t.SpotDiscount >= 1:
		return fmt.Errorf("spot_discount must be in [0, 1), got %v", t.SpotDiscount)
	case t.MultiAZFactor < 1:
		return fmt.Errorf("multi_az_factor must be at least 1, got %v", t.MultiAZFactor)
	}
	for _, name := range t.ItemNames() {
		it := t.Items[name]
		switch it.Unit {
		case Hour, Month, GBMonth:
		default:
			return fmt.Errorf("item %s: unit %q is not one of hour, month, GB-month", name, it.Unit)
		}
		if it.Sized() && it.USD != 0 {
			return fmt.Errorf("item %s: has both usd and sizes", name)
		}
		if it.USD < 0 {
			return fmt.Errorf("item %s: negative price", name)
		}
		for size, v := range it.Sizes {
			if v <= 0 {
				return fmt.Errorf("item %s: size %s has price %v (want > 0)", name, size, v)
			}
		}
		if it.Prorated != nil && !*it.Prorated && it.Unit != Month {
			return fmt.Errorf("item %s: only monthly prices can be not prorated", name)
		}
	}
	seen := map[string]string{}
	mark := func(typ, list string) error {
		if prev, ok := seen[typ]; ok {
			return fmt.Errorf("resource type %s is in both %s and %s", typ, prev, list)
		}
		seen[typ] = list
		return nil
	}
	for typ, items := range t.Resources.Priced {
		if err := mark(typ, "priced"); err != nil {
			return err
		}
		if len(items) == 0 {
			return fmt.Errorf("priced resource type %s names no item", typ)
		}
		for _, it := range items {
			if _, ok := t.Items[it]; !ok {
				return fmt.Errorf("priced resource type %s names item %q, which the table does not have", typ, it)
			}
		}
	}
	for typ := range t.Resources.UsageOnly {
		if err := mark(typ, "usage_only"); err != nil {
			return err
		}
	}
	for _, typ := range t.Resources.Free {
		if err := mark(typ, "free"); err != nil {
			return err
		}
	}
	return nil
}

// ItemNames lists the items, sorted.
func (t *Table) ItemNames() []string {
	names := make([]string, 0, len(t.Items))
	for n := range t.Items {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the price of item, of size for sized items ("" for the others).
func (t *Table) Lookup(item, size string) (Price, error) {
	it, ok := t.Items[item]
	if !ok {
		return Price{}, &MissingError{Item: item, Known: t.ItemNames()}
	}
	p := Price{Item: item, Unit: it.Unit, Prorated: it.Prorated == nil || *it.Prorated, GraceHours: it.GraceHours}
	if !it.Sized() {
		if size != "" {
			return Price{}, fmt.Errorf("%s has one price, not one per size (asked for %q)", item, size)
		}
		p.USD = it.USD
		return p, nil
	}
	v, ok := it.Sizes[size]
	if !ok {
		return Price{}, &MissingError{Item: item, Size: size, Known: slices.Sorted(maps.Keys(it.Sizes))}
	}
	p.Size, p.USD = size, v
	return p, nil
}

// Cost is what quantity units of p cost when they exist for hours: hourly prices times hours; monthly and
// GB-monthly prices pro rata (hours / hours_per_month), or, where not prorated, a whole month for each month
// begun, nothing within the grace hours.
func (t *Table) Cost(p Price, quantity, hours float64) float64 {
	switch {
	case p.Unit == Hour:
		return p.USD * quantity * hours
	case p.Prorated:
		return p.USD * quantity * hours / t.HoursPerMonth
	case hours <= p.GraceHours:
		return 0
	default:
		return p.USD * quantity * math.Ceil(hours/t.HoursPerMonth)
	}
}

// Class is how the table classifies a resource type.
type Class string

// The classes of resource types.
const (
	Priced    Class = "priced"
	UsageOnly Class = "usage_only"
	Free      Class = "free"
	Unknown   Class = "" // not in the table
)

// Classify says whether resourceType is priced (and by which items), usage-only or free.
func (t *Table) Classify(resourceType string) (Class, []string) {
	if items, ok := t.Resources.Priced[resourceType]; ok {
		return Priced, slices.Clone(items)
	}
	if _, ok := t.Resources.UsageOnly[resourceType]; ok {
		return UsageOnly, nil
	}
	if slices.Contains(t.Resources.Free, resourceType) {
		return Free, nil
	}
	return Unknown, nil
}
