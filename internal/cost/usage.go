package cost

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// UsageFile is an environment's committed usage file, relative to the repository root.
func UsageFile(env string) string { return filepath.Join("terraform", "envs", env, "usage.yaml") }

// Usage is what an estimate assumes an environment does in a month: the inputs of every usage-priced line. Each
// committed usage file states every value; a --usage file overrides them key by key.
type Usage struct {
	NATDataGB           float64   `yaml:"nat_data_gb" json:"nat_data_gb"`                         // GB a month through the NAT gateways, split evenly among them
	EndpointDataGB      float64   `yaml:"endpoint_data_gb" json:"endpoint_data_gb"`               // GB a month through the interface endpoints, split evenly
	ALBDataGB           float64   `yaml:"alb_data_gb" json:"alb_data_gb"`                         // GB a month the load balancer processes
	RequestsMillion     float64   `yaml:"requests_million" json:"requests_million"`               // application requests a month (load balancer, CloudFront, WAF)
	CloudFrontDataGB    float64   `yaml:"cloudfront_data_gb" json:"cloudfront_data_gb"`           // GB a month CloudFront delivers to viewers
	DNSQueriesMillion   float64   `yaml:"dns_queries_million" json:"dns_queries_million"`         // queries a month to each hosted zone
	LogGBPerDay         float64   `yaml:"log_gb_per_day" json:"log_gb_per_day"`                   // CloudWatch Logs ingested a day, all log groups together
	AccessLogGBPerMonth float64   `yaml:"access_log_gb_per_month" json:"access_log_gb_per_month"` // access logs written a month into each log bucket
	DatabaseDataGB      float64   `yaml:"database_data_gb" json:"database_data_gb"`               // data in each database (its backups are priced from it)
	VolumeDataGB        float64   `yaml:"volume_data_gb" json:"volume_data_gb"`                   // data on each instance's volumes (its snapshots)
	DailyChangePercent  float64   `yaml:"daily_change_percent" json:"daily_change_percent"`       // share of that data changed a day (incremental backups)
	SpotDiscountPercent []float64 `yaml:"spot_discount_percent" json:"spot_discount_percent"`     // [low, high] % off on-demand; empty: the price table's
	path                string
}

// fields are the yaml keys of Usage, in order.
func usageKeys() []string {
	t := reflect.TypeOf(Usage{})
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if k := t.Field(i).Tag.Get("yaml"); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// LoadUsage reads the committed usage file of env under home, then, when override is not "", the override file
// on top of it. Every committed file must state every key; an override may state some.
func LoadUsage(home, env, override string) (Usage, error) {
	u, err := readUsage(filepath.Join(home, UsageFile(env)), true, Usage{})
	if err != nil {
		return Usage{}, err
	}
	u.path = UsageFile(env)
	if override == "" {
		return u, nil
	}
	return readUsage(override, false, u)
}

func readUsage(path string, complete bool, base Usage) (Usage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Usage{}, fmt.Errorf("usage file %s: %w", path, unwrapPath(err))
	}
	var keys map[string]any
	if err := yaml.Unmarshal(b, &keys); err != nil {
		return Usage{}, fmt.Errorf("usage file %s: %w", path, err)
	}
	valid := usageKeys()
	if complete {
		var missing []string
		for _, k := range valid {
			if _, ok := keys[k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return Usage{}, fmt.Errorf("usage file %s: states no value for %s (every key must be stated)", path, strings.Join(missing, ", "))
		}
	}
	u := base
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&u); err != nil {
		return Usage{}, fmt.Errorf("usage file %s: %s (valid keys: %s)", path, oneLine(err.Error()), strings.Join(valid, ", "))
	}
	u.path = path
	return u, u.validate()
}

func (u Usage) validate() error {
	v := reflect.ValueOf(u)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key := t.Field(i).Tag.Get("yaml")
		if !t.Field(i).IsExported() {
			continue
		}
		if f, ok := v.Field(i).Interface().(float64); ok && f < 0 {
			return fmt.Errorf("usage file %s: %s = %v: must be 0 or more", u.path, key, f)
		}
	}
	if u.DailyChangePercent > 100 {
		return fmt.Errorf("usage file %s: daily_change_percent = %v: must be at most 100", u.path, u.DailyChangePercent)
	}
	if s := u.SpotDiscountPercent; len(s) != 0 && (len(s) != 2 || s[0] < 0 || s[0] > s[1] || s[1] >= 100) {
		return fmt.Errorf("usage file %s: spot_discount_percent = %v: must be [low, high] with 0 <= low <= high < 100", u.path, s)
	}
	return nil
}

// Path is the file the usage was read from (the override, when there was one).
func (u Usage) Path() string { return u.path }

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// oneLine joins the lines of a (yaml) error message.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}
