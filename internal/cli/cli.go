// Package cli is the ec2stack command line: argument parsing, output and exit
// codes. It is the only package that prints.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/release"
)

// Exit codes: one registry for every verb (the README lists them).
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitViolations  = 3 // the plan breaks check's rules (check, plan, up, apply)
	ExitDifferences = 4 // verify found the live environment differing from the contract or the outputs
	ExitOverBudget  = 5 // cost: the plan's expected monthly cost is over the environment's budget
	ExitDrift       = 6 // drift: what exists differs from the state, or the plan would change something
	ExitRecovery    = 7 // dr: the design misses one of the environment's recovery objectives (RTO, RPO)
	ExitDelegation  = 8 // up, apply on AWS: the environment's new hosted zone is not delegated yet (the message says how)
	// ExitInterrupted: SIGINT (Ctrl-C) or SIGTERM stopped the command (128 + SIGINT, as a shell reports it);
	// terraform stopped gracefully (interrupt.go).
	ExitInterrupted = 130
)

// Main runs ec2stack with the process's arguments and streams; Ctrl-C (SIGINT) or SIGTERM cancels the context,
// which interrupts terraform gracefully (terraform-exec sends it SIGINT), and the command exits 130. A second
// signal changes nothing: ec2stack waits for terraform to finish stopping.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return execute(ctx, args, os.Stdin, os.Stdout, os.Stderr)
}

// Run executes one ec2stack command without a terminal (nothing to answer a prompt) and returns its exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return execute(ctx, args, nil, stdout, stderr)
}

func execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == faultProxyVerb {
		return serveFaultProxy(ctx, args[1:], stderr)
	}
	o, err := parseArgs(args)
	if err != nil {
		return fail(stderr, err)
	}
	if o.help {
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	c := &command{opts: o, stdin: stdin, stdout: stdout, stderr: stderr}
	return fail(stderr, c.interrupted(ctx, c.asLocked(c.run(ctx))))
}

// usageError marks errors in how ec2stack was called (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{msg: fmt.Sprintf(format, a...)} }

func fail(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(stderr, "ec2stack: %v\n", err)
	var u *usageError
	if errors.As(err, &u) {
		return ExitUsage
	}
	var v *violationsError
	if errors.As(err, &v) {
		return ExitViolations
	}
	var d *differencesError
	if errors.As(err, &d) {
		return ExitDifferences
	}
	var b *budgetError
	if errors.As(err, &b) {
		return ExitOverBudget
	}
	var dr *driftError
	if errors.As(err, &dr) {
		return ExitDrift
	}
	var rec *recoveryError
	if errors.As(err, &rec) {
		return ExitRecovery
	}
	var z *delegationError
	if errors.As(err, &z) {
		return ExitDelegation
	}
	var in *interruptedError
	if errors.As(err, &in) {
		return ExitInterrupted
	}
	return ExitFailure
}

// command is one invocation: parsed options plus where output goes.
type command struct {
	opts   options
	stdin  io.Reader // nil: no terminal
	stdout io.Writer
	// loaded once per command
	contract     *contract.Contract
	preflightRun bool
	faultsNoted  bool
	stderr       io.Writer
	seconds      map[string]float64 // wall time of each step (timed), in the --json document
	costDoc      map[string]any     // plan, check, up: the plan's monthly cost, in the --json document
	recordDoc    *history.Record    // apply, up, promote, rollback, drift: the deployment record written
	// source is a release checked out in a directory of its own (promote, rollback): its configuration, contract
	// and rules replace the work tree's; "" is the work tree. sourceRelease is that release.
	source        string
	sourceRelease *release.Release
}

// config is the directory whose configuration, contract, rules and usage files the command uses: the release it
// checked out, else the repository at home.
func (c *command) config(home string) string {
	if c.source != "" {
		return c.source
	}
	return home
}

