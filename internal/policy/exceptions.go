package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// Exception accepts one finding (a check on one address in one environment), with a reason and an
// optional expiry date (YYYY-MM-DD, last valid day).
type Exception struct {
	Check       string `json:"check" yaml:"check"`
	Address     string `json:"address" yaml:"address"`
	Environment string `json:"environment" yaml:"environment"`
	Reason      string `json:"reason" yaml:"reason"`
	Expires     string `json:"expires,omitempty" yaml:"expires,omitempty"`
}

// ExceptionRule is the pseudo-rule of findings about the exception file itself.
var ExceptionRule = Rule{
	ID:         "EC2S-000",
	Name:       "exception-file",
	Severity:   "HIGH",
	Summary:    "Every exception must be current and match a finding of a known check.",
	Resolution: "Remove the exception, fix its check id/address, or renew it with a new expiry date and reason.",
	References: []string{},
}

const dateLayout = "2006-01-02"

// LoadExceptions reads an exception file:
//
//	exceptions:
//	  - check: EC2S-301
//	    address: module.stack.module.compute.aws_launch_template.this
//	    environment: dev
//	    reason: detailed monitoring costs money in dev
//	    expires: 2026-12-31   # optional
//
// A missing file means no exceptions.
func LoadExceptions(path string) ([]Exception, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read exceptions: %w", err)
	}
	var doc struct {
		Exceptions []Exception `yaml:"exceptions"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("exceptions %s: %s", path, oneLine(err))
	}
	for i, x := range doc.Exceptions {
		where := fmt.Sprintf("exceptions %s: entry %d", path, i+1)
		for _, f := range []struct{ name, value string }{
			{"check", x.Check}, {"address", x.Address}, {"environment", x.Environment}, {"reason", x.Reason},
		} {
			if f.value == "" {
				return nil, fmt.Errorf("%s: missing %q", where, f.name)
			}
		}
		if x.Expires != "" {
			if _, err := time.Parse(dateLayout, x.Expires); err != nil {
				return nil, fmt.Errorf("%s: invalid \"expires\" %q: want a date YYYY-MM-DD", where, x.Expires)
			}
		}
	}
	return doc.Exceptions, nil
}

// Apply moves the findings accepted by this environment's exceptions to Excepted, and reports
// exceptions that are expired, match nothing or name an unknown check as EC2S-000 findings.
// An expired exception does not accept its finding.
func Apply(env string, rules []Rule, findings []Finding, exceptions []Exception, today time.Time) *Report {
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	day := today.Format(dateLayout)
	excepted := make([]*Exception, len(findings))
	var problems []Finding
	problem := func(x Exception, msg string) {
		problems = append(problems, Finding{
			RuleID: ExceptionRule.ID, RuleName: ExceptionRule.Name, Severity: ExceptionRule.Severity,
			Address: x.Address, Value: x.Check, Message: msg,
		})
	}
	for _, x := range exceptions {
		if x.Environment != env {
			continue
		}
		x := x
		switch {
		case !known[x.Check]:
			problem(x, fmt.Sprintf("exception names unknown check %s", x.Check))
		case x.Expires != "" && day > x.Expires:
			problem(x, fmt.Sprintf("exception for %s expired on %s", x.Check, x.Expires))
		default:
			matched := false
			for i, f := range findings {
				if f.RuleID == x.Check && f.Address == x.Address {
					matched = true
					if excepted[i] == nil {
						excepted[i] = &x
					}
				}
			}
			if !matched {
				problem(x, fmt.Sprintf("exception for %s matches no finding in %s", x.Check, env))
			}
		}
	}
	r := &Report{Environment: env, Rules: rules, Findings: []Finding{}, Excepted: []Finding{}}
	for i, f := range findings {
		if excepted[i] != nil {
			f.Exception = excepted[i]
			r.Excepted = append(r.Excepted, f)
		} else {
			r.Findings = append(r.Findings, f)
		}
	}
	r.Findings = append(r.Findings, problems...)
	sortFindings(r.Findings)
	return r
}

// Report is the outcome of checking one plan.
type Report struct {
	Environment string    `json:"environment"`
	Rules       []Rule    `json:"rules"`
	Findings    []Finding `json:"findings"` // violations, exception problems (EC2S-000) included
	Excepted    []Finding `json:"excepted"` // findings accepted by an exception (Exception set)
}

// Clean reports whether there is no violation left.
func (r *Report) Clean() bool { return len(r.Findings) == 0 }
