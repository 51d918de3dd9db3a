// Package terraform adapts terraform-exec to ec2stack: one Runner per
// (target, environment) with its own TF_DATA_DIR, plan file and process
// environment, plus Terraform's JSON event stream as typed events.
package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
)

// Options configure a Runner.
type Options struct {
	Tool      Tool              // terraform binary (FindTool)
	Home      string            // repository root; working data goes to env.WorkDir(Home)
	Root      string            // Terraform root module directory
	Target    string            // emulator or aws
	Env       string            // environment name, e.g. dev
	CLIConfig string            // path of the generated CLI config (WriteCLIConfig)
	ExtraEnv  map[string]string // process env for terraform; an empty value unsets the variable
	Vars      map[string]string // input variables, passed as -var to plan and destroy
	// ReusePlan: Plan keeps the saved plan (and its JSON) when the configuration, the variables and the process
	// environment are those it was made with (see fingerprint.go). For plans that are checked, never applied,
	// against a state nothing else writes (the emulator's real-settings plan).
	ReusePlan bool
}

// Runner runs terraform for one target and environment.
type Runner struct {
	opts     Options
	dataDir  string
	plan     string
	planJSON []byte // the JSON of the plan file this Runner wrote last (one `terraform show` per plan)
}

// New prepares a Runner and its working directories.
func New(opts Options) (*Runner, error) {
	if opts.Tool.Path == "" || opts.Root == "" || opts.Home == "" || opts.Target == "" || opts.Env == "" {
		return nil, errors.New("terraform runner: tool, root, home, target and env are required")
	}
	work := filepath.Join(env.WorkDir(opts.Home), opts.Target, opts.Env)
	r := &Runner{opts: opts, dataDir: filepath.Join(work, "tfdata"), plan: PlanFile(opts.Home, opts.Target, opts.Env)}
	if err := os.MkdirAll(r.dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", r.dataDir, err)
	}
	return r, nil
}

// PlanFile is where the Runner of a target and environment saves its plan (known before anything runs).
func PlanFile(home, target, envName string) string {
	return filepath.Join(env.WorkDir(home), target, envName, "plan.tfplan")
}

// DataDir is the TF_DATA_DIR of this target and environment.
func (r *Runner) DataDir() string { return r.dataDir }

// PlanFile is where Plan saves the plan that Apply applies.
func (r *Runner) PlanFile() string { return r.plan }

// HasPlan reports whether a saved plan is waiting to be applied.
func (r *Runner) HasPlan() bool {
	_, err := os.Stat(r.plan)
	return err == nil
}

// NoPlanError is returned by Apply when there is no saved plan.
type NoPlanError struct{ Env, Target string }

func (e *NoPlanError) Error() string {
	cmd := "ec2stack plan " + e.Env
	if e.Target != "emulator" {
		cmd += " --target " + e.Target
	}
	return fmt.Sprintf("no saved plan for %s on %s: run `%s` first", e.Env, e.Target, cmd)
}

// Init runs `terraform init -reconfigure` with the given backend settings;
// nil means no backend (enough to read plan files, not to plan or apply). It is skipped when the data directory
// was initialised with the same configuration, backend settings and environment (see fingerprint.go).
func (r *Runner) Init(ctx context.Context, backend map[string]string) error {
	fingerprint := func() (string, error) {
		return r.fingerprint(append(append([]string{fmt.Sprintf("backend=%t", backend != nil)}, settings(backend)...), settings(r.opts.ExtraEnv)...)...)
	}
	sum, err := fingerprint()
	if err != nil {
		return fmt.Errorf("terraform init: reading the configuration: %w", err)
	}
	record := filepath.Join(r.dataDir, initRecord)
	if unchanged(record, sum) {
		return nil
	}
	_ = os.Remove(record)
	tf, err := r.terraform()
	if err != nil {
		return err
	}
	opts := []tfexec.InitOption{tfexec.Reconfigure(true), tfexec.Upgrade(false)}
	if backend == nil {
		opts = append(opts, tfexec.Backend(false))
	}
	for _, k := range sortedKeys(backend) {
		opts = append(opts, tfexec.BackendConfig(k+"="+backend[k]))
	}
	if err := tf.Init(ctx, opts...); err != nil {
		return fmt.Errorf("terraform init: %w%s", err, r.mirrorHint())
	}
	if sum, err = fingerprint(); err != nil { // again: init may have written the lock file
		return fmt.Errorf("terraform init: reading the configuration: %w", err)
	}
	return writeRecord(record, sum)
}

