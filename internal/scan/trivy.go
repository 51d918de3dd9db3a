package scan

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Finding is one failed trivy misconfiguration check.
type Finding struct {
	// ID is the check id in its AVD form, e.g. AVD-AWS-0104 (what `#trivy:ignore:` and .trivyignore.yaml use).
	ID       string
	Severity string // CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN
	Title    string
	Message  string
	// Target is the scanned file the finding is in, relative to the scanned directory (for a plan: <env>.json).
	Target string
	// Resource is the resource trivy blames: a Terraform address (plans) or the resource in Target (code).
	Resource           string
	StartLine, EndLine int
	// Suppressed: matched by an entry of .trivyignore.yaml (Statement holds the entry's reason). Findings ignored
	// by inline `#trivy:ignore:` comments are not reported by trivy at all.
	Suppressed bool
	Statement  string
	// Roots are the environment roots (dev, staging, prod) through which a code finding was reached.
	Roots []string
}

// Gating reports whether the finding fails the build: HIGH or CRITICAL and not suppressed.
func (f Finding) Gating() bool {
	return !f.Suppressed && (f.Severity == "HIGH" || f.Severity == "CRITICAL")
}

// Tracked reports whether the finding belongs in the generated report: MEDIUM or LOW and not suppressed.
func (f Finding) Tracked() bool {
	return !f.Suppressed && (f.Severity == "MEDIUM" || f.Severity == "LOW")
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s %s %s:%d %s: %s", f.Severity, f.ID, f.Target, f.StartLine, f.Resource, f.Message)
	if f.Suppressed {
		s += " (suppressed: " + f.Statement + ")"
	}
	return s
}

