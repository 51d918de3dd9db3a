package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/emulator"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want options
	}{
		{"plain", []string{"up", "dev"}, options{verb: "up", env: "dev", target: "emulator"}},
		{"flags after env", []string{"plan", "dev", "--target", "aws", "--state-bucket", "b"}, options{verb: "plan", env: "dev", target: "aws", stateBucket: "b"}},
		{"flags before verb", []string{"--json", "--target=aws", "--state-bucket=b", "--state-region=eu-west-1", "apply", "prod"}, options{verb: "apply", env: "prod", target: "aws", stateBucket: "b", stateRegion: "eu-west-1", json: true}},
		{"endpoint normalized", []string{"outputs", "--endpoint", "http://127.0.0.1:5000/", "staging"}, options{verb: "outputs", env: "staging", target: "emulator", endpoint: "http://127.0.0.1:5000"}},
		{"emulator action", []string{"emulator", "status", "--json"}, options{verb: "emulator", action: "status", target: "emulator", json: true}},
		{"emulator faults", []string{"emulator", "start", "--faults", "throttle=10%,error5xx=2%,latency=50ms"}, options{verb: "emulator", action: "start", target: "emulator",
			faults: &emulator.Faults{Throttle: 10, Error5xx: 2, Latency: 50 * time.Millisecond, Seed: emulator.DefaultFaultSeed}}},
		{"help wins", []string{"up", "nope", "-h"}, options{target: "emulator", help: true}},
		{"cost", []string{"cost", "prod", "--usage", "u.yaml", "--savings", "--markdown", "--plan", "p.json"}, options{verb: "cost", env: "prod", target: "emulator", usagePath: "u.yaml", savings: true, markdown: true, planPath: "p.json"}},
		{"report markdown", []string{"report", "dev", "--markdown"}, options{verb: "report", env: "dev", target: "emulator", markdown: true}},
		{"cost on aws needs no state bucket", []string{"cost", "dev", "--target", "aws"}, options{verb: "cost", env: "dev", target: "aws"}},
		{"cost compare", []string{"cost", "--compare", "dev,staging,prod", "--json"}, options{verb: "cost", target: "emulator", compare: []string{"dev", "staging", "prod"}, json: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(StateBucketVar, "")
			got, err := parseArgs(tt.args)
			if err != nil {
				t.Fatalf("parseArgs(%q): %v", tt.args, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("parseArgs(%q) = %+v, want %+v", tt.args, got, tt.want)
			}
		})
	}
}

func TestStateBucketFromEnv(t *testing.T) {
	t.Setenv(StateBucketVar, "my-state")
	o, err := parseArgs([]string{"plan", "dev", "--target", "aws"})
	if err != nil || o.stateBucket != "my-state" {
		t.Fatalf("parseArgs = %+v, %v", o, err)
	}
}