// mirrorHint explains a failed init when the provider had to come from the registry (no mirror was found).
func (r *Runner) mirrorHint() string {
	if b, err := os.ReadFile(r.opts.CLIConfig); err == nil && strings.Contains(string(b), "filesystem_mirror") {
		return ""
	}
	return fmt.Sprintf(" (no AWS provider mirror was found, so terraform tried the public registry: set %s to a "+
		"filesystem mirror holding %s 5.100.x, or allow access to registry.terraform.io)", MirrorVar, awsProvider)
}

// Plan writes the plan file and summarizes it from terraform's event stream. progress receives every event.
// With Options.ReusePlan, an unchanged plan (see fingerprint.go) is kept and nothing runs.
func (r *Runner) Plan(ctx context.Context, progress func(Event)) (PlanSummary, error) {
	vars, err := r.varOptions()
	if err != nil {
		return PlanSummary{}, err
	}
	var sum string
	if r.opts.ReusePlan {
		if sum, err = r.fingerprint(append(vars, settings(r.opts.ExtraEnv)...)...); err != nil {
			return PlanSummary{}, fmt.Errorf("terraform plan: reading the configuration: %w", err)
		}
		if s, ok := r.reuse(sum); ok {
			return s, nil
		}
	}
	r.dropPlan()
	_ = os.Remove(r.plan + planRecord)
	opts := []tfexec.PlanOption{tfexec.Out(r.plan)}
	for _, v := range vars {
		opts = append(opts, tfexec.Var(v))
	}
	events := &planEvents{}
	err = r.stream(func(ev Event) {
		events.observe(ev)
		if progress != nil {
			progress(ev)
		}
	}, func(tf *tfexec.Terraform, w io.Writer) error {
		_, err := tf.PlanJSON(ctx, w, opts...)
		return err
	})
	if err != nil {
		_ = os.Remove(r.plan)
		return PlanSummary{}, fmt.Errorf("terraform plan: %w", err)
	}
	summary, ok := events.summary()
	if !ok || r.opts.ReusePlan { // the stream did not add up (or the JSON is kept): read the plan itself
		if summary, err = r.summarizeSaved(ctx); err != nil {
			return PlanSummary{}, err
		}
	}
	if r.opts.ReusePlan {
		if err := writeRecord(r.plan+planRecord, sum); err != nil {
			return PlanSummary{}, err
		}
	}
	return summary, nil
}

