package cli

import (
	"context"
	"fmt"

	"github.com/ec2stack/ec2stack/internal/terraform"
)

// lockedError is a command stopped by a state lock another run holds.
type lockedError struct {
	env, target string
	lock        terraform.Lock
}

func (e *lockedError) Error() string {
	l := e.lock
	holder := fmt.Sprintf("%s by %s since %s (lock ID %s)", l.Operation, l.Who, l.Created, l.ID)
	if l.Local() {
		return fmt.Sprintf("%s on %s is locked by another terraform process of this working directory: %s; wait for it to finish (a local lock goes with its process)", e.env, e.target, holder)
	}
	return fmt.Sprintf("%s on %s is locked in its state backend: %s; wait for that run to finish, or, if it is gone (killed), release the lock with `ec2stack unlock %s%s --lock-id %s`",
		e.env, e.target, holder, e.env, targetFlag(e.target), l.ID)
}

// asLocked turns the error of a command that met another run's state lock into a lockedError.
func (c *command) asLocked(err error) error {
	if l, ok := terraform.LockOf(err); ok && c.opts.env != "" {
		return &lockedError{env: c.opts.env, target: c.opts.target, lock: l}
	}
	return err
}

// unlock releases the state lock --lock-id that a killed run left in ENV's state backend.
func (c *command) unlock(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("unlock %s: %w", c.opts.env, err)
	}
	if err := s.init(ctx); err != nil {
		return err
	}
	if err := s.runner.ForceUnlock(ctx, c.opts.lockID); err != nil {
		return fmt.Errorf("unlock %s: no lock %s to release (%s)", c.opts.env, c.opts.lockID, firstLine(err.Error()))
	}
	c.printf("Released the state lock %s of %s.\n", c.opts.lockID, s.describe())
	return c.result(map[string]any{"environment": c.opts.env, "target": c.opts.target, "lock_id": c.opts.lockID, "released": true})
}