func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "ec2stack: missing command: valid commands are up, plan, check, apply, verify, destroy, outputs, cost, unlock, approve, history, drift, report, promote, rollback, dr, diagram, ami, switch, emulator (try --help)"},
		{[]string{"frob"}, `ec2stack: unknown command "frob": valid commands are up, plan, check, apply, verify, destroy, outputs, cost, unlock, approve, history, drift, report, promote, rollback, dr, diagram, ami, switch, emulator`},
		{[]string{"up", "foo"}, `ec2stack: unknown environment "foo": valid environments are dev, staging, prod`},
		{[]string{"up"}, "ec2stack: usage: ec2stack up ENV (one of dev, staging, prod)"},
		{[]string{"up", "dev", "prod"}, "ec2stack: usage: ec2stack up ENV (one of dev, staging, prod)"},
		{[]string{"up", "dev", "--target", "gcp"}, `ec2stack: unknown target "gcp": valid targets are emulator, aws`},
		{[]string{"up", "dev", "--target"}, "ec2stack: flag --target needs a value"},
		{[]string{"up", "dev", "--json=yes"}, "ec2stack: flag --json takes no value"},
		{[]string{"up", "dev", "--bogus"}, `ec2stack: unknown flag "--bogus": valid flags are --target, --endpoint, --state-bucket, --state-region, --plan, --sarif, --policy, --exceptions, --timing, --usage, --compare, --savings, --markdown, --svg, --no-actions, --lock-id, --approved-by, --to, --release, --repair, --faults, --yes, --json, --help`},
		{[]string{"plan", "dev", "--yes"}, "ec2stack: --yes is a flag of `ec2stack destroy`, not of plan"},
		{[]string{"apply", "dev", "--policy", "p"}, "ec2stack: --policy is a flag of `ec2stack check`, `ec2stack plan`, `ec2stack up`, not of apply"},
		{[]string{"up", "dev", "--endpoint", "localhost:5000"}, `ec2stack: invalid endpoint "localhost:5000": want a URL like http://127.0.0.1:5000`},
		{[]string{"up", "dev", "--target", "aws", "--endpoint", "http://127.0.0.1:5000"}, "ec2stack: --endpoint is for the emulator target only, not --target aws"},
		{[]string{"up", "dev", "--target", "aws"}, "ec2stack: --target aws needs a state bucket: pass --state-bucket NAME or set EC2STACK_STATE_BUCKET"},
		{[]string{"up", "dev", "--state-bucket", "b"}, "ec2stack: --state-bucket and --state-region are for --target aws; the emulator keeps state in its own bucket ec2stack-state"},
		{[]string{"cost", "dev", "--compare", "dev,prod"}, "ec2stack: usage: ec2stack cost ENV, or ec2stack cost --compare dev,staging,prod (not both)"},
		{[]string{"cost", "--compare", "dev,qa"}, `ec2stack: --compare dev,qa: unknown environment "qa": valid environments are dev, staging, prod`},
		{[]string{"cost", "--compare", "dev,prod", "--savings"}, "ec2stack: --compare reads each environment's saved plan: it takes neither --plan nor --savings"},
		{[]string{"cost", "dev", "--json", "--markdown"}, "ec2stack: --json and --markdown are two outputs of cost: choose one"},
		{[]string{"report", "dev", "--json", "--markdown"}, "ec2stack: --json and --markdown are two outputs of report: choose one"},
		{[]string{"report", "qa"}, `ec2stack: unknown environment "qa": valid environments are dev, staging, prod`},
		{[]string{"report", "dev", "--savings"}, "ec2stack: --savings is a flag of `ec2stack cost`, not of report"},
		{[]string{"verify", "dev", "--markdown"}, "ec2stack: --markdown is a flag of `ec2stack cost`, `ec2stack report`, not of verify"},
		{[]string{"plan", "dev", "--usage", "u.yaml"}, "ec2stack: --usage is a flag of `ec2stack cost`, not of plan"},
		{[]string{"unlock", "dev"}, "ec2stack: unlock dev needs --lock-id ID: the lock ID that the locked command printed"},
		{[]string{"unlock", "dev", "--lock-id", "abc"}, `ec2stack: --lock-id "abc" is not a terraform lock ID (a UUID such as 0b2c8f4e-1d6a-4c2b-9e7f-3a5d6c7b8e9f)`},
		{[]string{"plan", "dev", "--lock-id", "0b2c8f4e-1d6a-4c2b-9e7f-3a5d6c7b8e9f"}, "ec2stack: --lock-id is a flag of `ec2stack unlock`, not of plan"},
		{[]string{"approve", "prod", "--approved-by", "x;rm"}, `ec2stack: --approved-by: approver "x;rm" must be 1 to 64 letters, digits, spaces or . _ @ + - (a name or an e-mail address), starting with a letter or digit`},
		{[]string{"apply", "prod", "--approved-by", "ana"}, "ec2stack: --approved-by is a flag of `ec2stack approve`, `ec2stack up`, `ec2stack promote`, `ec2stack rollback`, `ec2stack drift`, not of apply"},
		{[]string{"drift", "dev", "--approved-by", "ana"}, "ec2stack: --approved-by is for `ec2stack drift dev --repair`: a drift check applies nothing"},
		{[]string{"promote", "prod", "--to", "v1"}, "ec2stack: --to is a flag of `ec2stack rollback`, `ec2stack switch`, not of promote"},
		{[]string{"switch", "dev", "--to", "red"}, `ec2stack: switch --to "red": the colors are blue and green`},
		{[]string{"switch"}, "ec2stack: usage: ec2stack switch ENV (one of dev, staging, prod)"},
		{[]string{"rollback", "dev", "--release", "v1"}, "ec2stack: --release is a flag of `ec2stack promote`, not of rollback"},
		{[]string{"plan", "dev", "--repair"}, "ec2stack: --repair is a flag of `ec2stack drift`, not of plan"},
		{[]string{"history"}, "ec2stack: usage: ec2stack history ENV (one of dev, staging, prod)"},
		{[]string{"emulator"}, "ec2stack: usage: ec2stack emulator start|stop|status"},
		{[]string{"emulator", "reboot"}, "ec2stack: usage: ec2stack emulator start|stop|status"},
		{[]string{"emulator", "start", "--faults", "throttle=150%"}, `ec2stack: --faults "throttle=150%": throttle must be a percentage between 0% and 100% (e.g. throttle=10%)`},
		{[]string{"emulator", "start", "--faults", "throttle=10"}, `ec2stack: --faults "throttle=10": throttle must be a percentage between 0% and 100% (e.g. throttle=10%)`},
		{[]string{"emulator", "start", "--faults=latency=fast"}, `ec2stack: --faults "latency=fast": latency must be a duration between 0s and 10s (e.g. latency=50ms)`},
		{[]string{"emulator", "start", "--faults", "throttle=60%,error5xx=50%"}, `ec2stack: --faults "throttle=60%,error5xx=50%": throttle and error5xx add up to 110%, more than 100%`},
		{[]string{"emulator", "start", "--faults", "slow=1"}, `ec2stack: --faults "slow=1": unknown key slow: valid keys are throttle, error5xx, latency, jitter, seed`},
		{[]string{"emulator", "start", "--faults="}, `ec2stack: --faults "": want KEY=VALUE pairs separated by commas, keys throttle, error5xx, latency, jitter, seed (e.g. throttle=10%,error5xx=2%,latency=50ms)`},
		{[]string{"emulator", "status", "--faults", "throttle=10%"}, "ec2stack: --faults is a flag of `ec2stack emulator start`, not of emulator status"},
		{[]string{"up", "dev", "--faults", "throttle=10%"}, "ec2stack: --faults is a flag of `ec2stack emulator start`, not of up"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Setenv(StateBucketVar, "")
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), tt.args, &stdout, &stderr)
			if code != ExitUsage {
				t.Errorf("exit code = %d, want %d", code, ExitUsage)
			}
			if got := strings.TrimSpace(stderr.String()); got != tt.want {
				t.Errorf("stderr = %q\nwant     %q", got, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want empty", stdout.String())
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"up", "--help"}} {
		var stdout, stderr bytes.Buffer
		if code := Run(context.Background(), args, &stdout, &stderr); code != ExitOK {
			t.Errorf("%v: exit %d", args, code)
		}
		if !strings.Contains(stdout.String(), "Usage:") || !strings.Contains(stdout.String(), "--target emulator|aws") {
			t.Errorf("%v: help = %q", args, stdout.String())
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"vpc-1", "vpc-1"},
		{float64(8080), "8080"},
		{true, "true"},
		{map[string]any{"a": "x"}, `{"a":"x"}`},
		{[]any{"10.0.0.0/8"}, `["10.0.0.0/8"]`},
	}
	for _, tt := range tests {
		if got := formatValue(tt.in); got != tt.want {
			t.Errorf("formatValue(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The emulator switch never reaches AWS: refused in the process environment and in the root's variable files.
func TestEmulatorSwitchRefusedOnAWS(t *testing.T) {
	home := fixtureRepo(t)
	t.Setenv("TF_VAR_emulator_mode", "true")
	code, _, stderr := run(t, context.Background(), "plan", "dev", "--target", "aws", "--state-bucket", "b")
	if code != ExitUsage || !strings.Contains(stderr, "TF_VAR_emulator_mode=true is the emulator switch and is refused on --target aws") {
		t.Errorf("TF_VAR_emulator_mode on aws: exit %d, %q", code, stderr)
	}
	t.Setenv("TF_VAR_emulator_mode", "")
	vars := filepath.Join(home, "terraform", "envs", "dev", "local.auto.tfvars")
	if err := os.WriteFile(vars, []byte("emulator_mode = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, context.Background(), "plan", "dev", "--target", "aws", "--state-bucket", "b")
	if code != ExitUsage || !strings.Contains(stderr, vars+" sets emulator_mode, the emulator switch, which is refused on --target aws") {
		t.Errorf("emulator_mode in a variable file on aws: exit %d, %q", code, stderr)
	}
}

// destroy on AWS needs --yes without a terminal; where deletion protection is required it says how to lift it.
func TestDestroyOnAWSNeedsConfirmation(t *testing.T) {
	fixtureRepo(t)
	for env, protected := range map[string]bool{"dev": false, "prod": true} {
		code, stdout, stderr := run(t, context.Background(), "destroy", env, "--target", "aws", "--state-bucket", "b")
		want := "ec2stack: destroy " + env + " --target aws deletes every resource of " + env + ": pass --yes (or run it at a terminal and type " + env + ")"
		if code != ExitUsage || !strings.HasPrefix(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || stdout != "" {
			t.Errorf("destroy %s: exit %d, stderr %q", env, code, stderr)
		}
		if got := strings.Contains(stderr, "deletion protection") && strings.Contains(stderr, "--no-deletion-protection"); got != protected {
			t.Errorf("destroy %s: deletion protection explained = %v, want %v: %q", env, got, protected, stderr)
		}
	}
}
