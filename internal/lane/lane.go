// Package lane is the real-AWS test lane (`make test-aws`): it brings environments up on AWS under a name prefix
// of their own (TF_VAR_project) and a state of their own, runs `ec2stack verify`, checks that the application
// answers through the load balancer, destroys them and fails if anything of the run is left. Before anything is
// created it plans every environment, prints what the run will cost (internal/price) and asks. A dry run stops
// after the plans and the estimate; the default test suite runs one offline, against moto.
//
// The lane drives the ec2stack CLI in-process (internal/cli) exactly as a user would with `--target aws`; the
// only cloud calls of its own read (identity, leftovers) or empty the run's own log buckets before destroy.
package lane

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/cli"
	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	tfplan "github.com/ec2stack/ec2stack/internal/plan"
	"github.com/ec2stack/ec2stack/internal/price"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// Exit codes of the lane (the README's "Real-AWS lane" lists them); 0 to 4 mean what they mean for ec2stack, the
// others are the lane's own.
const (
	ExitOK          = 0
	ExitFailure     = 1 // a step failed: credentials, the state bucket, terraform, AWS
	ExitUsage       = 2 // bad flags or knobs; an environment the lane does not run; not confirmed; the roots ignore the prefix
	ExitViolations  = 3 // a plan breaks `ec2stack check`'s rules: nothing was applied
	ExitDifferences = 4 // `ec2stack verify` found the live environment differing (it was destroyed)
	ExitDelegation  = 5 // ec2stack's 8: apply stopped at a new hosted zone that is not delegated (it was destroyed)
	ExitUnreachable = 6 // the application did not answer 2xx through the load balancer in time (it was destroyed)
	ExitLeftovers   = 7 // destroy failed or something of the run is left: it may cost money, clean up
)

// Envs are the environments the lane runs. prod is not among them: its deletion protection (database, load
// balancer) stops `ec2stack destroy` by design.
var Envs = []string{"dev", "staging"}

// DefaultDurations are how long each environment is expected to exist in a run (apply, verify, probe,
// destroy), for the estimate; staging is longer for CloudFront, which takes its time to deploy and to delete.
var DefaultDurations = map[string]time.Duration{"dev": 45 * time.Minute, "staging": 90 * time.Minute}

// DryRunBucket is the state bucket an offline dry run creates in moto.
const DryRunBucket = "ec2stack-lane-state"

// Options configure a run.
type Options struct {
	Home        string   // repository root; "" = found from the working directory
	Envs        []string // environments, in order (default dev)
	Prefix      string   // the run's name prefix (TF_VAR_project); "" = NewPrefix()
	StateBucket string   // S3 bucket for the run's state ("" = $EC2STACK_STATE_BUCKET; offline: DryRunBucket)
	StateRegion string   // region of the state bucket ("" = the environment's)
	Yes         bool     // do not ask before creating (or, with Cleanup, destroying)
	DryRun      bool     // plan and estimate only; nothing is applied
	Cleanup     bool     // destroy what the run Prefix left and look for leftovers (after an interrupted run)
	Endpoint    string   // dry run offline: the moto to plan against, instead of AWS
	WorkDir     string   // "" = $TMPDIR/ec2stack-aws-lane/PREFIX

	Duration        time.Duration // expected duration per environment; 0 = DefaultDurations
	ProbeTimeout    time.Duration // 0 = 10 min
	LeftoverTimeout time.Duration // how long leftovers may take to go after destroy; 0 = 10 min

	Stdin          io.Reader // the terminal that answers the question (nil: none)
	Stdout, Stderr io.Writer
	// CleanupContext bounds destroy and the leftover search, which go on after the run's context is cancelled
	// (the first Ctrl-C); nil = context.Background().
	CleanupContext context.Context
}

// Result is what a run did.
type Result struct {
	Prefix       string
	WorkDir      string
	Account      string
	StateBucket  string
	Estimates    []Estimate
	PlannedNames map[string][]string // per environment: the names the plan gives its resources
	Envs         []EnvResult
	Code         int
}

