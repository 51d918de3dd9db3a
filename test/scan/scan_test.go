// Package scan_test lints and scans the Terraform code with the pinned tflint and trivy (built by `make tools`):
// zero tflint issues in every module and environment root, zero unsuppressed HIGH/CRITICAL trivy findings, and
// the MEDIUM/LOW findings table in docs/security-scan.md up to date (`-update` regenerates it).
//
// Plan scans belong to the e2e plan tests (test/e2e checkPlan calls scan.TrivyPlan on the plans they make).
package scan_test

import (
	"context"
	"flag"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/scan"
)

var update = flag.Bool("update", false, "rewrite the generated findings tables in "+scan.ReportFile)

var environments = []string{"dev", "staging", "prod"}

func tools(t *testing.T) *scan.Tools {
	t.Helper()
	if testing.Short() {
		t.Skip("scans terraform/ with the pinned trivy and tflint (make tools); run without -short")
	}
	tl, err := scan.FindTools()
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func TestTflint(t *testing.T) {
	tl := tools(t)
	dirs, err := scan.TerraformDirs(tl)
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no Terraform directories found")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	results := make([][]scan.Issue, len(dirs))
	errs := make([]error, len(dirs))
	sem := make(chan struct{}, 2)
	for i, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = scan.Tflint(ctx, tl, dir)
		}()
	}
	wg.Wait()
	for i, dir := range dirs {
		if errs[i] != nil {
			t.Errorf("%s: %v", dir, errs[i])
			continue
		}
		for _, issue := range results[i] {
			t.Errorf("%s", issue)
		}
	}
}

func TestTrivyTerraformCode(t *testing.T) {
	tl := tools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := filepath.Join(tl.Root, "terraform")
	start := time.Now()
	findings, err := scan.TrivyCode(ctx, tl, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trivy config terraform/: %d findings in %s", len(findings), time.Since(start).Round(time.Second))
	checkFindings(t, tl, scan.SourceCode, findings)

	// Every inline `#trivy:ignore:` must still suppress something: scan again with them disabled.
	unused, err := scan.UnusedInlineIgnores(ctx, tl, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ig := range unused {
		t.Errorf("terraform/%s matches no finding: remove it", ig)
	}
}

// checkFindings fails on every unsuppressed HIGH/CRITICAL finding and on a stale report table for source.
func checkFindings(t *testing.T, tl *scan.Tools, source string, findings []scan.Finding) {
	t.Helper()
	for _, f := range scan.Filter(findings, scan.Finding.Gating) {
		t.Errorf("%s", f)
	}
	for _, f := range scan.Filter(findings, func(f scan.Finding) bool { return f.Suppressed }) {
		t.Logf("suppressed by %s: %s", filepath.Base(tl.TrivyIgnoreFile), f)
	}
	if err := scan.CheckReport(tl, source, findings, *update); err != nil {
		t.Error(err)
	}
	if *update {
		t.Logf("updated %s (%s): %d MEDIUM/LOW findings", scan.ReportFile, source,
			strings.Count(scan.RenderFindings(source, findings), "\n| AVD-"))
	}
}
