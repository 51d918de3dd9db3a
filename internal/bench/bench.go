// Package bench measures ec2stack where users feel its speed: each environment's round trip on a private moto
// (the CLI's up, no-op plan, verify and destroy, with terraform's own init, plan, check and apply inside up),
// the provider-waiter critical path of its apply and destroy from terraform's event stream, the peak memory of
// terraform and of a provider plugin, and `check --plan` next to trivy on the same saved plan JSON. It drives
// the real ec2stack binary as a user would; `make bench` runs it.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/scan"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/timing"
)

// Options say what to measure.
type Options struct {
	Envs     []string
	Runs     int       // round trips per environment; figures are their medians
	CLI      string    // the ec2stack binary
	Home     string    // the repository
	Repeats  int       // runs of check --plan and trivy per round trip (median)
	Progress io.Writer // one line per step (nil: none)
}

// Run is one round trip of one environment; durations in seconds.
type Run struct {
	Resources int                `json:"resources"`
	Seconds   map[string]float64 `json:"seconds"`
	// The provider-waiter critical path of up's apply and of destroy (timing.Measured).
	CriticalApply   float64 `json:"critical_path_apply"`
	CriticalDestroy float64 `json:"critical_path_destroy"`
	Memory          Peak    `json:"peak_memory"`
	CheckPlan       float64 `json:"check_plan"` // ec2stack check --plan on the saved real-settings plan JSON
	Trivy           float64 `json:"trivy"`      // trivy on the same file (0: trivy not built)
}

// Steps of a run, in the order of the table.
var Steps = []string{"init", "plan", "check", "apply", "up", "noop_plan", "verify", "destroy", "round_trip"}

// Environment is one environment's runs, their medians and the expected real-AWS timing of its plan.
type Environment struct {
	Name    string           `json:"environment"`
	Runs    []Run            `json:"runs"`
	Median  Run              `json:"median"`
	RealAWS timing.Estimates `json:"real_aws"`
	// The provider-waiter critical paths of the last round trip on moto (what its waiters spend where).
	Moto timing.Estimates `json:"moto_critical_paths"`
}

// Measure runs the benchmark.
func Measure(ctx context.Context, o Options) ([]Environment, error) {
	if o.Runs < 1 || o.Repeats < 1 {
		return nil, fmt.Errorf("runs (%d) and repeats (%d) must be at least 1", o.Runs, o.Repeats)
	}
	tools, err := scan.FindTools()
	if err != nil {
		o.progressf("no trivy to compare with (%v): run `make tools`", err)
		tools = nil
	}
	var out []Environment
	for _, name := range o.Envs {
		e := Environment{Name: name}
		for i := range o.Runs {
			o.progressf("%s: round trip %d of %d", name, i+1, o.Runs)
			r, est, paths, err := o.roundTrip(ctx, name, tools)
			if err != nil {
				return out, fmt.Errorf("%s, round trip %d: %w", name, i+1, err)
			}
			e.Runs, e.RealAWS, e.Moto = append(e.Runs, r), est, paths
		}
		e.Median = median(e.Runs)
		out = append(out, e)
	}
	return out, nil
}

func (o Options) progressf(format string, a ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "bench: "+format+"\n", a...)
	}
}