func (c *command) run(ctx context.Context) error {
	switch c.opts.verb {
	case "up":
		return c.up(ctx)
	case "plan":
		return c.plan(ctx)
	case "check":
		return c.check(ctx)
	case "apply":
		return c.apply(ctx)
	case "verify":
		return c.verify(ctx)
	case "destroy":
		return c.destroy(ctx)
	case "outputs":
		return c.outputs(ctx)
	case "cost":
		return c.cost(ctx)
	case "unlock":
		return c.unlock(ctx)
	case "approve":
		return c.approve(ctx)
	case "history":
		return c.history(ctx)
	case "drift":
		return c.drift(ctx)
	case "report":
		return c.dailyReport(ctx)
	case "promote":
		return c.promote(ctx)
	case "rollback":
		return c.rollback(ctx)
	case "emulator":
		return c.emulator(ctx)
	case "dr":
		return c.dr(ctx)
	case "ami":
		return c.machineImage(ctx)
	case "switch":
		return c.switchTraffic(ctx)
	case "diagram":
		return c.diagram(ctx)
	}
	return usagef("unknown command %q: valid commands are %s", c.opts.verb, joinNames(verbs))
}

// requirements returns the environment contract of the repository at home (or of the release checked out) and
// what it requires of ENV.
func (c *command) requirements(home string) (*contract.Contract, contract.Environment, error) {
	ct, err := c.loadContract(home)
	if err != nil {
		return nil, contract.Environment{}, err
	}
	e, err := ct.Environment(c.opts.env)
	return ct, e, err
}

// loadContract reads the environment contract once per command.
func (c *command) loadContract(home string) (*contract.Contract, error) {
	if c.contract == nil {
		ct, err := contract.LoadHome(c.config(home))
		if err != nil {
			return nil, err
		}
		c.contract = ct
	}
	return c.contract, nil
}

// printf writes human output; suppressed in --json mode.
func (c *command) printf(format string, a ...any) {
	if !c.opts.json {
		fmt.Fprintf(c.stdout, format, a...)
	}
}