// EnvResult is one environment's part of a run.
type EnvResult struct {
	Env                        string
	Applied, Verified, Answers bool
	Probe                      ProbeResult
	Destroyed                  bool
	Leftovers                  []string
	Elapsed                    time.Duration
	Failures                   []Failure
}

// Failure is one thing that went wrong in an environment, with the exit code it stands for.
type Failure struct {
	Env  string
	Code int
	What string
}

func (r *EnvResult) fail(code int, format string, a ...any) {
	r.Failures = append(r.Failures, Failure{Env: r.Env, Code: code, What: fmt.Sprintf(format, a...)})
}

// Error ends a run with an exit code.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func usagef(format string, a ...any) error {
	return &Error{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

func failf(code int, format string, a ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, a...)}
}

// lane is one run.
type lane struct {
	o           Options
	home        string
	prefix      string
	work        string
	bucket      string
	stateRegion string
	tool        terraform.Tool
	rc          string
	cfg         aws.Config
	prices      *price.Catalog
	envs        []env.Environment
	regions     map[string][]string
	envVars     map[string]map[string]string // per environment: TF_VAR_* its commands run with ("" unsets)
	restore     []func()
	res         *Result
	out, errw   io.Writer
}

// Run runs the lane. The error (an *Error, with the exit code) says why a run did not hold; Result.Code is the
// exit code either way.
func Run(ctx context.Context, o Options) (*Result, error) {
	l := &lane{o: o, res: &Result{PlannedNames: map[string][]string{}}, regions: map[string][]string{}, out: o.Stdout, errw: o.Stderr}
	if l.out == nil {
		l.out = io.Discard
	}
	if l.errw == nil {
		l.errw = io.Discard
	}
	defer l.restoreEnv()
	err := l.run(ctx)
	l.res.Code = ExitOK
	if err != nil {
		l.res.Code = ExitFailure
		var le *Error
		if errors.As(err, &le) {
			l.res.Code = le.Code
		}
	}
	return l.res, err
}

func (l *lane) run(ctx context.Context) error {
	if err := l.setup(ctx); err != nil {
		return err
	}
	if l.o.Cleanup {
		return l.cleanup(ctx)
	}
	var refusals []string
	for i, e := range l.envs {
		refusal, err := l.plan(ctx, e)
		if err != nil {
			l.dropWorkspaces(l.envs[:i+1])
			return err
		}
		if refusal != nil {
			refusals = append(refusals, refusal.Error())
		}
	}
	PrintEstimates(l.out, l.res.Estimates)
	if len(refusals) > 0 { // after the estimates: a dry run shows them all the same
		l.dropWorkspaces(l.envs)
		return usagef("%s", strings.Join(refusals, "; "))
	}
	if l.o.DryRun {
		if err := l.dropWorkspaces(l.envs); err != nil {
			return err
		}
		fmt.Fprintf(l.out, "Dry run: planned %s as run %s; nothing was applied, the run's states are deleted.\n", l.envNames(), l.prefix)
		_ = os.RemoveAll(l.work)
		return nil
	}
	if err := l.confirm(ctx, fmt.Sprintf("Create %s in AWS account %s (run %s) and pay for it?", l.envNames(), l.res.Account, l.prefix)); err != nil {
		l.dropWorkspaces(l.envs)
		return err
	}
	for _, e := range l.envs {
		if ctx.Err() != nil {
			fmt.Fprintf(l.errw, "lane: interrupted: %s is not brought up\n", e.Name)
			l.dropWorkspaces([]env.Environment{e})
			continue
		}
		l.res.Envs = append(l.res.Envs, l.lifecycle(ctx, e))
	}
	return l.verdict()
}

