package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// previousRelease checks out the commit testdata/previous-release names into a directory of the test's own and
// builds that release's ec2stack there: the upgrade starts from what its users run today.
func previousRelease(t *testing.T) (dir, binary, commit string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(), "test", "e2e", "testdata", "previous-release"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			commit = line
		}
	}
	if out, err := exec.Command("git", "-C", root(), "cat-file", "-e", commit+"^{commit}").CombinedOutput(); err != nil {
		t.Fatalf("the upgrade test needs this repository's history up to the previous release %s (clone without --depth): %v %s", commit, err, out)
	}
	dir = t.TempDir()
	archive := exec.Command("git", "-C", root(), "archive", "--format=tar", commit)
	extract := exec.Command("tar", "-x", "-C", dir)
	var errOut bytes.Buffer
	archive.Stderr, extract.Stderr = &errOut, &errOut
	if extract.Stdin, err = archive.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := extract.Start(); err != nil {
		t.Fatal(err)
	}
	if err := archive.Run(); err != nil {
		t.Fatalf("git archive %s: %v %s", commit, err, errOut.String())
	}
	if err := extract.Wait(); err != nil {
		t.Fatalf("extracting %s: %v %s", commit, err, errOut.String())
	}
	binary = filepath.Join(t.TempDir(), "ec2stack-previous")
	build := exec.Command("go", "build", "-o", binary, "./cmd/ec2stack")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the previous release's ec2stack: %v\n%s", err, out)
	}
	return dir, binary, commit
}

// TestUpgrade applies dev from the previous release with that release's own ec2stack, then plans it with this
// one: the plan may change things but must not replace or delete anything stateful (EC2S-706 judges the
// emulator plan, which starts from the applied state). Renaming the project, which replaces the log groups and
// buckets, must be caught. Then this release applies, and destroy leaves nothing.
func TestUpgrade(t *testing.T) {
	requireTerraform(t)
	t.Parallel()
	prevDir, prevBinary, commit := previousRelease(t)
	moto := startMoto(t)
	sh := newShell(t)
	ep := []string{"--endpoint", moto.Endpoint}

	up := exec.Command(prevBinary, append([]string{"up", "dev", "--approved-by", "e2e"}, ep...)...)
	up.Dir = prevDir
	up.Env = append(os.Environ(), env.HomeVar+"="+prevDir, env.WorkDirVar+"="+t.TempDir())
	if out, err := up.CombinedOutput(); err != nil {
		t.Fatalf("up dev with the previous release %s: %v\n%s", commit[:12], err, out)
	}

	stdout, stderr, code := sh.run(t, append([]string{"plan", "dev", "--json"}, ep...)...)
	doc := decode(t, stdout)
	if code != 0 {
		t.Fatalf("plan dev of this release over the previous one's state: exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	sum, _ := doc["plan"].(map[string]any)
	t.Logf("upgrade %s -> work tree: %v to add, %v to change, %v to replace, %v to destroy", commit[:12], sum["add"], sum["change"], sum["replace"], sum["destroy"])
	if findings := ruleFindings(doc, "EC2S-706"); len(findings) > 0 {
		t.Errorf("the upgrade replaces stateful resources: %v", findings)
	}

	// Renaming the project renames every log group and bucket, which AWS cannot do in place: the gate must
	// refuse the plan on the emulator too, naming them (RDS renames the database in place: no finding).
	renamed := newShell(t, "TF_VAR_project=renamed")
	stdout, _, code = renamed.run(t, append([]string{"plan", "dev", "--json"}, ep...)...)
	if code != 3 {
		t.Errorf("plan dev renaming the project: exit %d, want 3 (check refuses the replaced log groups and bucket)", code)
	}
	found := strings.Join(ruleFindings(decode(t, stdout), "EC2S-706"), "\n")
	for _, want := range []string{`module.stack.module.logs.aws_s3_bucket.this["alb"]`, "module.stack.module.network.aws_cloudwatch_log_group.flow_logs"} {
		if !strings.Contains(found, want) {
			t.Errorf("renaming the project replaces %s, and EC2S-706 did not say so: %s", want, found)
		}
	}

	sh.ec2stack(t, append([]string{"up", "dev", "--approved-by", "e2e"}, ep...)...)
	sh.ec2stack(t, append([]string{"destroy", "dev"}, ep...)...)
	left, err := verify.Leftovers(context.Background(), awsConfig(t, moto), "dev")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range left {
		t.Errorf("left after destroy: %s", l)
	}
}

// ruleFindings lists the addresses of the findings of rule id in a --json document's check.
func ruleFindings(doc map[string]any, id string) []string {
	check, _ := doc["check"].(map[string]any)
	findings, _ := check["findings"].([]any)
	var out []string
	for _, f := range findings {
		if m, _ := f.(map[string]any); m["rule_id"] == id {
			out = append(out, m["address"].(string))
		}
	}
	return out
}
