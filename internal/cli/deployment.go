package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/drift"
	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/release"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// ActorVar names who runs ec2stack in deployment records and approvals made at a terminal (default: the OS user).
const ActorVar = "EC2STACK_ACTOR"

// deployment is one apply of a saved plan being recorded.
type deployment struct {
	action   string // history.Action*
	from     string // promote: the environment the release comes from
	started  time.Time
	gate     *deploy.Gate
	approval *deploy.Approval
}

// refusedError: the saved plan may not be applied as it is (no approval of this very plan, or a stale plan).
type refusedError struct{ msg string }

func (e *refusedError) Error() string { return e.msg }

// cleared returns the gate record of env's saved plan when it may be applied: `plan` checked this very file and
// it broke no rule, and, where the environment contract requires it, an approval of this very file is recorded.
// Nothing runs: a refused plan touches nothing.
func (c *command) cleared(home string) (*deploy.Gate, *deploy.Approval, error) {
	env := c.opts.env
	planFile := terraform.PlanFile(home, c.opts.target, env)
	if !fileExists(planFile) {
		return nil, nil, &terraform.NoPlanError{Env: env, Target: c.opts.target}
	}
	g, err := deploy.CheckGate(planFile, "ec2stack plan "+env+targetFlag(c.opts.target))
	if err != nil {
		var ge *deploy.GateError
		if errors.As(err, &ge) && ge.Failed {
			return nil, nil, &violationsError{env: env, msg: c.opts.verb + " " + env + ": " + err.Error()}
		}
		return nil, nil, fmt.Errorf("%s %s: %w", c.opts.verb, env, err)
	}
	_, e, err := c.requirements(home)
	if err != nil {
		return nil, nil, err
	}
	if !e.Deployment.NeedsApproval() {
		return g, nil, nil
	}
	a, err := deploy.CheckApproval(planFile, env, "ec2stack approve "+env+targetFlag(c.opts.target))
	var ae *deploy.ApprovalError
	if errors.As(err, &ae) {
		return nil, nil, &refusedError{msg: fmt.Sprintf("%s %s: %v", c.opts.verb, env, err)}
	}
	return g, a, err
}

// deploySaved applies s's saved plan, which cleared allowed, once it is sure the plan was made against the state
// as it is now; then verifies the environment, checks it for drift and appends the deployment record. It returns
// the verify failure (exit 4) after recording it.
func (c *command) deploySaved(ctx context.Context, s *session, d deployment) error {
	planned, err := s.runner.StatePull(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.opts.verb, s.env.Name, err)
	}
	current, err := deploy.ParseStateVersion(planned)
	if err != nil {
		return err
	}
	if err := deploy.CheckFresh(s.runner.PlanFile(), current, "ec2stack plan "+s.env.Name+targetFlag(s.target)); err != nil {
		var se *deploy.StaleError
		if errors.As(err, &se) {
			return &refusedError{msg: fmt.Sprintf("%s %s: %v", c.opts.verb, s.env.Name, err)}
		}
		return err
	}
	plan, err := s.runner.ShowPlan(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.opts.verb, s.env.Name, err)
	}
	if err := c.runApply(ctx, s, terraform.Summarize(plan)); err != nil {
		return err
	}
	return c.record(ctx, s, d)
}

// record verifies the environment just applied, checks it for drift (it should have none) and appends the
// deployment record to its history. The apply is recorded whatever these find: a failed verify (exit 4), or a
// verify or drift check that could not run (the record says "not run"), is returned after recording.
func (c *command) record(ctx context.Context, s *session, d deployment) error {
	rel, err := c.configRelease(ctx, s.home)
	if err != nil {
		return err
	}
	r := history.Record{Environment: s.env.Name, Target: s.target, Action: d.action, Release: rel, From: d.from}
	c.progressf("verifying %s ...", s.describe())
	result, verifyErr := c.readBack(ctx, s)
	if verifyErr == nil {
		r.Verify = &history.Verify{Holds: result.Holds(), Checks: result.Checks(), Differences: len(result.Failures())}
	} else if errors.Is(verifyErr, errNotAStack) {
		c.progressf("not verified: %v", errNotAStack)
		verifyErr = nil
	}
	report, driftErr := c.converged(ctx, s)
	if driftErr == nil {
		r.Drift = &history.Drift{Clean: report.Clean(), Resources: len(report.Resources)}
	}
	if d.gate != nil {
		r.PlanSHA256 = d.gate.PlanSHA256
		r.Check = &history.Check{Clean: d.gate.Clean, Rules: d.gate.Rules, Violations: d.gate.Violations, Excepted: d.gate.Excepted}
	}
	if d.approval != nil {
		r.Approval = &history.Approval{By: d.approval.ApprovedBy, At: d.approval.ApprovedAt, PlanSHA256: d.approval.PlanSHA256}
	}
	if err := c.appendRecord(ctx, s, &r, d.started); err != nil {
		return err
	}
	c.printf("Deployed %s to %s (%s): verify %s, drift %s; recorded in %s.\n", rel, s.describe(), d.action,
		notRun(verifyCell(r.Verify)), notRun(driftCell(r.Drift)), r.Key)
	if err := errors.Join(verifyErr, driftErr); err != nil {
		return err
	}
	if !report.Clean() {
		c.printDrift(report)
	}
	if r.Verify != nil && !result.Holds() {
		c.printVerify(s, result)
		return &differencesError{env: s.env.Name, n: len(result.Failures())}
	}
	return nil
}