// result writes the one JSON document of --json mode.
func (c *command) result(doc any) error {
	if !c.opts.json {
		return nil
	}
	if m, ok := doc.(map[string]any); ok && len(c.seconds) > 0 {
		m["seconds"] = c.seconds
	}
	if m, ok := doc.(map[string]any); ok && c.costDoc != nil {
		m["cost"] = c.costDoc
	}
	if m, ok := doc.(map[string]any); ok && c.recordDoc != nil {
		m["record"] = c.recordDoc
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

const usage = `ec2stack brings up the ec2stack environments with Terraform, on the embedded
moto emulator (default) or on real AWS.

Usage:
  ec2stack up ENV          init, plan, check, (approve,) apply that plan, verify, record; outputs and a summary
  ec2stack plan ENV        write the plan file, check it and record the result beside it
  ec2stack check ENV       evaluate the policy rules and the environment contract over ENV's plan
  ec2stack approve ENV     show the saved plan, its check and cost, and record an approval of that very plan
  ec2stack apply ENV       apply exactly the saved plan file, if it passed check, is approved where the
                           contract requires it and is not stale; then verify, check drift, record it
  ec2stack verify ENV      read the live environment back and check it against the contract and outputs
  ec2stack destroy ENV     destroy everything in ENV (--target aws: --yes, or type ENV at a terminal)
  ec2stack outputs ENV     print ENV's outputs
  ec2stack cost ENV        price ENV's saved plan a month: line items, low/expected/high totals, what the
                           plan changes, the budget (exit 5 above it)
  ec2stack cost --compare dev,staging,prod
                           the environments' saved plans side by side
  ec2stack promote ENV     deploy the release applied, verified and drift-free in the environment ENV is
                           promoted from (staging from dev, prod from staging)
  ec2stack rollback ENV    deploy the release before the current one (--to RELEASE: that one)
  ec2stack drift ENV       compare what exists with the state and the deployed release's plan (exit 6: drift);
                           --repair applies the deployed release through the gate
  ec2stack report ENV      the daily summary: alarms not OK, last backups, drift, cost against the budget,
                           image age, pending approvals and promotions (exit 0 whatever it shows)
  ec2stack history ENV     ENV's deployment records (kept beside its state)
  ec2stack diagram ENV     ENV drawn from its plan: Mermaid on stdout (--svg FILE also writes SVG, --no-actions
                           drops the plan-action colours, --json the model)
  ec2stack ami ENV         the image pinned in terraform/envs/ENV/main.tf, the newest of its family and their
                           ages (--update: rewrite the pin to the newest, for review and promotion; with
                           blue/green the idle group's pin)
  ec2stack switch ENV      blue/green: make the idle group live in terraform/envs/ENV/main.tf (--to COLOR:
                           that one), for review and promotion; plans as in-place updates (listener weights,
                           the monitoring of the live group)
  ec2stack dr ENV          RPO and RTO of each disruption (instance, zone, region, data corruption) per data
                           store, derived from ENV's plan, against the contract's objectives (exit 7: missed)
  ec2stack unlock ENV --lock-id ID
                           release the state lock a killed run left (the locked command names the ID)
  ec2stack emulator start|stop|status
                           manage the moto server ec2stack keeps running (start --faults SPEC: behind a
                           proxy that injects AWS throttling and 5xx errors; status shows its counters)

Environments: dev, staging, prod (their requirements: policy/contract.yaml)

Flags (before or after ENV):
  --target emulator|aws    where to apply (default emulator)
  --endpoint URL           use an already running moto at URL (emulator only; checked first)
  --state-bucket NAME      S3 state bucket (aws only; or EC2STACK_STATE_BUCKET)
  --state-region REGION    region of the state bucket (aws only; default: the env's region)
  --plan FILE              check, cost, dr: this plan (saved plan file or its JSON) instead of the saved one
  --sarif FILE             check: also write the report as SARIF 2.1.0
  --policy DIR             check, plan, up: extra directory of .rego rules (policy/ is always loaded)
  --exceptions FILE        check, plan, up: accepted exceptions (default policy/exceptions.yaml)
  --usage FILE             cost: usage values over terraform/envs/ENV/usage.yaml (key by key)
  --savings                cost: also what each cost lever saves a month
  --markdown               cost, report: Markdown (a pull-request comment, an issue) instead of the table
  --lock-id ID             unlock: the state lock to release
  --approved-by NAME       approve, up, promote, rollback, drift --repair: record the approval without a prompt
  --release RELEASE        promote: refuse unless RELEASE is the release being promoted
  --to RELEASE             rollback: the release (commit, tag) to return to; switch: the color (blue, green)
  --update                 ami: rewrite the environment's pinned image to the newest of its family
  --repair                 drift: plan, check, approve and apply the deployed release, then check again
  --faults SPEC            emulator start: inject faults, e.g. throttle=10%,error5xx=2%,latency=50ms,jitter=10ms,
                           seed=1 (the default seed; docs/emulator.md); ec2stack's own calls then get 8 attempts
  --yes                    destroy: do not ask (required on --target aws without a terminal)
  --timing                 plan: also the expected wall time of a real-AWS apply and destroy, and their
                           critical paths (resources, start, minutes; docs/timing.md)
  --json                   one JSON document on stdout; progress as JSON lines on stderr
  -h, --help               show this help

Exit codes: 0 ok, 1 failure (also: ENV's state is locked by another run, the message names the holder and
how to release a lock a killed run left; a plan not approved, approved for another plan, or stale; a promotion
or rollback whose conditions do not hold), 2 usage error, 3 the plan breaks check's rules (check, plan, up,
apply, approve, promote, rollback, drift --repair), 4 verify found differences (also after apply, up, promote,
rollback, drift --repair: recorded), 5 cost: over the environment's budget, 6 drift found, 8 up/apply on AWS:
the new hosted zone must be delegated first (the message says how), 130 interrupted (Ctrl-C, SIGTERM): terraform
stopped gracefully and the message says what the state holds and what to run next.
`

// timed runs fn as the named step of the command (init, plan, check, apply, destroy) and adds its wall time to
// the --json document's "seconds".
func (c *command) timed(step string, fn func() error) error {
	start := time.Now()
	err := fn()
	if c.seconds == nil {
		c.seconds = map[string]float64{}
	}
	c.seconds[step] += math.Round(time.Since(start).Seconds()*1000) / 1000
	return err
}
