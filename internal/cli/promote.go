package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/release"
)

// promote brings ENV the release deployed in the environment it is promoted from (the contract's
// deployment.promote_from), once that environment's latest record shows the release applied, verified and
// drift-free: checked out in a directory of its own, planned, checked, approved where required, applied,
// verified and recorded.
func (c *command) promote(ctx context.Context) error {
	started := time.Now()
	home, err := repoHome()
	if err != nil {
		return err
	}
	_, e, err := c.requirements(home)
	if err != nil {
		return err
	}
	from := e.Deployment.PromoteFrom
	if from == "" {
		return usagef("promote %s: %s takes no promotion (deployment.promote_from is empty in %s): apply its releases with `ec2stack up %s`", c.opts.env, c.opts.env, contract.File, c.opts.env)
	}
	records, err := c.recordsOf(ctx, from)
	if err != nil {
		return fmt.Errorf("promote %s: %w", c.opts.env, err)
	}
	rel, err := history.Promotable(from, records)
	if err != nil {
		return &refusedError{msg: fmt.Sprintf("promote %s: %v", c.opts.env, err)}
	}
	if c.opts.release != "" {
		want, err := release.Resolve(ctx, home, c.opts.release)
		if err != nil {
			return usagef("promote %s --release: %v", c.opts.env, err)
		}
		if want.Commit != rel.Commit {
			return &refusedError{msg: fmt.Sprintf("promote %s: release %s is not the release %s has applied and verified (%s has %s): promote %s to %s first",
				c.opts.env, want, from, from, rel, want, from)}
		}
	}
	return c.deployRelease(ctx, home, rel, deployment{action: history.ActionPromote, from: from, started: started})
}

// rollback returns ENV to the release deployed before the current one (or --to RELEASE) through the same gate.
func (c *command) rollback(ctx context.Context) error {
	started := time.Now()
	home, err := repoHome()
	if err != nil {
		return err
	}
	records, err := c.recordsOf(ctx, c.opts.env)
	if err != nil {
		return fmt.Errorf("rollback %s: %w", c.opts.env, err)
	}
	var rel release.Release
	if c.opts.to != "" {
		if rel, err = release.Resolve(ctx, home, c.opts.to); err != nil {
			return usagef("rollback %s --to: %v", c.opts.env, err)
		}
	} else {
		var ok bool
		if rel, ok = history.Previous(records); !ok {
			return &refusedError{msg: fmt.Sprintf("rollback %s: its history has no earlier release to return to: name one with --to RELEASE", c.opts.env)}
		}
	}
	return c.deployRelease(ctx, home, rel, deployment{action: history.ActionRollback, started: started})
}

// deployRelease checks rel out and deploys it: plan, gate, approval, apply, verify, drift check, record.
func (c *command) deployRelease(ctx context.Context, home string, rel release.Release, d deployment) error {
	if err := c.useRelease(ctx, home, rel); err != nil {
		return err
	}
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.opts.verb, c.opts.env, err)
	}
	c.progressf("%s %s: release %s, checked out in %s", c.opts.verb, s.describe(), rel, c.source)
	sum, deployed := c.planAndDeploy(ctx, s, d, false)
	return c.reportDeployed(ctx, s, &sum, deployed)
}

// useRelease checks rel out in a directory of its own (the work tree is never touched) and makes its
// configuration, contract and rules the command's.
func (c *command) useRelease(ctx context.Context, home string, rel release.Release) error {
	dir, err := release.Checkout(ctx, home, rel, filepath.Join(env.WorkDir(home), "releases"))
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.opts.verb, c.opts.env, err)
	}
	c.source, c.sourceRelease, c.contract = dir, &rel, nil
	return nil
}

// recordsOf is the deployment history of environment name (of this target).
func (c *command) recordsOf(ctx context.Context, name string) ([]history.Record, error) {
	saved := c.opts.env
	c.opts.env = name
	defer func() { c.opts.env = saved }()
	s, err := c.prepare(ctx)
	if err != nil {
		return nil, err
	}
	return c.records(ctx, s)
}
