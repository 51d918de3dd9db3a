package cli

import (
	"errors"
	"strings"
	"testing"
)

// TestLockedErrors: a command that meets another run's lock fails with one line naming the holder, and, for a
// lock in the state backend, the unlock command to run if that run is gone.
func TestLockedErrors(t *testing.T) {
	const info = "\nLock Info:\n  ID:        4b1d3c2e-9f8a-4e7b-8c6d-5a4b3c2d1e0f\n  Path:      %s\n  Operation: OperationTypeApply\n  Who:       alice@ci-runner\n  Version:   1.11.4\n  Created:   2026-12-02 06:10:00 +0000 UTC\n  Info:\n"
	c := &command{opts: options{verb: "apply", env: "prod", target: "aws"}}
	err := c.asLocked(errors.New("apply prod: Error acquiring the state lock: precondition failed" + strings.Replace(info, "%s", "my-state/prod/terraform.tfstate", 1)))
	var l *lockedError
	if !errors.As(err, &l) || fail(&strings.Builder{}, err) != ExitFailure {
		t.Fatalf("not a lockedError: %v", err)
	}
	want := "prod on aws is locked in its state backend: OperationTypeApply by alice@ci-runner since 2026-12-02 06:10:00 +0000 UTC (lock ID 4b1d3c2e-9f8a-4e7b-8c6d-5a4b3c2d1e0f); wait for that run to finish, or, if it is gone (killed), release the lock with `ec2stack unlock prod --target aws --lock-id 4b1d3c2e-9f8a-4e7b-8c6d-5a4b3c2d1e0f`"
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant\n%s", err, want)
	}
	err = c.asLocked(errors.New("init: Error locking state: Error acquiring the state lock" + strings.Replace(info, "%s", "/repo/.ec2stack/aws/prod/tfdata/terraform.tfstate", 1)))
	if !strings.Contains(err.Error(), "locked by another terraform process of this working directory") || strings.Contains(err.Error(), "ec2stack unlock") {
		t.Errorf("a local lock: %v", err)
	}
	if other := errors.New("plan: boom"); c.asLocked(other) != other {
		t.Error("an error without a lock was changed")
	}
}
