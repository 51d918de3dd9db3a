package release

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReleases(t *testing.T) {
	ctx := context.Background()
	repo := t.TempDir()
	if r, err := Current(ctx, repo); err != nil || r.Commit != "" || r.String() != "unknown (not a git work tree)" {
		t.Fatalf("outside git: %+v %v", r, err)
	}
	run(t, repo, "git", "init", "-q")
	write(t, filepath.Join(repo, "terraform/envs/dev/main.tf"), "# A\n")
	run(t, repo, "git", "add", "-A")
	run(t, repo, "git", "commit", "-qm", "A")
	a := run(t, repo, "git", "rev-parse", "HEAD")

	r, err := Current(ctx, repo)
	if err != nil || r.Commit != a || r.Dirty || r.Tag != "" || r.String() != a[:12] {
		t.Fatalf("release A: %+v %v", r, err)
	}
	run(t, repo, "git", "tag", "v1.0.0")
	write(t, filepath.Join(repo, "terraform/envs/dev/main.tf"), "# B\n")
	r, err = Current(ctx, repo)
	if err != nil || r.Commit != a || !r.Dirty || r.String() != "v1.0.0+dirty" {
		t.Fatalf("changed work tree: %+v %v", r, err)
	}
	if _, err := Checkout(ctx, repo, r, t.TempDir()); err == nil || !strings.Contains(err.Error(), "only a committed release") {
		t.Errorf("a dirty release was checked out: %v", err)
	}
	run(t, repo, "git", "commit", "-qam", "B")

	byTag, err := Resolve(ctx, repo, "v1.0.0")
	if err != nil || byTag.Commit != a || byTag.Tag != "v1.0.0" {
		t.Fatalf("resolve v1.0.0: %+v %v", byTag, err)
	}
	if byShort, err := Resolve(ctx, repo, a[:8]); err != nil || byShort.Commit != a {
		t.Errorf("resolve %s: %+v %v", a[:8], byShort, err)
	}
	for _, bad := range []string{"v9", "HEAD..main", "-rf", ""} {
		if _, err := Resolve(ctx, repo, bad); err == nil || !strings.Contains(err.Error(), "release \""+bad+"\"") {
			t.Errorf("resolve %q: %v", bad, err)
		}
	}

	dir := t.TempDir()
	dest, err := Checkout(ctx, repo, byTag, dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "terraform/envs/dev/main.tf")); string(b) != "# A\n" {
		t.Errorf("checkout of A holds %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(repo, "terraform/envs/dev/main.tf")); string(b) != "# B\n" {
		t.Errorf("the work tree changed: %q", b)
	}
	if again, err := Checkout(ctx, repo, byTag, dir); err != nil || again != dest {
		t.Errorf("second checkout: %s %v", again, err)
	}
}
