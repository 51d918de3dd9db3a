// Package release names what is deployed: a release is a commit of this repository (shown by its tag when it
// has one). It reads git, and checks a release out into a directory of its own (git archive), never touching
// the user's work tree.
package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Release is one commit of the repository.
type Release struct {
	Commit string `json:"commit"`          // full sha; "" when the repository is not a git work tree
	Tag    string `json:"tag,omitempty"`   // a tag pointing at the commit, if any
	Dirty  bool   `json:"dirty,omitempty"` // the work tree had uncommitted changes: not a release anyone can check out
}

// String is the tag, else the short commit; "+dirty" when the work tree had changes.
func (r Release) String() string {
	s := r.Tag
	if s == "" {
		s = Short(r.Commit)
	}
	if s == "" {
		s = "unknown (not a git work tree)"
	}
	if r.Dirty {
		s += "+dirty"
	}
	return s
}

// Same reports whether r and o are the same checked-in release.
func (r Release) Same(o Release) bool {
	return r.Commit != "" && r.Commit == o.Commit && r.Dirty == o.Dirty
}

// Short is a commit's first 12 characters.
func Short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// Current is the release of the repository at home: its HEAD commit, tag and whether the work tree has changes.
// A directory that is not a git work tree gives an empty Release (and no error): it can be applied, never
// promoted.
func Current(ctx context.Context, home string) (Release, error) {
	if _, err := git(ctx, home, "rev-parse", "--is-inside-work-tree"); err != nil {
		return Release{}, nil
	}
	r, err := Resolve(ctx, home, "HEAD")
	if err != nil {
		return Release{}, err
	}
	status, err := git(ctx, home, "status", "--porcelain", "--untracked-files=no")
	if err != nil {
		return Release{}, err
	}
	r.Dirty = strings.TrimSpace(status) != ""
	return r, nil
}

var revision = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$`)

// Resolve finds the commit a revision (sha, short sha, tag, branch) names in the repository at home.
func Resolve(ctx context.Context, home, rev string) (Release, error) {
	if !revision.MatchString(rev) || strings.Contains(rev, "..") {
		return Release{}, fmt.Errorf("release %q is not a commit, tag or branch name", rev)
	}
	commit, err := git(ctx, home, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return Release{}, fmt.Errorf("release %q is not a commit of the repository at %s", rev, home)
	}
	r := Release{Commit: strings.TrimSpace(commit)}
	if tags, err := git(ctx, home, "tag", "--points-at", r.Commit, "--sort=-creatordate"); err == nil {
		if f := strings.Fields(tags); len(f) > 0 {
			r.Tag = f[0]
		}
	}
	return r, nil
}

// Checkout writes the files of release r into a directory of its own under dir (dir/COMMIT) and returns it; an
// earlier complete checkout of the same commit is reused. The user's work tree and index are not touched.
func Checkout(ctx context.Context, home string, r Release, dir string) (string, error) {
	if r.Commit == "" || r.Dirty {
		return "", fmt.Errorf("release %s cannot be checked out: only a committed release can", r)
	}
	dest := filepath.Join(dir, r.Commit)
	done := filepath.Join(dest, ".ec2stack-release")
	if _, err := os.Stat(done); err == nil {
		return dest, nil
	}
	_ = os.RemoveAll(dest)
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", err
	}
	archive := exec.CommandContext(ctx, "git", "-C", home, "archive", "--format=tar", r.Commit)
	extract := exec.CommandContext(ctx, "tar", "-x", "-C", dest)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		return "", err
	}
	extract.Stdin = pipe
	var errOut bytes.Buffer
	archive.Stderr, extract.Stderr = &errOut, &errOut
	if err := extract.Start(); err != nil {
		return "", fmt.Errorf("checking out release %s: tar: %w", r, err)
	}
	if err := archive.Run(); err != nil {
		_ = extract.Wait()
		return "", fmt.Errorf("checking out release %s: git archive: %v: %s", r, err, strings.TrimSpace(errOut.String()))
	}
	if err := extract.Wait(); err != nil {
		return "", fmt.Errorf("checking out release %s: tar: %v: %s", r, err, strings.TrimSpace(errOut.String()))
	}
	return dest, os.WriteFile(done, []byte(r.Commit+"\n"), 0o644)
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), strings.TrimSpace(errOut.String()))
		}
		return "", fmt.Errorf("git: %w (ec2stack reads releases with git: install it)", err)
	}
	return out.String(), nil
}