// summarizeSaved reads the saved plan's JSON (PlanJSON keeps it) and summarizes it.
func (r *Runner) summarizeSaved(ctx context.Context) (PlanSummary, error) {
	raw, err := r.PlanJSON(ctx, "")
	if err != nil {
		return PlanSummary{}, err
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(raw, &plan); err != nil {
		return PlanSummary{}, fmt.Errorf("reading the plan %s: %w", r.plan, err)
	}
	return Summarize(&plan), nil
}

// reuse returns the summary of the saved plan when its record holds sum and its JSON is there.
func (r *Runner) reuse(sum string) (PlanSummary, bool) {
	if !r.HasPlan() || !unchanged(r.plan+planRecord, sum) {
		return PlanSummary{}, false
	}
	raw, err := os.ReadFile(r.plan + planJSON)
	var plan tfjson.Plan
	if err != nil || json.Unmarshal(raw, &plan) != nil {
		return PlanSummary{}, false
	}
	r.planJSON = raw
	return Summarize(&plan), true
}

// ShowPlan reads the saved plan file as JSON.
func (r *Runner) ShowPlan(ctx context.Context) (*tfjson.Plan, error) {
	if !r.HasPlan() {
		return nil, &NoPlanError{Env: r.opts.Env, Target: r.opts.Target}
	}
	tf, err := r.terraform()
	if err != nil {
		return nil, err
	}
	plan, err := tf.ShowPlanFile(ctx, r.plan)
	if err != nil {
		return nil, fmt.Errorf("terraform show %s: %w", r.plan, err)
	}
	return plan, nil
}

// PlanJSON is a plan file as `terraform show -json` prints it, byte for byte
// (tfjson's types drop fields that policy rules read). path "" means the saved plan, whose JSON is also kept
// beside it until the next Plan.
func (r *Runner) PlanJSON(ctx context.Context, path string) ([]byte, error) {
	if path == "" {
		if !r.HasPlan() {
			return nil, &NoPlanError{Env: r.opts.Env, Target: r.opts.Target}
		}
		if r.planJSON != nil {
			return r.planJSON, nil
		}
		path = r.plan
	}
	tf, err := r.terraform()
	if err != nil {
		return nil, err
	}
	// terraform-exec checks the version (printing it to stdout) before its first command; do that before
	// capturing stdout, so that the capture holds the plan JSON alone.
	if _, _, err := tf.Version(ctx, false); err != nil {
		return nil, fmt.Errorf("terraform version: %w", err)
	}
	var out bytes.Buffer
	tf.SetStdout(&out)
	if _, err := tf.ShowPlanFile(ctx, path); err != nil {
		return nil, fmt.Errorf("terraform show %s: %w", path, err)
	}
	if path == r.plan { // kept beside the saved plan (plan.tfplan.json): ReusePlan and `ec2stack cost` read it
		r.planJSON = out.Bytes()
		if err := os.WriteFile(r.plan+planJSON, r.planJSON, 0o644); err != nil {
			return nil, err
		}
	}
	return out.Bytes(), nil
}

// StatePull is the environment's state as stored in its backend (empty when there is none yet).
func (r *Runner) StatePull(ctx context.Context) ([]byte, error) {
	tf, err := r.terraform()
	if err != nil {
		return nil, err
	}
	out, err := tf.StatePull(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform state pull: %w", err)
	}
	return []byte(out), nil
}

// SyncState writes what exists into the state without changing anything in AWS (apply -refresh-only): right after
// an apply, so that the values AWS computed after each resource was created (rules attached to a security group,
// routes of a route table, ...) are in the state, and a later refresh-only plan shows only changes made outside
// terraform.
func (r *Runner) SyncState(ctx context.Context, progress func(Event)) error {
	vars, err := r.varOptions()
	if err != nil {
		return err
	}
	opts := []tfexec.ApplyOption{tfexec.RefreshOnly(true)}
	for _, v := range vars {
		opts = append(opts, tfexec.Var(v))
	}
	err = r.stream(progress, func(tf *tfexec.Terraform, w io.Writer) error { return tf.ApplyJSON(ctx, w, opts...) })
	if err != nil {
		return fmt.Errorf("terraform apply -refresh-only: %w", err)
	}
	return nil
}

// Inspect plans without touching the saved plan: a refresh-only plan (what changed outside terraform) or a
// normal one, written to a file of its own, read as JSON and removed. progress receives every event.
func (r *Runner) Inspect(ctx context.Context, refreshOnly bool, progress func(Event)) ([]byte, error) {
	vars, err := r.varOptions()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(filepath.Dir(r.plan), "inspect.tfplan")
	if refreshOnly {
		path = filepath.Join(filepath.Dir(r.plan), "refresh-only.tfplan")
	}
	defer os.Remove(path)
	opts := []tfexec.PlanOption{tfexec.Out(path), tfexec.RefreshOnly(refreshOnly)}
	for _, v := range vars {
		opts = append(opts, tfexec.Var(v))
	}
	err = r.stream(progress, func(tf *tfexec.Terraform, w io.Writer) error {
		_, err := tf.PlanJSON(ctx, w, opts...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("terraform plan%s: %w", map[bool]string{true: " -refresh-only"}[refreshOnly], err)
	}
	return r.PlanJSON(ctx, path)
}

// Apply applies exactly the saved plan file, then removes it (a plan applies once).
func (r *Runner) Apply(ctx context.Context, progress func(Event)) error {
	if !r.HasPlan() {
		return &NoPlanError{Env: r.opts.Env, Target: r.opts.Target}
	}
	err := r.stream(progress, func(tf *tfexec.Terraform, w io.Writer) error {
		return tf.ApplyJSON(ctx, w, tfexec.DirOrPlan(r.plan))
	})
	if err != nil {
		return fmt.Errorf("terraform apply: %w", err)
	}
	r.dropPlan()
	return nil
}

// ApplyTargets applies only the given resource addresses (and what they depend on), without a saved plan: for
// a first step that must exist before the rest can be applied. The saved plan, now stale, is removed.
func (r *Runner) ApplyTargets(ctx context.Context, targets []string, progress func(Event)) error {
	vars, err := r.varOptions()
	if err != nil {
		return err
	}
	var opts []tfexec.ApplyOption
	for _, v := range vars {
		opts = append(opts, tfexec.Var(v))
	}
	for _, t := range targets {
		opts = append(opts, tfexec.Target(t))
	}
	err = r.stream(progress, func(tf *tfexec.Terraform, w io.Writer) error {
		return tf.ApplyJSON(ctx, w, opts...)
	})
	if err != nil {
		return fmt.Errorf("terraform apply -target: %w", err)
	}
	r.dropPlan()
	return nil
}

// Destroy destroys everything in the environment's state.
func (r *Runner) Destroy(ctx context.Context, progress func(Event)) error {
	vars, err := r.varOptions()
	if err != nil {
		return err
	}
	var opts []tfexec.DestroyOption
	for _, v := range vars {
		opts = append(opts, tfexec.Var(v))
	}
	err = r.stream(progress, func(tf *tfexec.Terraform, w io.Writer) error {
		return tf.DestroyJSON(ctx, w, opts...)
	})
	if err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}
	r.dropPlan()
	return nil
}

// dropPlan removes the saved plan and its JSON: applied, destroyed, or about to be made anew.
func (r *Runner) dropPlan() {
	_ = os.Remove(r.plan)
	_ = os.Remove(r.plan + planJSON)
	r.planJSON = nil
}

// Outputs returns the root module outputs with decoded values.
func (r *Runner) Outputs(ctx context.Context) (map[string]any, error) {
	tf, err := r.terraform()
	if err != nil {
		return nil, err
	}
	metas, err := tf.Output(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform output: %w", err)
	}
	out := make(map[string]any, len(metas))
	for name, m := range metas {
		var v any
		if err := json.Unmarshal(m.Value, &v); err != nil {
			return nil, fmt.Errorf("terraform output %s: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

// Snapshot reads the state once (`terraform state pull`, which starts no provider): the root module's outputs
// with decoded values and the managed resource instances per type.
func (r *Runner) Snapshot(ctx context.Context) (outputs map[string]any, counts map[string]int, err error) {
	tf, err := r.terraform()
	if err != nil {
		return nil, nil, err
	}
	raw, err := tf.StatePull(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("terraform state pull: %w", err)
	}
	var st struct {
		Outputs map[string]struct {
			Value any `json:"value"`
		} `json:"outputs"`
		Resources []struct {
			Mode      string            `json:"mode"`
			Type      string            `json:"type"`
			Instances []json.RawMessage `json:"instances"`
		} `json:"resources"`
	}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return nil, nil, fmt.Errorf("terraform state pull: %w", err)
		}
	}
	outputs, counts = map[string]any{}, map[string]int{}
	for name, o := range st.Outputs {
		outputs[name] = o.Value
	}
	for _, res := range st.Resources {
		if res.Mode == "managed" {
			counts[res.Type] += len(res.Instances)
		}
	}
	return outputs, counts, nil
}

// State returns the current state as JSON.
func (r *Runner) State(ctx context.Context) (*tfjson.State, error) {
	tf, err := r.terraform()
	if err != nil {
		return nil, err
	}
	st, err := tf.Show(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform show: %w", err)
	}
	return st, nil
}

// stream runs fn with a writer that parses terraform's JSON events, forwards
// them to progress, and turns error diagnostics into the returned error.
func (r *Runner) stream(progress func(Event), fn func(*tfexec.Terraform, io.Writer) error) error {
	var diags []Diagnostic
	w := &eventWriter{handle: func(ev Event) {
		if ev.Type == EventDiagnostic && ev.Diagnostic != nil && ev.Diagnostic.Severity == "error" {
			diags = append(diags, *ev.Diagnostic)
		}
		if progress != nil {
			progress(ev)
		}
	}}
	tf, err := r.terraform()
	if err != nil {
		return err
	}
	err = fn(tf, w)
	w.Flush()
	if err != nil && len(diags) > 0 {
		return &DiagnosticsError{Diagnostics: diags, Err: err}
	}
	return err
}

// DiagnosticsError carries the error diagnostics terraform reported.
type DiagnosticsError struct {
	Diagnostics []Diagnostic
	Err         error
}

func (e *DiagnosticsError) Error() string {
	parts := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}

func (e *DiagnosticsError) Unwrap() error { return e.Err }

// terraform builds a fresh tfexec handle (tfexec keeps stdout writers between
// calls, so one per command keeps streams apart).
// Test runs `terraform test` in the root (a module with a tests/ directory), writing its output to w.
func (r *Runner) Test(ctx context.Context, w io.Writer) error {
	tf, err := r.terraform()
	if err != nil {
		return err
	}
	if err := tf.Test(ctx, w); err != nil {
		return fmt.Errorf("terraform test in %s: %w", r.opts.Root, err)
	}
	return nil
}

func (r *Runner) terraform() (*tfexec.Terraform, error) {
	tf, err := tfexec.NewTerraform(r.opts.Root, r.opts.Tool.Path)
	if err != nil {
		return nil, fmt.Errorf("terraform in %s: %w", r.opts.Root, err)
	}
	if err := tf.SetEnv(r.environ()); err != nil {
		return nil, fmt.Errorf("terraform environment: %w", err)
	}
	return tf, nil
}

// environ is the process environment for terraform: ours minus what
// terraform-exec manages itself (TF_VAR_*, TF_LOG, ...), plus our config.
func (r *Runner) environ() map[string]string {
	return buildEnviron(os.Environ(), r.opts.ExtraEnv, map[string]string{
		"TF_CLI_CONFIG_FILE": r.opts.CLIConfig,
		"TF_DATA_DIR":        r.dataDir,
	})
}

func buildEnviron(base []string, extra, ours map[string]string) map[string]string {
	env := map[string]string{}
	for _, kv := range base {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	delete(env, "TF_CLI_CONFIG_FILE")
	delete(env, "TF_DATA_DIR")
	for k, v := range extra {
		if v == "" {
			delete(env, k)
			continue
		}
		env[k] = v
	}
	for k, v := range ours {
		if v != "" {
			env[k] = v
		}
	}
	return tfexec.CleanEnv(env)
}

// varOptions turns Options.Vars, plus any TF_VAR_<name> in our environment
// whose variable the root declares, into -var arguments. (terraform-exec
// refuses TF_VAR_* in the process environment it manages.)
func (r *Runner) varOptions() ([]string, error) {
	declared, err := declaredVariables(r.opts.Root)
	if err != nil {
		return nil, err
	}
	vars := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		name, ok := strings.CutPrefix(k, "TF_VAR_")
		if ok && declared[name] {
			vars[name] = v
		}
	}
	for k, v := range r.opts.ExtraEnv {
		if name, ok := strings.CutPrefix(k, "TF_VAR_"); ok && v != "" {
			vars[name] = v
		}
	}
	for k, v := range r.opts.Vars {
		vars[k] = v
	}
	out := make([]string, 0, len(vars))
	for _, k := range sortedKeys(vars) {
		out = append(out, k+"="+vars[k])
	}
	return out, nil
}

var variableBlock = regexp.MustCompile(`(?m)^\s*variable\s+"([^"]+)"`)

func declaredVariables(root string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(root, "*.tf"))
	if err != nil {
		return nil, err
	}
	declared := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		for _, m := range variableBlock.FindAllSubmatch(b, -1) {
			declared[string(m[1])] = true
		}
	}
	return declared, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
