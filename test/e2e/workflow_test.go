package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/env"
	"go.yaml.in/yaml/v3"
)

type workflowStep struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
}

type workflowFile struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []workflowStep    `yaml:"steps"`
	} `yaml:"jobs"`
}

var workflowExpr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// TestPRWorkflowOnEmulator runs the ec2stack steps of .github/workflows/pr.yml unchanged for dev against a private
// moto: plan, check --sarif, cost --markdown and the step composing the environment's comment section, with the
// workflow's and the job's env (EC2STACK_FLAGS pointing at the emulator) and GitHub's output files.
func TestPRWorkflowOnEmulator(t *testing.T) {
	t.Parallel()
	requireTerraform(t)
	moto := startMoto(t)
	raw, err := os.ReadFile(filepath.Join(root(), ".github", "workflows", "pr.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf workflowFile
	if err := yaml.Unmarshal(raw, &wf); err != nil {
		t.Fatalf("pr.yml: %v", err)
	}
	job, ok := wf.Jobs["plan"]
	if !ok {
		t.Fatal("pr.yml has no per-environment job \"plan\"")
	}
	work, dir := t.TempDir(), t.TempDir()
	outputs := map[string]map[string]string{}
	subst := func(s string) string {
		return workflowExpr.ReplaceAllStringFunc(s, func(m string) string {
			e := workflowExpr.FindStringSubmatch(m)[1]
			if e == "matrix.env" {
				return "dev"
			}
			if p := strings.Split(e, "."); len(p) == 4 && p[0] == "steps" && p[2] == "outputs" {
				return outputs[p[1]][p[3]]
			}
			return ""
		})
	}
	base := append(os.Environ(), env.HomeVar+"="+root(), env.WorkDirVar+"="+work,
		"PATH="+filepath.Dir(cliBinary)+string(os.PathListSeparator)+os.Getenv("PATH"))
	for k, v := range wf.Env {
		base = append(base, k+"="+subst(v))
	}
	for k, v := range job.Env {
		base = append(base, k+"="+subst(v))
	}
	base = append(base, "EC2STACK_FLAGS=--endpoint "+moto.Endpoint)
	summary := filepath.Join(dir, "summary.md")
	calls := regexp.MustCompile(`(?m)^\s*ec2stack (plan|check|cost) `)
	ran := map[string]bool{}
	for i, st := range job.Steps {
		if st.Uses != "" || st.Run == "" {
			continue // GitHub-only actions are not ec2stack's
		}
		var kind string
		if m := calls.FindStringSubmatch(st.Run); m != nil {
			kind = m[1]
		} else if strings.Contains(st.Run, "comment-$ENV.md") {
			kind = "compose"
		} else {
			continue
		}
		ran[kind] = true
		out := filepath.Join(dir, "output-"+kind)
		stepEnv := append([]string{}, base...)
		for k, v := range st.Env {
			stepEnv = append(stepEnv, k+"="+subst(v))
		}
		stepEnv = append(stepEnv, "GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+summary,
			"GITHUB_ENV="+filepath.Join(dir, "env"), "GITHUB_PATH="+filepath.Join(dir, "path"), "RUNNER_TEMP="+dir)
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", st.Run)
		cmd.Dir, cmd.Env = work, stepEnv
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pr.yml step %d %q: %v\n%s", i, st.Name, err, b)
		}
		if st.ID != "" {
			outputs[st.ID] = readGitHubOutput(t, out)
		}
	}
	for _, k := range []string{"plan", "check", "cost", "compose"} {
		if !ran[k] {
			t.Fatalf("pr.yml's plan job has no %s step running ec2stack", k)
		}
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name string `json:"name"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	b, err := os.ReadFile(filepath.Join(work, "check-dev.sarif"))
	if err != nil {
		t.Fatalf("the check step wrote no SARIF: %v", err)
	}
	if err := json.Unmarshal(b, &sarif); err != nil {
		t.Fatalf("check-dev.sarif is not JSON: %v", err)
	}
	if sarif.Version != "2.1.0" || len(sarif.Runs) == 0 || sarif.Runs[0].Tool.Driver.Name != "ec2stack" {
		t.Fatalf("check-dev.sarif: version %q, runs %+v; want 2.1.0 and a run by ec2stack", sarif.Version, sarif.Runs)
	}
	cost, err := os.ReadFile(filepath.Join(work, "cost-dev.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`USD [0-9]+\.[0-9]{2} a month`).Match(cost) {
		t.Fatalf("cost-dev.md has no monthly figure:\n%s", cost)
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), string(cost)) {
		t.Errorf("the step summary does not carry the cost Markdown:\n%s", s)
	}
	plan := outputs["plan"]["summary"]
	if !regexp.MustCompile(`^Plan for dev\b.*: [1-9][0-9]* to add, 0 to change, 0 to replace, 0 to destroy\.$`).MatchString(plan) {
		t.Fatalf("the plan step's summary output is %q; want only the plan's line, with resources to add", plan)
	}
	if v := outputs["check"]["verdict"]; v != "pass" {
		t.Fatalf("the check step's verdict is %q; want pass", v)
	}
	comment, err := os.ReadFile(filepath.Join(work, "comment-dev.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"### dev", "**Plan:** " + strings.TrimSpace(plan), "**Check:** pass", strings.TrimSpace(string(cost))} {
		if !strings.Contains(string(comment), want) {
			t.Errorf("comment-dev.md misses %q:\n%s", want, comment)
		}
	}
}

// readGitHubOutput parses a GITHUB_OUTPUT file: name=value lines and name<<DELIM heredocs.
func readGitHubOutput(t *testing.T, path string) map[string]string {
	t.Helper()
	m := map[string]string{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return m
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if k, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(k, "=") {
			var lines []string
			for sc.Scan() && sc.Text() != delim {
				lines = append(lines, sc.Text())
			}
			m[k] = strings.Join(lines, "\n")
		} else if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}