// converged writes what exists into the state (apply -refresh-only) and plans again: right after an apply the
// plan must have nothing to do.
func (c *command) converged(ctx context.Context, s *session) (drift.Report, error) {
	c.progressf("recording what exists in the state (apply -refresh-only) and planning %s again: it must have nothing to do ...", s.describe())
	if err := s.runner.SyncState(ctx, nil); err != nil {
		return drift.Report{}, fmt.Errorf("%s %s: %w", c.opts.verb, s.env.Name, err)
	}
	plan, err := s.runner.Inspect(ctx, false, nil)
	if err != nil {
		return drift.Report{}, fmt.Errorf("%s %s: %w", c.opts.verb, s.env.Name, err)
	}
	return drift.Analyze(nil, plan)
}

// notRun is a history cell, with "not run" for a check that did not run.
func notRun(cell string) string { return cmp.Or(strings.TrimPrefix(cell, "-"), "not run") }

func verdict(ok bool, otherwise string) string {
	if ok {
		return "ok"
	}
	return otherwise
}

// appendRecord completes r (who, identity, times) and appends it to s's history.
func (c *command) appendRecord(ctx context.Context, s *session, r *history.Record, started time.Time) error {
	r.Who = actor()
	r.Identity = c.identity(ctx, s)
	r.Started, r.Finished = started.UTC(), time.Now().UTC()
	r.Seconds = math.Round(r.Finished.Sub(r.Started).Seconds()*10) / 10
	store, err := c.historyStore(ctx, s)
	if err != nil {
		return err
	}
	key, err := store.Append(ctx, *r)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.opts.verb, s.env.Name, err)
	}
	r.Key = "s3://" + store.Bucket + "/" + key
	c.recordDoc = r
	return nil
}

// configRelease is the release the command applies: the one checked out (promote, rollback), else the work tree's.
func (c *command) configRelease(ctx context.Context, home string) (release.Release, error) {
	if c.sourceRelease != nil {
		return *c.sourceRelease, nil
	}
	return release.Current(ctx, home)
}

// actor is who runs the command: EC2STACK_ACTOR, else the OS user.
func actor() string {
	if a := os.Getenv(ActorVar); a != "" {
		return a
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

// identity is the AWS caller identity the session applies with ("" when it cannot be read).
func (c *command) identity(ctx context.Context, s *session) string {
	cfg, err := s.awsConfig(ctx, "")
	if err != nil {
		return ""
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return ""
	}
	return aws.ToString(out.Arn)
}

// historyStore is the deployment history of s's environment: in its state bucket, beside the state.
func (c *command) historyStore(ctx context.Context, s *session) (history.Store, error) {
	region := cmp.Or(s.backend["region"], s.env.Region)
	if s.moto != nil {
		client, err := s.moto.S3Client(ctx, region)
		return history.Store{Client: client, Bucket: s.backend["bucket"]}, err
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return history.Store{}, err
	}
	return history.Store{Client: s3.NewFromConfig(cfg), Bucket: s.backend["bucket"]}, nil
}

// records is s's deployment history, oldest first.
func (c *command) records(ctx context.Context, s *session) ([]history.Record, error) {
	store, err := c.historyStore(ctx, s)
	if err != nil {
		return nil, err
	}
	return store.List(ctx, s.env.Name)
}

// detectDrift compares what exists with the state (a refresh-only plan) and plans the configuration, leaving
// the saved plan alone.
func (c *command) detectDrift(ctx context.Context, s *session) (drift.Report, error) {
	refreshOnly, err := s.runner.Inspect(ctx, true, nil)
	if err != nil {
		return drift.Report{}, fmt.Errorf("drift %s: %w", s.env.Name, err)
	}
	plan, err := s.runner.Inspect(ctx, false, nil)
	if err != nil {
		return drift.Report{}, fmt.Errorf("drift %s: %w", s.env.Name, err)
	}
	return drift.Analyze(refreshOnly, plan)
}
