package timing

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed durations.yaml
var durationsYAML []byte

// Table holds the typical create, update and delete times on real AWS of each resource type (durations.yaml).
type Table struct {
	rows map[string]Row
}

// Row is one resource type's figures, in seconds. Update 0 means "as long as a create".
type Row struct {
	Type     string    `yaml:"type"`
	Create   int       `yaml:"create"`
	Update   int       `yaml:"update"`
	Delete   int       `yaml:"delete"`
	Source   string    `yaml:"source"`
	Variants []Variant `yaml:"variants"`
}

// Variant replaces a row's figures for the resources whose planned values match When (attribute = value; the
// value "set" matches any value that is present and neither null nor empty, including one unknown until apply).
type Variant struct {
	When   map[string]any `yaml:"when"`
	Create int            `yaml:"create"`
	Update int            `yaml:"update"`
	Delete int            `yaml:"delete"`
	Source string         `yaml:"source"`
}

// Figures are the durations that apply to one resource.
type Figures struct {
	Create, Update, Delete time.Duration
	Source                 string
}

// MissingTypeError is a resource type the table has no row for.
type MissingTypeError struct{ Type string }

func (e *MissingTypeError) Error() string {
	return fmt.Sprintf("resource type %s has no row in internal/timing/durations.yaml: add its typical create and delete seconds on AWS with a source", e.Type)
}

// Default is the table embedded from durations.yaml.
func Default() (*Table, error) { return LoadTable(durationsYAML) }

// LoadTable reads and validates a table: every row has a type (once), positive create and delete seconds, an
// update that is not negative, and a source; so has every variant, which also needs a condition.
func LoadTable(data []byte) (*Table, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var rows []Row
	if err := dec.Decode(&rows); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("durations table: %w", err)
	}
	if len(rows) == 0 {
		return nil, errors.New("durations table: no rows")
	}
	t := &Table{rows: map[string]Row{}}
	for i, r := range rows {
		if r.Type == "" {
			return nil, fmt.Errorf("durations table: row %d has no type", i+1)
		}
		if _, dup := t.rows[r.Type]; dup {
			return nil, fmt.Errorf("durations table: type %s has two rows", r.Type)
		}
		if err := checkFigures(r.Type, r.Create, r.Update, r.Delete, r.Source); err != nil {
			return nil, err
		}
		for j, v := range r.Variants {
			name := fmt.Sprintf("%s variant %d", r.Type, j+1)
			if len(v.When) == 0 {
				return nil, fmt.Errorf("durations table: %s has no `when` condition", name)
			}
			if err := checkFigures(name, v.Create, v.Update, v.Delete, v.Source); err != nil {
				return nil, err
			}
		}
		t.rows[r.Type] = r
	}
	return t, nil
}

func checkFigures(name string, create, update, del int, source string) error {
	switch {
	case create <= 0:
		return fmt.Errorf("durations table: %s create = %d, must be a positive number of seconds", name, create)
	case del <= 0:
		return fmt.Errorf("durations table: %s delete = %d, must be a positive number of seconds", name, del)
	case update < 0:
		return fmt.Errorf("durations table: %s update = %d, must not be negative (omit it: as long as a create)", name, update)
	case source == "":
		return fmt.Errorf("durations table: %s has no source", name)
	}
	return nil
}

// Types lists the resource types the table knows, sorted.
func (t *Table) Types() []string {
	out := make([]string, 0, len(t.rows))
	for k := range t.rows {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the figures for a resource of type typ whose planned values are after (after_unknown marks
// values known only at apply). A type without a row is a *MissingTypeError.
func (t *Table) Lookup(typ string, after, afterUnknown map[string]any) (Figures, error) {
	r, ok := t.rows[typ]
	if !ok {
		return Figures{}, &MissingTypeError{Type: typ}
	}
	create, update, del, source := r.Create, r.Update, r.Delete, r.Source
	for _, v := range r.Variants {
		if matches(v.When, after, afterUnknown) {
			create, update, del, source = v.Create, v.Update, v.Delete, v.Source
			break
		}
	}
	if update == 0 {
		update = create
	}
	return Figures{Create: seconds(create), Update: seconds(update), Delete: seconds(del), Source: source}, nil
}

func matches(when, after, afterUnknown map[string]any) bool {
	for k, want := range when {
		got, present := after[k]
		unknown, _ := afterUnknown[k].(bool)
		if want == "set" {
			if !(unknown || present && got != nil && got != "") {
				return false
			}
			continue
		}
		if !present || fmt.Sprint(got) != fmt.Sprint(want) {
			return false
		}
	}
	return true
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
