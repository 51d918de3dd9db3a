package cli

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// A command whose context a signal cancelled exits 130 with one line naming the signal and what to run next;
// without the signal its error is left alone.
func TestInterruptedExitCode(t *testing.T) {
	cause := errors.New("interrupt signal received") // what signal.NotifyContext's context gives as its cause
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	failed := errors.New("terraform plan: exit status 1")
	for _, tc := range []struct {
		opts options
		want string
	}{
		{options{verb: "up", env: "dev", target: "emulator"}, "ec2stack: up dev: interrupted (interrupt signal received) before it finished; nothing more was started. Run `ec2stack up dev` again\n"},
		{options{verb: "apply", env: "prod", target: "aws"}, "Run `ec2stack plan prod --target aws`, then `ec2stack apply prod --target aws` again\n"},
		{options{verb: "drift", env: "staging", target: "emulator", repair: true}, "Run `ec2stack drift staging --repair` again\n"},
		{options{verb: "rollback", env: "dev", target: "emulator", to: "v1"}, "Run `ec2stack rollback dev --to v1` again\n"},
	} {
		c := &command{opts: tc.opts}
		var stderr bytes.Buffer
		if code := fail(&stderr, c.interrupted(ctx, failed)); code != ExitInterrupted || !strings.HasSuffix(stderr.String(), tc.want) {
			t.Errorf("%s %s interrupted: exit %d, %q; want %d and %q", tc.opts.verb, tc.opts.env, code, stderr.String(), ExitInterrupted, tc.want)
		}
	}
	c := &command{opts: options{verb: "up", env: "dev", target: "emulator"}}
	if err := c.interrupted(context.Background(), failed); err != failed {
		t.Errorf("an error without a signal became %v", err)
	}
	if err := c.interrupted(ctx, nil); err != nil {
		t.Errorf("success after a signal became %v", err)
	}
	apply := &interruptedError{msg: "up dev: interrupted during terraform apply"}
	if err := c.interrupted(ctx, apply); err != apply {
		t.Errorf("an interrupted apply's own message was replaced: %v", err)
	}
}

// stateInstances counts a state's managed instances and names the tainted ones as terraform addresses them.
func TestStateInstances(t *testing.T) {
	n, tainted, err := stateInstances([]byte(interruptedState))
	want := []string{`module.stack.module.security.aws_kms_key.this["data"]`, `module.stack.module.network.aws_network_acl.this["public"]`,
		`module.stack.module.database[0].aws_db_instance.this`, "aws_instance.counted[1]"}
	if err != nil || n != 6 || !slices.Equal(tainted, want) {
		t.Errorf("stateInstances = %d, %q, %v; want 6, %q", n, tainted, err, want)
	}
	if n, tainted, err := stateInstances(nil); n != 0 || tainted != nil || err != nil {
		t.Errorf("an empty state: %d %v %v", n, tainted, err)
	}
	if _, _, err := stateInstances([]byte("{")); err == nil {
		t.Error("a broken state was read")
	}
}

// interruptedState is a state as `terraform state pull` prints it after an interrupted apply (abridged).
const interruptedState = `{
  "version": 4,
  "terraform_version": "1.11.4",
  "serial": 6,
  "lineage": "9d1c2c4e-1f3a-4b7e-8a2d-6c5b4a3f2e1d",
  "outputs": {},
  "resources": [
    {"module": "module.stack.module.security", "mode": "data", "type": "aws_iam_roles", "name": "autoscaling_service_linked", "instances": [{"attributes": {"id": "x"}}]},
    {"module": "module.stack.module.security", "mode": "managed", "type": "aws_kms_key", "name": "this",
     "instances": [{"index_key": "data", "status": "tainted", "attributes": {"id": "799f0d56"}}, {"index_key": "ebs", "attributes": {"id": "a50c3413"}}]},
    {"module": "module.stack.module.network", "mode": "managed", "type": "aws_network_acl", "name": "this",
     "instances": [{"index_key": "public", "status": "tainted", "attributes": {"id": "acl-4faa671d"}}]},
    {"module": "module.stack.module.database[0]", "mode": "managed", "type": "aws_db_instance", "name": "this",
     "instances": [{"status": "tainted", "attributes": {"id": "db-1"}}]},
    {"mode": "managed", "type": "aws_instance", "name": "counted",
     "instances": [{"index_key": 0, "attributes": {"id": "i-0"}}, {"index_key": 1, "status": "tainted", "attributes": {"id": "i-1"}}]}
  ],
  "check_results": null
}
`