// setup checks the options, chooses the prefix and working directory, points the CLI at them and at the state
// bucket (and, offline, at moto), and finds terraform, the credentials and the price table.
func (l *lane) setup(ctx context.Context) error {
	o := l.o
	if len(o.Envs) == 0 {
		o.Envs = []string{"dev"}
	}
	for i, name := range o.Envs {
		switch {
		case name == "prod":
			return usagef("the lane does not run prod: its deletion protection (database, load balancer) stops destroy by design; run dev and staging (ENVS=\"dev staging\")")
		case !slices.Contains(Envs, name):
			return usagef("unknown environment %q: the lane runs %s", name, strings.Join(Envs, ", "))
		case slices.Contains(o.Envs[:i], name):
			return usagef("environment %s given twice", name)
		}
	}
	if o.Cleanup && o.Prefix == "" {
		return usagef("--cleanup needs the prefix of the run to clean up (--prefix, PREFIX=...; the run printed it)")
	}
	if o.Cleanup && o.DryRun {
		return usagef("--cleanup and --dry-run do not go together")
	}
	if o.Endpoint != "" && !o.DryRun {
		return usagef("--endpoint (a moto) is for dry runs only: nothing is ever applied to an emulator by the lane")
	}
	l.prefix = o.Prefix
	if l.prefix == "" {
		p, err := NewPrefix()
		if err != nil {
			return err
		}
		l.prefix = p
	}
	if err := ValidatePrefix(l.prefix); err != nil {
		return &Error{Code: ExitUsage, Err: err}
	}
	l.res.Prefix = l.prefix
	home := o.Home
	if home == "" {
		cwd, err := os.Getwd()
		if err != nil {
			return err
		}
		if home, err = env.Home(cwd); err != nil {
			return &Error{Code: ExitUsage, Err: err}
		}
	}
	l.home = home
	for _, name := range o.Envs {
		e, err := env.Lookup(home, name)
		if err != nil {
			return err
		}
		l.envs = append(l.envs, e)
	}
	ct, err := contract.LoadHome(home)
	if err != nil {
		return err
	}
	l.envVars = map[string]map[string]string{}
	for _, e := range l.envs {
		req, err := ct.Environment(e.Name)
		if err != nil {
			return err
		}
		switch {
		case !req.Edge: // no DNS: the roots warn about DNS inputs set for them
			l.envVars[e.Name] = map[string]string{"TF_VAR_domain_name": "", "TF_VAR_hosted_zone_id": ""}
		case !o.DryRun && !o.Cleanup && os.Getenv("TF_VAR_hosted_zone_id") == "":
			return usagef("%s on AWS needs TF_VAR_hosted_zone_id, an existing public hosted zone that the public DNS already delegates to: "+
				"the run's certificates validate in it at once, and the run's name is PREFIX.<zone> unless TF_VAR_domain_name names one in it "+
				"(a zone the run created itself would have to be delegated by hand first; README, \"Real-AWS lane\")", e.Name)
		}
	}
	l.bucket, l.stateRegion = o.StateBucket, o.StateRegion
	if l.bucket == "" {
		l.bucket = os.Getenv(cli.StateBucketVar)
	}
	if l.bucket == "" && o.Endpoint != "" {
		l.bucket = DryRunBucket
	}
	if l.bucket == "" {
		return usagef("the lane needs an S3 state bucket: set %s (or --state-bucket); the run's state goes under env:/%s/ in it", cli.StateBucketVar, l.prefix)
	}
	l.res.StateBucket = l.bucket
	l.work = o.WorkDir
	if l.work == "" {
		l.work = filepath.Join(os.TempDir(), "ec2stack-aws-lane", l.prefix)
	}
	if err := os.MkdirAll(l.work, 0o755); err != nil {
		return err
	}
	l.res.WorkDir = l.work
	l.setenv(env.HomeVar, home)
	l.setenv(env.WorkDirVar, l.work)
	l.setenv("TF_VAR_project", l.prefix)
	region := l.envs[0].Region
	if r := os.Getenv("TF_VAR_region"); r != "" {
		region = r
	}
	if o.Endpoint != "" {
		moto, err := emulator.Connect(ctx, o.Endpoint)
		if err != nil {
			return err
		}
		for k, v := range moto.Env(region) {
			l.setenv(k, v)
		}
		if err := moto.EnsureStateBucket(ctx, l.bucket, region); err != nil {
			return err
		}
		if l.cfg, err = moto.AWSConfig(ctx, region); err != nil {
			return err
		}
		// what any AWS account that has used Auto Scaling holds, and the roots' plan requires
		if err := moto.EnsureServiceLinkedRole(ctx, region); err != nil {
			return err
		}
	} else {
		cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
		if err != nil {
			return fmt.Errorf("AWS configuration: %w", err)
		}
		l.cfg = cfg
	}
	id, err := sts.NewFromConfig(l.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("AWS credentials (standard chain: AWS_PROFILE, SSO, environment variables): %w", err)
	}
	l.res.Account = aws.ToString(id.Account)
	if !o.DryRun {
		if err := l.edgeNames(ctx); err != nil {
			return err
		}
	}
	if l.tool, err = terraform.FindTool(ctx); err != nil {
		return err
	}
	if l.rc, err = terraform.PrepareCLIConfig(home); err != nil {
		return err
	}
	if l.prices, err = price.Load(); err != nil {
		return err
	}
	dr := os.Getenv("TF_VAR_dr_region")
	if dr == "" {
		dr = "us-west-2"
	}
	for _, e := range l.envs {
		l.regions[e.Name] = []string{region, "us-east-1", dr}
	}
	where := "AWS account " + l.res.Account + " as " + aws.ToString(id.Arn)
	if o.Endpoint != "" {
		where = "the emulator at " + o.Endpoint + " (offline dry run)"
	}
	fmt.Fprintf(l.out, "Run %s: %s on %s; state in s3://%s/env:/%s/ENV/terraform.tfstate; working directory %s\n\n",
		l.prefix, l.envNames(), where, l.bucket, l.prefix, l.work)
	return nil
}