// roundTrip brings envName up on a moto of its own and takes it down again, measuring every step. It returns the
// run, the real-AWS estimate of the checked plan and the measured critical paths on moto.
func (o Options) roundTrip(ctx context.Context, envName string, tools *scan.Tools) (Run, timing.Estimates, timing.Estimates, error) {
	r := Run{Seconds: map[string]float64{}}
	var none timing.Estimates
	e, err := env.Lookup(o.Home, envName)
	if err != nil {
		return r, none, none, err
	}
	dir, err := os.MkdirTemp("", "ec2stack-bench-")
	if err != nil {
		return r, none, none, err
	}
	defer os.RemoveAll(dir)
	moto, err := emulator.Start(ctx, emulator.StartOptions{ShimDir: dir, LogFile: filepath.Join(dir, "moto.log")})
	if err != nil {
		return r, none, none, err
	}
	defer func() { _ = moto.Stop() }()
	c := cli{o: o, work: filepath.Join(dir, "work"), endpoint: moto.Endpoint}

	up, err := c.run(ctx, &r, "up", envName)
	if err != nil {
		return r, none, none, err
	}
	r.Seconds["up"] = up.wall
	for _, step := range []string{"init", "plan", "check", "apply"} {
		r.Seconds[step] = up.doc.Seconds[step]
	}
	for _, n := range up.doc.Resources {
		r.Resources += n
	}
	if r.Seconds["verify"], err = c.wall(ctx, &r, "verify", envName); err != nil {
		return r, none, none, err
	}
	noop, err := c.run(ctx, &r, "plan", envName)
	if err != nil {
		return r, none, none, err
	}
	var sum terraform.PlanSummary
	if err := json.Unmarshal(noop.doc.Plan, &sum); err != nil || sum.HasChanges() {
		return r, none, none, fmt.Errorf("the plan right after up wants changes (or has no summary: %v): %s", err, noop.doc.Plan)
	}
	r.Seconds["noop_plan"] = noop.wall

	// The saved plan the gate checked: the real-settings plan and its JSON (terraform.Options.ReusePlan).
	checked := filepath.Join(c.work, "emulator-real-settings", envName, "plan.tfplan.json")
	if r.CheckPlan, r.Trivy, err = c.scanners(ctx, envName, checked, tools); err != nil {
		return r, none, none, err
	}
	g, est, err := c.graph(ctx, e, moto, checked)
	if err != nil {
		return r, none, none, err
	}

	down, err := c.run(ctx, &r, "destroy", envName)
	if err != nil {
		return r, none, none, err
	}
	r.Seconds["destroy"] = down.wall
	r.Seconds["round_trip"] = r.Seconds["up"] + r.Seconds["noop_plan"] + r.Seconds["destroy"]
	paths := timing.Estimates{Apply: timing.Measured(up.events, g), Destroy: timing.Measured(down.events, g)}
	r.CriticalApply, r.CriticalDestroy = paths.Apply.Total.Seconds(), paths.Destroy.Total.Seconds()
	return r, est, paths, nil
}

// cli runs the ec2stack binary from the repository with a work directory of its own, against one moto.
type cli struct {
	o        Options
	work     string
	endpoint string
}

// result is what one ec2stack --json command printed: its document, terraform's events and its wall time.
type result struct {
	doc struct {
		Seconds   map[string]float64 `json:"seconds"`
		Resources map[string]int     `json:"resources"`
		Plan      json.RawMessage    `json:"plan"` // plan and up: the summary; check: the plan file
	}
	events []terraform.Event
	wall   float64
}

// run runs `ec2stack VERB ENV --endpoint E --json`, sampling the memory of the terraform processes it starts.
func (c cli) run(ctx context.Context, r *Run, verb, envName string, extra ...string) (result, error) {
	var res result
	args := append([]string{verb, envName, "--endpoint", c.endpoint, "--json"}, extra...)
	cmd := exec.CommandContext(ctx, c.o.CLI, args...)
	cmd.Dir = c.o.Home
	cmd.Env = append(os.Environ(), env.HomeVar+"="+c.o.Home, env.WorkDirVar+"="+c.work)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	c.o.progressf("  ec2stack %s", strings.Join(args, " "))
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	watch, stop := context.WithCancel(ctx)
	peak := watchMemory(watch, cmd.Process.Pid)
	err := cmd.Wait()
	res.wall = time.Since(start).Seconds()
	stop()
	r.Memory.merge(peak())
	if err != nil {
		return res, fmt.Errorf("ec2stack %s: %v\n%s", strings.Join(args, " "), err, lastLines(stderr.String(), 20))
	}
	if err := json.Unmarshal(stdout.Bytes(), &res.doc); err != nil {
		return res, fmt.Errorf("ec2stack %s --json printed no JSON document: %v", verb, err)
	}
	res.events = events(stderr.Bytes())
	return res, nil
}

// wall is the wall time of a command whose document does not matter.
func (c cli) wall(ctx context.Context, r *Run, verb, envName string, extra ...string) (float64, error) {
	res, err := c.run(ctx, r, verb, envName, extra...)
	return res.wall, err
}

