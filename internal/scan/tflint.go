package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// Issue is one tflint finding (or error) in a Terraform directory.
type Issue struct {
	Dir      string // the linted directory, relative to the repository root
	Rule     string // rule name; "error" for errors tflint could not turn into an issue
	Severity string
	Message  string
	File     string // relative to the repository root
	Line     int
}

func (i Issue) String() string {
	return fmt.Sprintf("%s:%d: %s [%s %s]", i.File, i.Line, i.Message, i.Severity, i.Rule)
}

// TerraformDirs lists the directories tflint checks: every module and every environment root (not
// terraform/envs/_shared, whose files only make sense inside an environment root).
func TerraformDirs(t *Tools) ([]string, error) {
	var dirs []string
	for _, pattern := range []string{"terraform/modules/*", "terraform/envs/*"} {
		matches, err := filepath.Glob(filepath.Join(t.Root, pattern))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			if filepath.Base(m) == "_shared" {
				continue
			}
			if tf, _ := filepath.Glob(filepath.Join(m, "*.tf")); len(tf) > 0 {
				rel, _ := filepath.Rel(t.Root, m)
				dirs = append(dirs, rel)
			}
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}

// Tflint runs tflint with the repository's .tflint.hcl (terraform "recommended" preset and the AWS ruleset) in
// dir (relative to the repository root) and returns its issues and errors. Local module calls are inspected
// from source (no `terraform init` needed), so values passed from an environment root reach the module rules.
func Tflint(ctx context.Context, t *Tools, dir string) ([]Issue, error) {
	cmd := exec.CommandContext(ctx, t.Tflint,
		"--chdir", filepath.Join(t.Root, dir),
		"--config", t.TflintConfig,
		"--format", "json",
		"--call-module-type", "local",
		"--no-color",
	)
	cmd.Env = append(os.Environ(), "TFLINT_PLUGIN_DIR="+t.PluginDir)
	cmd.Dir = t.Root // file names in the report are relative to the working directory
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exit status 2 (errors) or 3 (issues) still prints the JSON report
	var report struct {
		Issues []struct {
			Rule struct {
				Name, Severity string
			}
			Message string
			Range   tflintRange
		}
		Errors []struct {
			Message, Severity string
			Range             *tflintRange
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		return nil, fmt.Errorf("tflint in %s: %v (%v)\n%s%s", dir, runErr, err, stdout.String(), stderr.String())
	}
	var out []Issue
	for _, i := range report.Issues {
		out = append(out, Issue{Dir: dir, Rule: i.Rule.Name, Severity: i.Rule.Severity, Message: i.Message,
			File: i.Range.Filename, Line: i.Range.Start.Line})
	}
	for _, e := range report.Errors {
		i := Issue{Dir: dir, Rule: "error", Severity: e.Severity, Message: e.Message}
		if e.Range != nil {
			i.File, i.Line = e.Range.Filename, e.Range.Start.Line
		}
		out = append(out, i)
	}
	if runErr != nil && len(out) == 0 {
		return nil, fmt.Errorf("tflint in %s: %v\n%s", dir, runErr, stderr.String())
	}
	return out, nil
}

type tflintRange struct {
	Filename string
	Start    struct{ Line int }
}