// edgeNames gives each environment with DNS the run's zone (TF_VAR_hosted_zone_id, a public zone the public DNS
// delegates to) and a name in it: TF_VAR_domain_name if set, else <prefix>.<zone>, so that runs never share a
// name.
func (l *lane) edgeNames(ctx context.Context) error {
	zone := os.Getenv("TF_VAR_hosted_zone_id")
	if zone == "" {
		return nil
	}
	out, err := route53.NewFromConfig(l.cfg).GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(zone)})
	if err != nil {
		return failf(ExitUsage, "TF_VAR_hosted_zone_id=%s: %v", zone, err)
	}
	if out.HostedZone.Config != nil && out.HostedZone.Config.PrivateZone {
		return usagef("TF_VAR_hosted_zone_id=%s is a private zone: ACM validates certificates through a public one", zone)
	}
	name := strings.TrimSuffix(aws.ToString(out.HostedZone.Name), ".")
	domain := os.Getenv("TF_VAR_domain_name")
	if domain == "" {
		domain = l.prefix + "." + name
	}
	switch {
	case domain != name && !strings.HasSuffix(domain, "."+name):
		return usagef("TF_VAR_domain_name=%s is not in the zone %s (TF_VAR_hosted_zone_id=%s)", domain, name, zone)
	case len("origin."+domain) > 64:
		return usagef("the run's name %s is too long for ACM (origin.%s must fit 64 characters): set a shorter TF_VAR_domain_name", domain, domain)
	}
	for _, e := range l.envs {
		if l.envVars[e.Name] == nil {
			l.envVars[e.Name] = map[string]string{"TF_VAR_domain_name": domain, "TF_VAR_hosted_zone_id": zone}
			fmt.Fprintf(l.out, "%s answers at https://%s (zone %s, %s)\n", e.Name, domain, name, zone)
		}
	}
	return nil
}