// scanners times `ec2stack check ENV --plan FILE` and trivy on the same plan JSON, o.Repeats times each.
func (c cli) scanners(ctx context.Context, envName, planJSON string, tools *scan.Tools) (check, trivy float64, err error) {
	var checks, trivies []float64
	for range c.o.Repeats {
		var r Run
		s, err := c.wall(ctx, &r, "check", envName, "--plan", planJSON)
		if err != nil {
			return 0, 0, err
		}
		checks = append(checks, s)
		if tools == nil {
			continue
		}
		start := time.Now()
		if _, err := scan.TrivyPlan(ctx, tools, envName, planJSON); err != nil {
			var unused *scan.UnusedIgnoresError
			if !errors.As(err, &unused) {
				return 0, 0, fmt.Errorf("trivy on %s: %w", planJSON, err)
			}
		}
		trivies = append(trivies, time.Since(start).Seconds())
	}
	return med(checks), med(trivies), nil
}

// graph reads the environment's `terraform graph` (from the real-settings working directory the gate used) and
// estimates the real-AWS apply and destroy of the checked plan.
func (c cli) graph(ctx context.Context, e env.Environment, moto *emulator.Server, planJSON string) (timing.Graph, timing.Estimates, error) {
	tool, err := terraform.FindTool(ctx)
	if err != nil {
		return timing.Graph{}, timing.Estimates{}, err
	}
	// The runner finds its working directory through the work directory variable, as the CLI does.
	old, had := os.LookupEnv(env.WorkDirVar)
	os.Setenv(env.WorkDirVar, c.work)
	defer func() {
		if had {
			os.Setenv(env.WorkDirVar, old)
		} else {
			os.Unsetenv(env.WorkDirVar)
		}
	}()
	runner, err := terraform.New(terraform.Options{Tool: tool, Home: c.o.Home, Root: e.Root, Target: "emulator-real-settings",
		Env: e.Name, CLIConfig: filepath.Join(c.work, "terraform.rc"), ExtraEnv: moto.Env(e.Region)})
	if err != nil {
		return timing.Graph{}, timing.Estimates{}, err
	}
	dot, err := runner.Graph(ctx)
	if err != nil {
		return timing.Graph{}, timing.Estimates{}, err
	}
	g, err := timing.ParseDOT(dot)
	if err != nil {
		return timing.Graph{}, timing.Estimates{}, err
	}
	est, err := estimate(planJSON, g)
	return g, est, err
}

func estimate(planJSON string, g timing.Graph) (timing.Estimates, error) {
	raw, err := os.ReadFile(planJSON)
	if err != nil {
		return timing.Estimates{}, err
	}
	return timing.EstimateJSON(raw, g)
}

// events parses the terraform events the CLI writes on stderr with --json (one JSON object per line; other
// lines, such as warnings, are skipped).
func events(stderr []byte) []terraform.Event {
	var out []terraform.Event
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var ev terraform.Event
		if json.Unmarshal(sc.Bytes(), &ev) == nil && ev.Type != "" {
			out = append(out, ev)
		}
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// median is the run of medians: each figure is the median of that figure over the runs.
func median(runs []Run) Run {
	m := Run{Seconds: map[string]float64{}}
	pick := func(f func(Run) float64) float64 {
		var v []float64
		for _, r := range runs {
			v = append(v, f(r))
		}
		return med(v)
	}
	for _, s := range Steps {
		m.Seconds[s] = pick(func(r Run) float64 { return r.Seconds[s] })
	}
	m.Resources = int(pick(func(r Run) float64 { return float64(r.Resources) }))
	m.CriticalApply = pick(func(r Run) float64 { return r.CriticalApply })
	m.CriticalDestroy = pick(func(r Run) float64 { return r.CriticalDestroy })
	m.Memory.TerraformKB = int(pick(func(r Run) float64 { return float64(r.Memory.TerraformKB) }))
	m.Memory.ProviderKB = int(pick(func(r Run) float64 { return float64(r.Memory.ProviderKB) }))
	m.CheckPlan = pick(func(r Run) float64 { return r.CheckPlan })
	m.Trivy = pick(func(r Run) float64 { return r.Trivy })
	return m
}

// med is the median (the mean of the middle two for an even count; 0 for none).
func med(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(v))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