// Filter returns the findings for which keep is true.
func Filter(findings []Finding, keep func(Finding) bool) []Finding {
	var out []Finding
	for _, f := range findings {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// Trivy runs `trivy config` offline with the built-in checks on path (a directory of Terraform code or a plan JSON
// file) and returns every failed check. Inline `#trivy:ignore:` comments in Terraform code are honoured by trivy;
// .trivyignore.yaml is applied by the callers (ApplyIgnores), because trivy reports plan findings against a
// generated main.tf and could not scope an entry to one environment's plan.
func Trivy(ctx context.Context, t *Tools, path string) ([]Finding, error) {
	tmp, err := os.MkdirTemp("", "ec2stack-trivy-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out, none := filepath.Join(tmp, "result.json"), filepath.Join(tmp, "empty-ignorefile")
	if err := os.WriteFile(none, nil, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, t.Trivy, "config",
		"--quiet", "--format", "json", "--output", out,
		"--skip-check-update", "--skip-version-check", "--disable-telemetry",
		"--cache-dir", filepath.Join(tmp, "cache"),
		"--ignorefile", none, // not a .trivyignore the working directory may hold
		path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("trivy config %s: %w\n%s", path, err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	return parseTrivy(data)
}

// TrivyCode scans a directory of Terraform code and applies .trivyignore.yaml (paths match the finding's file,
// relative to dir). Inline ignores that no longer match anything are reported by UnusedInlineIgnores.
func TrivyCode(ctx context.Context, t *Tools, dir string) ([]Finding, error) {
	findings, err := Trivy(ctx, t, dir)
	if err != nil {
		return nil, err
	}
	ignores, err := LoadIgnores(t.TrivyIgnoreFile)
	if err != nil {
		return nil, err
	}
	ApplyIgnores(findings, ignores, "")
	return findings, nil
}

// TrivyPlan scans the plan JSON of environment env (`terraform show -json` output) and applies the entries of
// .trivyignore.yaml whose paths match "<env>.json". It returns all findings, suppressed ones marked; an entry
// scoped to this environment that suppresses nothing is an error (*UnusedIgnoresError, findings still returned).
//
// trivy 0.74 renders a plan into HCL and renders a null list element (a value only known after apply, e.g. an
// ARN in an IAM policy document) as "<nil>": the file then fails to parse and trivy silently reports nothing.
// Such elements are dropped before the scan (they are unknown, which is how trivy treats unknown scalars too).
func TrivyPlan(ctx context.Context, t *Tools, env, planJSON string) ([]Finding, error) {
	data, err := os.ReadFile(planJSON)
	if err != nil {
		return nil, err
	}
	var plan any
	if err := json.Unmarshal(data, &plan); err != nil {
		return nil, fmt.Errorf("%s: %w", planJSON, err)
	}
	if data, err = json.Marshal(dropNullListElements(plan)); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ec2stack-plan-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	name := env + ".json"
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		return nil, err
	}
	findings, err := Trivy(ctx, t, filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	ignores, err := LoadIgnores(t.TrivyIgnoreFile)
	if err != nil {
		return nil, err
	}
	used := ApplyIgnores(findings, ignores, name)
	var unused []Ignore
	for i, ig := range ignores {
		if !used[i] && ig.Applies(name) && !ig.Expired() {
			unused = append(unused, ig)
		}
	}
	names := planResourceNames(plan)
	for i := range findings {
		if addr, ok := names[findings[i].Resource]; ok {
			findings[i].Resource = addr
		}
	}
	SortFindings(findings)
	if len(unused) > 0 {
		return findings, &UnusedIgnoresError{Target: name, Ignores: unused}
	}
	return findings, nil
}

// planResourceNames maps the names trivy gives resources of a plan (type.name_<md5 of the module address>) back
// to their Terraform addresses without instance keys, e.g. module.stack.module.logs.aws_s3_bucket.this.
func planResourceNames(plan any) map[string]string {
	names := map[string]string{}
	p, _ := plan.(map[string]any)
	changes, _ := p["resource_changes"].([]any)
	for _, c := range changes {
		rc, _ := c.(map[string]any)
		addr, _ := rc["address"].(string)
		typ, _ := rc["type"].(string)
		name, _ := rc["name"].(string)
		if addr == "" || typ == "" || !strings.HasPrefix(addr, "module.") {
			continue
		}
		module := strings.TrimSuffix(strings.Split(addr, "."+typ+".")[0], ".data")
		sum := md5.Sum([]byte(module))
		display := typ + "." + name
		if mode, _ := rc["mode"].(string); mode == "data" {
			display = "data." + display
		}
		names[typ+"."+name+"_"+hex.EncodeToString(sum[:])] = instanceKeys.ReplaceAllString(module, "") + "." + display
	}
	return names
}

var instanceKeys = regexp.MustCompile(`\[[^\]]*\]`)

func dropNullListElements(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = dropNullListElements(e)
		}
		return x
	case []any:
		out := x[:0]
		for _, e := range x {
			if e != nil {
				out = append(out, dropNullListElements(e))
			}
		}
		return out
	default:
		return v
	}
}

type trivyMisconf struct {
	ID, AVDID, Title, Message, Severity, Status string
	CauseMetadata                               struct {
		Resource           string
		StartLine, EndLine int
		Occurrences        []struct{ Resource, Filename string }
	}
}

type trivyReport struct {
	Results []struct {
		Target            string
		Misconfigurations []trivyMisconf
	}
}

func parseTrivy(data []byte) ([]Finding, error) {
	var r trivyReport
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("trivy JSON: %w", err)
	}
	var out []Finding
	conv := func(target string, m trivyMisconf) Finding {
		id := m.AVDID
		if id == "" {
			id = m.ID
		}
		if !strings.HasPrefix(id, "AVD-") {
			id = "AVD-" + id
		}
		f := Finding{
			ID: id, Severity: m.Severity, Title: m.Title, Message: m.Message, Target: filepath.ToSlash(target),
			Resource: m.CauseMetadata.Resource, StartLine: m.CauseMetadata.StartLine, EndLine: m.CauseMetadata.EndLine,
		}
		// Code scans blame the root's module call (module.stack); the occurrences hold the resource itself and
		// the chain of module calls up to the environment roots that reach it.
		resourceSet := false
		for _, o := range m.CauseMetadata.Occurrences {
			if !resourceSet && strings.Contains(o.Resource, ".") && !strings.HasPrefix(o.Resource, "module.") && !strings.HasPrefix(o.Resource, "dynamic.") {
				f.Resource, resourceSet = o.Resource, true
			}
			if env, ok := strings.CutPrefix(path.Dir(filepath.ToSlash(o.Filename)), "envs/"); ok {
				f.Roots = append(f.Roots, env)
			}
		}
		return f
	}
	for _, res := range r.Results {
		for _, m := range res.Misconfigurations {
			if m.Status != "FAIL" {
				continue
			}
			out = append(out, conv(res.Target, m))
		}
	}
	SortFindings(out)
	return out, nil
}

// SortFindings orders findings by target, resource, id and line, so reports are stable.
func SortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmpAll(strings.Compare(a.Target, b.Target), strings.Compare(a.Resource, b.Resource),
			strings.Compare(a.ID, b.ID), a.StartLine-b.StartLine, strings.Compare(a.Message, b.Message))
	})
}

func cmpAll(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}
