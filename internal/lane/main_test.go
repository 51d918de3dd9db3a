package lane

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNewPrefix(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		p, err := NewPrefix()
		if err != nil {
			t.Fatal(err)
		}
		if err := ValidatePrefix(p); err != nil || !strings.HasPrefix(p, PrefixStem) || len(p) != len(PrefixStem)+6 {
			t.Errorf("NewPrefix() = %q: %v", p, err)
		}
		seen[p] = true
	}
	if len(seen) < 49 {
		t.Errorf("50 prefixes, only %d different", len(seen))
	}
}

func TestValidatePrefix(t *testing.T) {
	for p, ok := range map[string]bool{
		"ec2t-abc123": true, "a": true, "team-a-1": true, "abcdefghijklmnopqrstuvwx": true,
		"abcdefghijklmnopqrstuvwxy": false, // 25 characters
		"1abc":                      false, "Ec2t-a": false, "ec2t_a": false, "ec2t-": false, "ec2t--a": false, "": false,
		"ec2stack": false, // the environments' own
	} {
		if err := ValidatePrefix(p); (err == nil) != ok {
			t.Errorf("ValidatePrefix(%q) = %v, want ok=%t", p, err, ok)
		}
	}
}

func TestAsk(t *testing.T) {
	for answer, want := range map[string]bool{"y\n": true, "YES\n": true, " y \n": true, "n\n": false, "\n": false, "": false, "yep\n": false} {
		var out bytes.Buffer
		if got := ask(strings.NewReader(answer), &out, "Go on?"); got != want || out.String() != "Go on? [y/N] " {
			t.Errorf("ask(%q) = %t (printed %q), want %t", answer, got, out.String(), want)
		}
	}
}

func TestParseFlags(t *testing.T) {
	var stderr bytes.Buffer
	c, err := parseFlags([]string{"--envs", "dev staging", "--yes", "--prefix", "ec2t-zzz999", "--duration", "2h"}, &stderr)
	if err != nil || !slices.Equal(c.Envs, []string{"dev", "staging"}) || !c.Yes || c.Prefix != "ec2t-zzz999" || c.Duration != 2*time.Hour || c.DryRun {
		t.Errorf("parseFlags: %+v, %v", c, err)
	}
	if c, err = parseFlags([]string{"--envs=dev,staging", "--offline"}, &stderr); err != nil || !c.offline || !c.DryRun || len(c.Envs) != 2 {
		t.Errorf("--offline: %+v, %v", c, err)
	}
	if c, err = parseFlags([]string{"--endpoint", "http://127.0.0.1:5000"}, &stderr); err != nil || !c.DryRun {
		t.Errorf("--endpoint: %+v, %v", c, err)
	}
	for _, args := range [][]string{{"--offline", "--endpoint", "http://127.0.0.1:1"}, {"dev"}, {"--nope"}, {"--duration", "soon"}} {
		if _, err := parseFlags(args, &stderr); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

// TestMainUsage: bad command lines exit 2 with one line saying why; --help exits 0 and lists the exit codes.
func TestMainUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Main([]string{"--help"}, nil, &out, &errOut); code != ExitOK || !strings.Contains(errOut.String(), "Exit codes (0 to 5 as for ec2stack): 0 everything held") {
		t.Errorf("--help: exit %d\n%s", code, errOut.String())
	}
	errOut.Reset()
	if code := Main([]string{"--envs", "prod", "--dry-run"}, nil, &out, &errOut); code != ExitUsage || !strings.Contains(errOut.String(), "does not run prod") {
		t.Errorf("--envs prod: exit %d\n%s", code, errOut.String())
	}
}

// TestRunRefusesBeforeAnythingRuns: what the lane refuses, it refuses before it reaches terraform or AWS, with
// exit 2, and it leaves the process environment as it found it.
func TestRunRefusesBeforeAnythingRuns(t *testing.T) {
	t.Setenv("EC2STACK_STATE_BUCKET", "")
	t.Setenv("TF_VAR_project", "mine")
	t.Setenv("TF_VAR_domain_name", "")
	t.Setenv("TF_VAR_hosted_zone_id", "")
	home, _ := os.Getwd()
	home += "/../.."
	workDir := os.Getenv("EC2STACK_WORKDIR")
	for name, c := range map[string]struct {
		o    Options
		want string
	}{
		"prod":                     {Options{Envs: []string{"prod"}}, "does not run prod"},
		"unknown env":              {Options{Envs: []string{"qa"}}, `unknown environment "qa"`},
		"twice":                    {Options{Envs: []string{"dev", "dev"}}, "given twice"},
		"cleanup without a prefix": {Options{Cleanup: true}, "--cleanup needs the prefix"},
		"bad prefix":               {Options{Prefix: "Ec2t"}, `prefix "Ec2t"`},
		"endpoint without dry run": {Options{Endpoint: "http://127.0.0.1:1"}, "for dry runs only"},
		"no state bucket":          {Options{Envs: []string{"dev"}}, "needs an S3 state bucket"},
		"staging without a zone":   {Options{Envs: []string{"dev", "staging"}, StateBucket: "b"}, "staging on AWS needs TF_VAR_hosted_zone_id"},
	} {
		t.Run(name, func(t *testing.T) {
			c.o.Home = home
			c.o.WorkDir = t.TempDir()
			res, err := Run(context.Background(), c.o)
			var le *Error
			if !errors.As(err, &le) || le.Code != ExitUsage || res.Code != ExitUsage || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Run: code %d, %v; want exit 2 with %q", res.Code, err, c.want)
			}
			if os.Getenv("TF_VAR_project") != "mine" || os.Getenv("EC2STACK_WORKDIR") != workDir {
				t.Errorf("the run left TF_VAR_project=%q EC2STACK_WORKDIR=%q", os.Getenv("TF_VAR_project"), os.Getenv("EC2STACK_WORKDIR"))
			}
		})
	}
}

