// Package e2e drives the real ec2stack CLI and terraform against the moto emulator: apply an environment,
// read it back through the AWS API, re-plan, destroy, and check that nothing is left. It needs terraform, the
// AWS provider (mirror or registry) and moto; when one is missing the tests fail and say how to install it.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

const region = "us-east-1"

// repoRoot is the repository root (two levels above this package).
func repoRoot(t *testing.T) string { return root() }

func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// requireTerraform fails the test when terraform is missing or too old.
func requireTerraform(t *testing.T) terraform.Tool {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: needs terraform and moto; run without -short")
	}
	tool, err := terraform.FindTool(context.Background())
	if err != nil {
		t.Fatalf("the e2e tests need terraform: %v", err)
	}
	return tool
}

// startMoto starts a private moto for the test (through the read-back shim) and stops it afterwards.
func startMoto(t *testing.T) *emulator.Server { t.Helper(); return startMotoWith(t, "") }

// startMotoWith starts a moto of the test's own offering the images of the MOTO_AMIS_PATH file amis ("" = moto's).
func startMotoWith(t *testing.T, amis string) *emulator.Server {
	t.Helper()
	dir := t.TempDir()
	s, err := emulator.Start(context.Background(), emulator.StartOptions{ShimDir: dir, AMIs: amis, LogFile: filepath.Join(dir, "moto.log")})
	if err != nil {
		t.Fatalf("the e2e tests need moto 5.2.1: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stopping moto (pid %d): %v", s.PID, err)
		}
	})
	return s
}

// awsConfig is an SDK configuration for reading resources back from the test's moto.
func awsConfig(t *testing.T, s *emulator.Server) aws.Config {
	t.Helper()
	cfg, err := s.AWSConfig(context.Background(), region)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// cliBinary is the ec2stack command the tests run, built once by TestMain: as a process of its own, each test
// gives it its own environment (TF_VAR_*, home, work directory), so environments can run in parallel.
var cliBinary string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "ec2stack-e2e-")
	if err == nil {
		cliBinary = filepath.Join(dir, "ec2stack")
		build := exec.Command("go", "build", "-o", cliBinary, "./cmd/ec2stack")
		build.Dir = root()
		if out, berr := build.CombinedOutput(); berr != nil {
			err = fmt.Errorf("go build ./cmd/ec2stack: %v\n%s", berr, out)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// shell runs the CLI as a user would: from the repository, with a work directory of the test's own and the
// variables the test sets (e.g. TF_VAR_region=eu-west-1) on top of the test process's environment.
type shell struct {
	work string
	vars []string
}

func newShell(t *testing.T, vars ...string) *shell {
	return &shell{work: t.TempDir(), vars: vars}
}

// get is the value the shell gives variable name ("" when it sets none).
func (sh *shell) get(name string) string {
	for _, kv := range sh.vars {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v
		}
	}
	return ""
}

// ec2stack runs the CLI and returns stdout; a non-zero exit fails the test with everything the command printed.
func (sh *shell) ec2stack(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, code := sh.run(t, args...)
	if code != 0 {
		t.Fatalf("ec2stack %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

// run runs the CLI and returns what it printed and its exit code.
func (sh *shell) run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(cliBinary, args...)
	cmd.Dir = root()
	cmd.Env = append(os.Environ(), append([]string{env.HomeVar + "=" + root(), env.WorkDirVar + "=" + sh.work}, sh.vars...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", cliBinary, err)
	}
	return out.String(), errOut.String(), code
}

// decode parses a --json result document.
func decode(t *testing.T, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatalf("ec2stack --json printed no JSON document: %v\n%s", err, doc)
	}
	return m
}
