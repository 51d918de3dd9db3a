package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// session is everything an environment verb needs: the environment, the
// terraform runner for the chosen target, and the emulator if any.
type session struct {
	home    string
	env     env.Environment
	target  string
	runner  *terraform.Runner
	backend map[string]string
	moto    *emulator.Server // nil on aws
}

func repoHome() (string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return env.Home(cwd)
}

// locate finds the repository, the environment's root and terraform, and
// writes ec2stack's terraform CLI config.
func (c *command) locate(ctx context.Context) (home string, e env.Environment, tool terraform.Tool, rc string, err error) {
	if home, err = repoHome(); err != nil {
		return
	}
	if e, err = env.Lookup(c.config(home), c.opts.env); err != nil {
		return
	}
	if tool, err = terraform.FindTool(ctx); err != nil {
		return
	}
	rc, err = terraform.PrepareCLIConfig(home)
	return
}

// prepare finds the tools, writes the CLI config and, on the emulator,
// makes sure moto runs and holds the state bucket.
func (c *command) prepare(ctx context.Context) (*session, error) {
	return c.prepareSession(ctx, false)
}

// prepareSession is prepare; with realSettings the emulator target plans what
// AWS would get (emulator_mode = false) in a work directory of its own. Such a
// plan is for checking, never for applying to the emulator.
func (c *command) prepareSession(ctx context.Context, realSettings bool) (*session, error) {
	home, e, tool, rc, err := c.locate(ctx)
	if err != nil {
		return nil, err
	}
	s := &session{home: home, env: e, target: c.opts.target}
	extra := map[string]string{}
	if s.target == "emulator" {
		if s.moto, err = c.ensureEmulator(ctx, home, e); err != nil {
			return nil, err
		}
		if err := s.moto.PrepareAccount(ctx, e.Region); err != nil {
			return nil, err
		}
		extra = s.moto.Env(e.Region)
		extra["TF_VAR_"+EmulatorSwitch] = strconv.FormatBool(!realSettings)
		s.backend = emulator.BackendConfig(e.Name, e.Region)
		if realSettings { // its own state: checking never touches the emulator environment
			s.backend["key"] = e.Name + "-real-settings/terraform.tfstate"
		}
	} else {
		if err := refuseEmulatorSwitch(e.Root); err != nil {
			return nil, err
		}
		s.backend = c.awsBackend(e)
	}
	workTarget := s.target
	if realSettings && s.target == "emulator" {
		workTarget = "emulator-real-settings"
	}
	s.runner, err = terraform.New(terraform.Options{
		Tool: tool, Home: home, Root: e.Root, Target: workTarget, Env: e.Name, CLIConfig: rc, ExtraEnv: extra,
		ReusePlan: realSettings && s.target == "emulator", // never applied, its state written by nothing
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ensureEmulator connects to --endpoint (after a preflight that it can serve e, creating nothing), or
// reuses/starts the recorded moto.
func (c *command) ensureEmulator(ctx context.Context, home string, e env.Environment) (*emulator.Server, error) {
	if c.opts.endpoint != "" {
		s, err := emulator.Connect(ctx, c.opts.endpoint)
		if err != nil || c.preflightRun {
			return s, err
		}
		c.noteFaults(s)
		_, required, err := c.requirements(home)
		if err != nil {
			return nil, err
		}
		warnings, err := s.Preflight(ctx, e.Region, required.Edge)
		for _, w := range warnings {
			c.progressf("warning: %s", w)
		}
		c.preflightRun = err == nil
		return s, err
	}
	s, started, err := emulator.Ensure(ctx, home, emulator.StartOptions{})
	if err != nil {
		return nil, err
	}
	if started {
		c.progressf("started moto emulator at %s (pid %d); stop it with `ec2stack emulator stop`", s.Endpoint, s.PID)
	}
	c.noteFaults(s)
	return s, nil
}

// noteFaults says, once per command, that the emulator's endpoint is a fault proxy.
func (c *command) noteFaults(s *emulator.Server) {
	if s.Faults == nil || c.faultsNoted {
		return
	}
	c.faultsNoted = true
	c.progressf("the emulator at %s injects faults (%s): terraform and ec2stack get %d attempts per AWS call", s.Endpoint, s.Faults, s.MaxAttempts())
}

// refuseEmulatorSwitch refuses, before anything runs, a variable file in root that sets the emulator switch:
// terraform would load it on --target aws too.
func refuseEmulatorSwitch(root string) error {
	var files []string
	for _, pattern := range []string{"terraform.tfvars", "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json"} {
		m, _ := filepath.Glob(filepath.Join(root, pattern))
		files = append(files, m...)
	}
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), EmulatorSwitch) {
			return usagef("%s sets %s, the emulator switch, which is refused on --target aws: remove it from the file", f, EmulatorSwitch)
		}
	}
	return nil
}

func (c *command) awsBackend(e env.Environment) map[string]string {
	region := c.opts.stateRegion
	if region == "" {
		region = e.Region
	}
	return map[string]string{
		"bucket": c.opts.stateBucket,
		"key":    e.Name + "/terraform.tfstate",
		"region": region,
	}
}

// init runs terraform init for the session.
func (s *session) init(ctx context.Context) error {
	if err := s.runner.Init(ctx, s.backend); err != nil {
		return fmt.Errorf("init %s: %w", s.env.Name, err)
	}
	return nil
}

// progressf prints a progress/status line on stderr (human mode only).
func (c *command) progressf(format string, a ...any) {
	if !c.opts.json {
		fmt.Fprintf(c.stderr, format+"\n", a...)
	}
}

// progress returns the event handler for a terraform run: human progress
// lines, or the events as JSON lines, on stderr.
func (c *command) progress(total int) func(terraform.Event) {
	if c.opts.json {
		enc := json.NewEncoder(c.stderr)
		return func(ev terraform.Event) { _ = enc.Encode(ev) }
	}
	p := terraform.NewProgress(total, nil)
	return func(ev terraform.Event) {
		if line, ok := p.Observe(ev); ok {
			fmt.Fprintln(c.stderr, line)
		}
	}
}

func (s *session) describe() string {
	return s.env.Name + " on " + s.target
}
