package terraform

import (
	"errors"
	"testing"
)

// The two shapes terraform reports a held lock in: an S3 lock file (plan, apply, destroy) and the local lock of
// a working directory (init), as seen from terraform 1.11.
const (
	s3LockError = `terraform plan: Error acquiring the state lock: Error message: operation error S3: PutObject, https response error StatusCode: 412, RequestID: 1, api error PreconditionFailed: At least one of the pre-conditions you specified did not hold
Lock Info:
  ID:        4b1d3c2e-9f8a-4e7b-8c6d-5a4b3c2d1e0f
  Path:      ec2stack-state/dev/terraform.tfstate
  Operation: OperationTypeApply
  Who:       alice@ci-runner
  Version:   1.11.4
  Created:   2026-12-02 06:10:00.123 +0000 UTC
  Info:`
	localLockError = `terraform init: exit status 1

Error: Error locking state: [{%!s(tfdiags.Severity=69) Error acquiring the state lock Error message: resource temporarily unavailable
Lock Info:
  ID:        a415b787-9dd4-e8a6-aae7-59de8f3614c7
  Path:      /work/main/.ec2stack/emulator/dev/tfdata/terraform.tfstate
  Operation: backend from plan
  Who:       root@vm
  Version:   1.11.4
  Created:   2026-12-02 05:50:44.512751225 +0000 UTC
  Info:`
)

func TestLockOf(t *testing.T) {
	l, ok := LockOf(errors.New(s3LockError))
	if !ok || l.ID != "4b1d3c2e-9f8a-4e7b-8c6d-5a4b3c2d1e0f" || l.Path != "ec2stack-state/dev/terraform.tfstate" ||
		l.Operation != "OperationTypeApply" || l.Who != "alice@ci-runner" || l.Created != "2026-12-02 06:10:00.123 +0000 UTC" || l.Local() {
		t.Errorf("S3 lock: %+v, %v", l, ok)
	}
	l, ok = LockOf(errors.New(localLockError))
	if !ok || l.ID != "a415b787-9dd4-e8a6-aae7-59de8f3614c7" || !l.Local() || l.Operation != "backend from plan" {
		t.Errorf("local lock: %+v, %v", l, ok)
	}
	for _, err := range []error{nil, errors.New("terraform plan: Invalid value for variable"), errors.New("Error acquiring the state lock (no info)")} {
		if l, ok := LockOf(err); ok {
			t.Errorf("LockOf(%v) = %+v", err, l)
		}
	}
	if !ValidLockID("4b1d3c2e-9f8a-4e7b-8c6d-5a4b3c2d1e0f") || ValidLockID("4b1d3c2e") || ValidLockID("") {
		t.Error("ValidLockID")
	}
}
