package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockFilesCoverPlatforms: every committed .terraform.lock.hcl (the environment roots and the e2e test root)
// holds the AWS provider's public hashes for every platform of LockPlatforms, and the README promises exactly
// LockPlatforms.
func TestLockFilesCoverPlatforms(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	for _, pattern := range []string{"terraform/envs/*/.terraform.lock.hcl", "test/e2e/testdata/*/.terraform.lock.hcl"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 4 {
		t.Fatalf("found %d lock files (%v), want the three environments' and the e2e root's", len(files), files)
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range CheckLockFile(string(text), AWSProviderLock) {
			t.Errorf("%s: %s (the platforms are %v)", f, p, LockPlatforms)
		}
	}
	for _, p := range LockPlatforms {
		if _, ok := AWSProviderLock.PlatformH1[p]; !ok && len(AWSProviderLock.H1) < 14 {
			t.Errorf("%s has no h1 hash of its own and the record does not hold every published platform", p)
		}
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), LockPlatformsSentence()) {
		t.Errorf("README.md does not say %q (internal/terraform.LockPlatforms)", LockPlatformsSentence())
	}
}

// The check fails on a lock file with only the mirror's hash (what the lock files held before) and on another
// version, naming what is missing.
func TestCheckLockFileRefuses(t *testing.T) {
	single := `provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "~> 5.100"
  hashes = [
    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
  ]
}
`
	got := strings.Join(CheckLockFile(single, AWSProviderLock), "\n")
	if !strings.Contains(got, "no hash for darwin_arm64") || strings.Contains(got, "no hash for linux_amd64") {
		t.Errorf("single-platform lock file: got %q, want darwin_arm64 missing and linux_amd64 present", got)
	}
	if !strings.Contains(got, "missing public hash zh:054b8dd4") {
		t.Errorf("single-platform lock file: got %q, want the zh hashes missing", got)
	}
	other := strings.Replace(single, `"5.100.0"`, `"5.99.0"`, 1)
	if got := CheckLockFile(other, AWSProviderLock); len(got) == 0 || !strings.Contains(got[0], "version 5.99.0") {
		t.Errorf("other version: got %q", got)
	}
	if got := CheckLockFile("", AWSProviderLock); len(got) != 1 || !strings.Contains(got[0], "no provider") {
		t.Errorf("empty file: got %q", got)
	}
}
