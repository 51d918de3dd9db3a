package scan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ReportFile is the generated findings report, relative to the repository root.
const ReportFile = "docs/security-scan.md"

// Report sources: "code" (trivy on terraform/) or an environment name (trivy on that environment's plan JSON).
const SourceCode = "code"

func beginMarker(source string) string {
	return "<!-- BEGIN GENERATED: trivy MEDIUM/LOW findings, " + source + " -->"
}

func endMarker(source string) string {
	return "<!-- END GENERATED: trivy MEDIUM/LOW findings, " + source + " -->"
}

// RenderFindings renders the tracked (MEDIUM/LOW, not suppressed) findings of one source as a Markdown table.
// Rows carry no line numbers, so edits elsewhere in a file do not make the report stale; a module resource reached
// from several environment roots is one row listing those roots.
func RenderFindings(source string, findings []Finding) string {
	type row struct {
		f     Finding
		roots map[string]bool
	}
	var keys []string
	rows := map[string]*row{}
	for _, f := range findings {
		if !f.Tracked() {
			continue
		}
		k := strings.Join([]string{f.ID, f.Target, f.Resource, f.Title}, "\x00")
		r := rows[k]
		if r == nil {
			r = &row{f: f, roots: map[string]bool{}}
			rows[k] = r
			keys = append(keys, k)
		}
		for _, root := range f.Roots {
			r.roots[root] = true
		}
	}
	if len(keys) == 0 {
		return "No MEDIUM or LOW findings.\n"
	}
	var b strings.Builder
	b.WriteString("| Check | Severity | Where | Resource | Title |\n|---|---|---|---|---|\n")
	for _, k := range keys {
		r := rows[k]
		where := source + " plan"
		if source == SourceCode {
			var roots []string
			for _, env := range []string{"dev", "staging", "prod"} {
				if r.roots[env] {
					roots = append(roots, env)
					delete(r.roots, env)
				}
			}
			for env := range r.roots {
				roots = append(roots, env)
			}
			where = "code: terraform/" + r.f.Target
			if len(roots) > 0 {
				where += " (" + strings.Join(roots, ", ") + ")"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | `%s` | %s |\n", r.f.ID, r.f.Severity, where, r.f.Resource, mdEscape(r.f.Title))
	}
	return b.String()
}

func mdEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

// ReportSection returns the generated body of source's section in the report document.
func ReportSection(doc []byte, source string) (string, error) {
	begin, end := beginMarker(source), endMarker(source)
	i := bytes.Index(doc, []byte(begin))
	j := bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		return "", fmt.Errorf("%s: no section %q ... %q", ReportFile, begin, end)
	}
	return strings.TrimPrefix(string(doc[i+len(begin):j]), "\n"), nil
}

// ReplaceReportSection returns doc with source's section body replaced by body.
func ReplaceReportSection(doc []byte, source, body string) ([]byte, error) {
	begin, end := beginMarker(source), endMarker(source)
	i := bytes.Index(doc, []byte(begin))
	j := bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		return nil, fmt.Errorf("%s: no section %q ... %q", ReportFile, begin, end)
	}
	var out bytes.Buffer
	out.Write(doc[:i+len(begin)])
	out.WriteString("\n" + body)
	out.Write(doc[j:])
	return out.Bytes(), nil
}

var reportMu sync.Mutex

// CheckReport compares source's section of the report with the current findings. With update it rewrites the
// section instead (and reports nothing); otherwise a stale section is an error that shows both versions.
func CheckReport(t *Tools, source string, findings []Finding, update bool) error {
	reportMu.Lock()
	defer reportMu.Unlock()
	path := filepath.Join(t.Root, ReportFile)
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	want := RenderFindings(source, findings)
	if update {
		out, err := ReplaceReportSection(doc, source, want)
		if err != nil {
			return err
		}
		if bytes.Equal(out, doc) {
			return nil
		}
		return os.WriteFile(path, out, 0o644)
	}
	got, err := ReportSection(doc, source)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s is stale for %s: regenerate it with `%s`\n--- committed\n%s--- current scan\n%s",
			ReportFile, source, testFor(source), got, want)
	}
	return nil
}

// testFor is the command that rewrites source's table.
func testFor(source string) string {
	if source == SourceCode {
		return "go test ./test/scan -run TestTrivyTerraformCode -update"
	}
	return "go test ./test/e2e -run TestPlanWithRealSettings -args -update"
}