// TestVerdict: leftovers (they cost money) decide the exit code before any other failure; otherwise the first
// failure does; a run without failures holds and removes its working directory.
func TestVerdict(t *testing.T) {
	ok := EnvResult{Env: "dev", Applied: true, Verified: true, Answers: true, Destroyed: true, Probe: ProbeResult{Status: 200, Attempts: 2}}
	differs := EnvResult{Env: "dev", Applied: true, Destroyed: true}
	differs.fail(ExitDifferences, "verify found differences")
	differs.fail(ExitUnreachable, "no 2xx")
	left := EnvResult{Env: "staging", Applied: true, Destroyed: true, Leftovers: []string{"arn:aws:ec2:us-east-1:1:vpc/vpc-1"}}
	left.fail(ExitLeftovers, "1 resource(s) of the run left after destroy")
	for name, c := range map[string]struct {
		envs []EnvResult
		code int
		want []string
	}{
		"held":        {[]EnvResult{ok}, ExitOK, []string{"Run ec2t-abc123 held", "200 OK after 2 attempt(s)"}},
		"differences": {[]EnvResult{differs}, ExitDifferences, []string{"dev: verify found differences", "dev: no 2xx", "did not hold"}},
		"leftovers":   {[]EnvResult{differs, left}, ExitLeftovers, []string{"left in staging: arn:aws:ec2:us-east-1:1:vpc/vpc-1", "make test-aws-clean PREFIX=ec2t-abc123"}},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			work := t.TempDir()
			l := &lane{prefix: "ec2t-abc123", work: work, out: &out, res: &Result{Account: "123456789012", Envs: c.envs}}
			err := l.verdict()
			code := ExitOK
			var le *Error
			if errors.As(err, &le) {
				code = le.Code
			}
			if code != c.code {
				t.Errorf("exit %d (%v), want %d", code, err, c.code)
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("summary lacks %q:\n%s", w, out.String())
				}
			}
			if _, statErr := os.Stat(work); (statErr == nil) == (c.code == ExitOK) {
				t.Errorf("working directory kept = %t after exit %d", statErr == nil, c.code)
			}
		})
	}
}

func TestAppURL(t *testing.T) {
	for _, c := range []struct {
		outputs map[string]any
		want    string
	}{
		{map[string]any{"alb_dns_name": "ec2t-a-dev-1.us-east-1.elb.amazonaws.com", "https_enabled": false}, "http://ec2t-a-dev-1.us-east-1.elb.amazonaws.com/health"},
		{map[string]any{"alb_dns_name": "lb", "https_enabled": true, "fqdn": "staging.example.com"}, "https://staging.example.com/health"},
		{map[string]any{"alb_dns_name": "lb", "https_enabled": true}, "http://lb/health"},
		{map[string]any{}, ""},
	} {
		if got := AppURL(c.outputs); got != c.want {
			t.Errorf("AppURL(%v) = %q, want %q", c.outputs, got, c.want)
		}
	}
}