// plan plans e in the run's state with the AWS-target settings (the CLI checks the plan: the gate), reads the
// plan back and estimates what e costs. refusal says why the plan must not be applied although it was made: the
// root did not honour the prefix.
func (l *lane) plan(ctx context.Context, e env.Environment) (refusal, err error) {
	if err := l.useWorkspace(ctx, e); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	code := l.ec2stack(ctx, e, &buf, "plan", e.Name)
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		// the summary and the gate's verdict; not every planned resource, nor the CLI's advice to apply
		if !strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "Apply it with") {
			fmt.Fprint(l.out, line)
		}
	}
	switch code {
	case cli.ExitOK:
	case cli.ExitViolations:
		return nil, failf(ExitViolations, "plan %s breaks `ec2stack check`'s rules (above): nothing was applied", e.Name)
	case cli.ExitUsage:
		return nil, failf(ExitUsage, "plan %s: ec2stack refused its command line or settings (above)", e.Name)
	default:
		return nil, failf(ExitFailure, "plan %s failed (exit %d, above)", e.Name, code)
	}
	r, err := l.runner(e)
	if err != nil {
		return nil, err
	}
	raw, err := r.PlanJSON(ctx, "")
	if err != nil {
		return nil, err
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(raw, &plan); err != nil {
		return nil, fmt.Errorf("reading the plan of %s: %w", e.Name, err)
	}
	l.res.PlannedNames[e.Name] = PlannedNames(&plan)
	if v, ok := plan.Variables["dr_region"]; ok && v != nil {
		if dr, _ := v.Value.(string); dr != "" {
			l.regions[e.Name][2] = dr
		}
	}
	if region := tfplan.Output(&plan, "region"); region != "" {
		l.regions[e.Name][0] = region
	}
	d := l.o.Duration
	if d == 0 {
		d = DefaultDurations[e.Name]
	}
	est, err := EstimatePlan(&plan, l.prices, e.Name, d)
	if err != nil {
		return nil, err
	}
	l.res.Estimates = append(l.res.Estimates, est)
	fmt.Fprintln(l.out)
	return l.checkPrefix(&plan, e), nil
}

