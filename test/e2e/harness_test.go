// Package e2e drives the real ec2stack CLI and terraform against the moto emulator: apply an environment,
// read it back through the AWS API, re-plan, destroy, and check that nothing is left. It needs terraform, the
// AWS provider (mirror or registry) and moto; when one is missing the tests fail and say how to install it.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ec2stack/ec2stack/internal/cli"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

const region = "us-east-1"

// repoRoot is the repository root (two levels above this package).
func repoRoot(t *testing.T) string {
	t.Helper()
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
func startMoto(t *testing.T) *emulator.Server {
	t.Helper()
	dir := t.TempDir()
	s, err := emulator.Start(context.Background(), emulator.StartOptions{ShimDir: dir, LogFile: filepath.Join(dir, "moto.log")})
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

// ec2stack runs the CLI in-process from the repository root, with its working files in a test directory.
// It returns stdout; a non-zero exit fails the test with everything the command printed.
func ec2stack(t *testing.T, workDir string, args ...string) string {
	t.Helper()
	stdout, stderr, code := runCLI(t, workDir, args...)
	if code != 0 {
		t.Fatalf("ec2stack %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout
}

func runCLI(t *testing.T, workDir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Setenv(env.HomeVar, repoRoot(t))
	t.Setenv(env.WorkDirVar, workDir)
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), args, &out, &errOut)
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