// checkPrefix refuses a plan whose resources do not carry the run's Project tag: the root ignored
// TF_VAR_project, and applying would give the run the names of the environment itself.
func (l *lane) checkPrefix(plan *tfjson.Plan, e env.Environment) error {
	tagged, other := 0, map[string]bool{}
	for _, rc := range plan.ResourceChanges {
		if rc.Change == nil {
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		tags, _ := after["tags_all"].(map[string]any)
		if p, ok := tags["Project"].(string); ok {
			tagged++
			if p != l.prefix {
				other[p] = true
			}
		}
	}
	if tagged == 0 || len(other) > 0 {
		got := slices.Sorted(maps.Keys(other))
		return fmt.Errorf("the plan of %s tags its resources Project=%s, not the run's %s: the root ignores TF_VAR_project "+
			"(terraform/envs/%s has no variable \"project\" yet?), so applying it would take the names of %s itself; not going on",
			e.Name, strings.Join(got, ","), l.prefix, e.Name, e.Name)
	}
	return nil
}

// PlannedNames are the names a plan gives its resources: name, name_prefix, identifier and the Name tag, sorted.
func PlannedNames(plan *tfjson.Plan) []string {
	var names []string
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil || rc.Change.Actions.Delete() {
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		for _, k := range []string{"name", "name_prefix", "identifier"} {
			if s := str(after[k]); s != "" {
				names = append(names, s)
			}
		}
		if tags, ok := after["tags_all"].(map[string]any); ok {
			if s := str(tags["Name"]); s != "" {
				names = append(names, s)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// lifecycle applies e's checked plan, verifies it, probes the application, and, whatever happened (also after
// an interrupt), destroys e and looks for leftovers.
func (l *lane) lifecycle(ctx context.Context, e env.Environment) EnvResult {
	start := time.Now()
	r := EnvResult{Env: e.Name}
	fmt.Fprintf(l.out, "\n== %s: approve and apply\n", e.Name)
	code := l.ec2stack(ctx, e, l.out, "approve", e.Name, "--approved-by", "make test-aws")
	if code == cli.ExitOK {
		code = l.ec2stack(ctx, e, l.out, "apply", e.Name)
	}
	r.Applied = code == cli.ExitOK
	var outputs map[string]any
	switch {
	case code == cli.ExitDelegation:
		r.fail(ExitDelegation, "apply stopped after creating a hosted zone that is not delegated: give the run a delegated zone (TF_VAR_hosted_zone_id)")
	case !r.Applied:
		r.fail(ExitFailure, "apply failed (exit %d)", code)
	default:
		var err error
		if outputs, err = l.outputs(ctx, e); err != nil {
			r.fail(ExitFailure, "outputs: %v", err)
		}
		fmt.Fprintf(l.out, "\n== %s: verify\n", e.Name)
		switch code := l.ec2stack(ctx, e, l.out, "verify", e.Name); code {
		case cli.ExitOK:
			r.Verified = true
		case cli.ExitDifferences:
			r.fail(ExitDifferences, "verify found differences (above)")
		default:
			r.fail(ExitFailure, "verify failed (exit %d)", code)
		}
		fmt.Fprintf(l.out, "\n== %s: the application through the load balancer\n", e.Name)
		if url := AppURL(outputs); url == "" {
			r.fail(ExitUnreachable, "the root has no alb_dns_name output to probe")
		} else {
			p := Probe{URL: url, Timeout: orDefault(l.o.ProbeTimeout, 10*time.Minute),
				Log: func(format string, a ...any) { fmt.Fprintf(l.errw, "lane: "+format+"\n", a...) }}
			res, err := p.Run(ctx)
			r.Probe, r.Answers = res, res.OK()
			if err != nil {
				r.fail(ExitUnreachable, "%v", err)
			} else {
				fmt.Fprintf(l.out, "%s answered %d after %d attempt(s), %s\n", url, res.Status, res.Attempts, res.Elapsed.Round(time.Second))
			}
		}
	}
	l.teardown(e, outputs, &r)
	r.Elapsed = time.Since(start)
	return r
}

// teardown empties the run's log buckets, destroys e (once more after emptying again, when log delivery raced
// the first destroy), waits for its leftovers to go and, when nothing is left, deletes the run's state of e.
func (l *lane) teardown(e env.Environment, outputs map[string]any, r *EnvResult) {
	ctx := l.cleanupContext()
	fmt.Fprintf(l.out, "\n== %s: destroy\n", e.Name)
	if outputs == nil {
		outputs, _ = l.outputs(ctx, e) // after a failed apply the state may hold part of the stack
	}
	l.emptyLogBuckets(ctx, outputs)
	code := l.ec2stack(ctx, e, l.out, "destroy", e.Name, "--yes")
	if code != cli.ExitOK && ctx.Err() == nil {
		fmt.Fprintf(l.errw, "lane: destroy %s failed (exit %d); emptying the log buckets again and retrying once\n", e.Name, code)
		l.emptyLogBuckets(ctx, outputs)
		code = l.ec2stack(ctx, e, l.out, "destroy", e.Name, "--yes")
	}
	r.Destroyed = code == cli.ExitOK
	if !r.Destroyed {
		r.fail(ExitLeftovers, "destroy failed (exit %d)", code)
	}
	left, err := l.waitForLeftovers(ctx, e)
	r.Leftovers = left
	switch {
	case err != nil:
		r.fail(ExitLeftovers, "looking for leftovers: %v", err)
	case len(left) > 0:
		r.fail(ExitLeftovers, "%d resource(s) of the run left after destroy", len(left))
	case r.Destroyed:
		if err := l.dropWorkspace(ctx, e); err != nil {
			fmt.Fprintf(l.errw, "lane: %v (the empty state object s3://%s/%s stays)\n", err, l.bucket, l.stateKey(e))
		}
	}
}

// waitForLeftovers looks for leftovers until there are none or LeftoverTimeout passes (deletions and the
// tagging API's index take a while after destroy), backing off from 15 s to a minute.
func (l *lane) waitForLeftovers(ctx context.Context, e env.Environment) ([]string, error) {
	deadline := time.Now().Add(orDefault(l.o.LeftoverTimeout, 10*time.Minute))
	wait := 15 * time.Second
	for {
		left, err := Leftovers(ctx, l.cfg, l.regions[e.Name], l.prefix, e.Name)
		if err == nil && len(left) == 0 {
			fmt.Fprintf(l.out, "Nothing of %s is left (Project=%s, Environment=%s; names %s-%s-*).\n", e.Name, l.prefix, e.Name, l.prefix, e.Name)
			return nil, nil
		}
		if time.Until(deadline) < wait || ctx.Err() != nil {
			return left, err
		}
		if err != nil {
			fmt.Fprintf(l.errw, "lane: looking for leftovers of %s: %v; again in %s\n", e.Name, err, wait)
		} else {
			fmt.Fprintf(l.errw, "lane: %d resource(s) of %s still there; looking again in %s\n", len(left), e.Name, wait)
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return left, err
		}
		wait = min(2*wait, time.Minute)
	}
}

// emptyLogBuckets empties the buckets the outputs name (the ALB's and CloudFront's access logs).
func (l *lane) emptyLogBuckets(ctx context.Context, outputs map[string]any) {
	for _, k := range []string{"alb_logs_bucket", "cloudfront_logs_bucket"} {
		b := str(outputs[k])
		if b == "" {
			continue
		}
		n, err := EmptyBucket(ctx, l.cfg, b, l.prefix)
		if err != nil {
			fmt.Fprintf(l.errw, "lane: %v\n", err)
		} else if n > 0 {
			fmt.Fprintf(l.errw, "lane: emptied s3://%s (%d object versions) so that destroy can delete it\n", b, n)
		}
	}
}

// cleanup destroys what run Prefix left of each environment (its state, selected as during the run) and looks
// for leftovers: for a run that was interrupted before its own teardown.
func (l *lane) cleanup(ctx context.Context) error {
	if err := l.confirm(ctx, fmt.Sprintf("Destroy everything run %s created of %s in AWS account %s?", l.prefix, l.envNames(), l.res.Account)); err != nil {
		return err
	}
	for _, e := range l.envs {
		r := EnvResult{Env: e.Name}
		start := time.Now()
		if err := l.useWorkspace(ctx, e); err != nil {
			r.fail(ExitLeftovers, "selecting the run's state: %v", err)
		} else {
			l.teardown(e, nil, &r)
		}
		r.Elapsed = time.Since(start)
		l.res.Envs = append(l.res.Envs, r)
	}
	return l.verdict()
}

// verdict prints the run's summary and returns its error: leftovers first (they cost money), else the first
// failure.
func (l *lane) verdict() error {
	tw := tabwriter.NewWriter(l.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(l.out, "\nRun %s in account %s:\n", l.prefix, l.res.Account)
	fmt.Fprintln(tw, "ENV\tAPPLY\tVERIFY\tAPPLICATION\tDESTROY\tLEFTOVERS\tTOOK")
	var first *Failure
	leftovers := false
	for i := range l.res.Envs {
		r := &l.res.Envs[i]
		app := "-"
		if r.Probe.Attempts > 0 {
			app = fmt.Sprintf("%s after %d attempt(s)", describe(r.Probe.Status, nil), r.Probe.Attempts)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Env, okText(r.Applied), okText(r.Verified), app, okText(r.Destroyed),
			len(r.Leftovers), r.Elapsed.Round(time.Second))
		for j := range r.Failures {
			f := &r.Failures[j]
			if f.Code == ExitLeftovers {
				leftovers = true
			}
			if first == nil {
				first = f
			}
		}
	}
	tw.Flush()
	for _, r := range l.res.Envs {
		for _, f := range r.Failures {
			fmt.Fprintf(l.out, "  %s: %s\n", r.Env, f.What)
		}
		for _, left := range r.Leftovers {
			fmt.Fprintf(l.out, "  left in %s: %s\n", r.Env, left)
		}
	}
	switch {
	case leftovers:
		fmt.Fprintf(l.out, "\nSomething of run %s may be left and cost money. Clean up with\n  make test-aws-clean PREFIX=%s ENVS=\"%s\"\n"+
			"and delete by hand what it still lists (README, \"Real-AWS lane\"). Working directory kept: %s\n", l.prefix, l.prefix, l.envNames(), l.work)
		return failf(ExitLeftovers, "run %s: resources may be left (listed above)", l.prefix)
	case first != nil:
		fmt.Fprintf(l.out, "\nRun %s did not hold; everything it created is destroyed. Working directory kept: %s\n", l.prefix, l.work)
		return failf(first.Code, "run %s: %s: %s", l.prefix, first.Env, first.What)
	}
	_ = os.RemoveAll(l.work)
	fmt.Fprintf(l.out, "\nRun %s held: brought up, verified, answered, destroyed, nothing left.\n", l.prefix)
	return nil
}

// dropWorkspaces deletes the run's (empty) states of envs, for a run that stops before applying.
func (l *lane) dropWorkspaces(envs []env.Environment) error {
	var errs []error
	for _, e := range envs {
		if l.onRunState(e) != nil {
			continue
		}
		if err := l.dropWorkspace(l.cleanupContext(), e); err != nil {
			fmt.Fprintf(l.errw, "lane: %v\n", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ec2stack runs one ec2stack command on the aws target in-process, in the run's working directory and state.
func (l *lane) ec2stack(ctx context.Context, e env.Environment, stdout io.Writer, args ...string) int {
	if err := l.onRunState(e); err != nil {
		fmt.Fprintf(l.errw, "lane: %v\n", err)
		return cli.ExitFailure
	}
	for k, v := range l.envVars[e.Name] {
		l.setenv(k, v)
	}
	args = append(args, "--target", "aws", "--state-bucket", l.bucket)
	if l.stateRegion != "" {
		args = append(args, "--state-region", l.stateRegion)
	}
	fmt.Fprintf(l.errw, "lane: ec2stack %s\n", strings.Join(args, " "))
	return cli.Run(ctx, args, stdout, l.errw)
}

// outputs are e's root outputs, from `ec2stack outputs --json`.
func (l *lane) outputs(ctx context.Context, e env.Environment) (map[string]any, error) {
	var buf bytes.Buffer
	if code := l.ec2stack(ctx, e, &buf, "outputs", e.Name, "--json"); code != cli.ExitOK {
		return nil, fmt.Errorf("ec2stack outputs %s: exit %d", e.Name, code)
	}
	var doc struct {
		Outputs map[string]any `json:"outputs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("ec2stack outputs %s --json: %w", e.Name, err)
	}
	return doc.Outputs, nil
}

// AppURL is where the probe asks for the health page: through CloudFront and the environment's name where the
// root serves HTTPS (its load balancer admits only CloudFront then), else the load balancer's own name.
func AppURL(outputs map[string]any) string {
	if https, _ := outputs["https_enabled"].(bool); https {
		if fqdn := str(outputs["fqdn"]); fqdn != "" {
			return "https://" + fqdn + HealthPath
		}
	}
	if dns := str(outputs["alb_dns_name"]); dns != "" {
		return "http://" + dns + HealthPath
	}
	return ""
}

func (l *lane) cleanupContext() context.Context {
	if l.o.CleanupContext != nil {
		return l.o.CleanupContext
	}
	return context.Background()
}

func (l *lane) envNames() string {
	names := make([]string, len(l.envs))
	for i, e := range l.envs {
		names[i] = e.Name
	}
	return strings.Join(names, " ")
}

// setenv sets a process environment variable for the run (the CLI reads its settings there) and remembers how
// to put it back; an empty value unsets it.
func (l *lane) setenv(k, v string) {
	old, had := os.LookupEnv(k)
	if v == "" {
		_ = os.Unsetenv(k)
	} else {
		_ = os.Setenv(k, v)
	}
	l.restore = append(l.restore, func() {
		if had {
			_ = os.Setenv(k, old)
		} else {
			_ = os.Unsetenv(k)
		}
	})
}

func (l *lane) restoreEnv() {
	for i := len(l.restore) - 1; i >= 0; i-- {
		l.restore[i]()
	}
	l.restore = nil
}

func okText(ok bool) string {
	if ok {
		return "ok"
	}
	return "-"
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
