package scan

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Ignore is one misconfiguration entry of .trivyignore.yaml (trivy's format).
type Ignore struct {
	ID        string    `yaml:"id"`
	Paths     []string  `yaml:"paths"`
	Statement string    `yaml:"statement"`
	ExpiredAt time.Time `yaml:"expired_at"`
}

// Applies reports whether the entry covers target (no paths: every target; else a path.Match pattern).
func (ig Ignore) Applies(target string) bool {
	if len(ig.Paths) == 0 {
		return true
	}
	for _, p := range ig.Paths {
		if ok, _ := path.Match(p, target); ok {
			return true
		}
	}
	return false
}

// Expired reports whether expired_at has passed (trivy then stops honouring the entry).
func (ig Ignore) Expired() bool {
	return !ig.ExpiredAt.IsZero() && time.Now().After(ig.ExpiredAt)
}

func (ig Ignore) String() string {
	return fmt.Sprintf("%s %v (%s)", ig.ID, ig.Paths, ig.Statement)
}

// LoadIgnores reads the misconfigurations of .trivyignore.yaml; a missing file is no entries. Every entry needs
// an id and a statement (the reason).
func LoadIgnores(file string) ([]Ignore, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var doc struct {
		Misconfigurations []Ignore `yaml:"misconfigurations"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for _, ig := range doc.Misconfigurations {
		if ig.ID == "" || strings.TrimSpace(ig.Statement) == "" {
			return nil, fmt.Errorf("%s: entry %s: every ignore needs an id and a statement (the reason)", file, ig)
		}
		for _, p := range ig.Paths {
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("%s: entry %s: bad path pattern %q", file, ig, p)
			}
		}
	}
	return doc.Misconfigurations, nil
}

// ApplyIgnores marks the findings an unexpired entry covers as suppressed. target is the name entries' paths are
// matched against ("" = each finding's own Target). It returns, per entry, whether it suppressed anything.
func ApplyIgnores(findings []Finding, ignores []Ignore, target string) []bool {
	used := make([]bool, len(ignores))
	for i := range findings {
		f := &findings[i]
		name := target
		if name == "" {
			name = f.Target
		}
		for j, ig := range ignores {
			if ig.Expired() || (ig.ID != f.ID && "AVD-"+ig.ID != f.ID) || !ig.Applies(name) {
				continue
			}
			f.Suppressed, f.Statement, used[j] = true, ig.Statement, true
			break
		}
	}
	return used
}

// UnusedIgnoresError lists .trivyignore.yaml entries scoped to a target that suppressed nothing there.
type UnusedIgnoresError struct {
	Target  string
	Ignores []Ignore
}

func (e *UnusedIgnoresError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, ".trivyignore.yaml: %d entries for %s match no finding (remove them):", len(e.Ignores), e.Target)
	for _, ig := range e.Ignores {
		b.WriteString("\n  " + ig.String())
	}
	return b.String()
}

// InlineIgnore is a `#trivy:ignore:ID` comment in a .tf file; it covers the block that follows it.
type InlineIgnore struct {
	File       string // relative to the scanned directory
	Line       int
	ID         string
	Start, End int // lines of the block the comment covers
}

func (ig InlineIgnore) String() string {
	return fmt.Sprintf("%s:%d: #trivy:ignore:%s", ig.File, ig.Line, ig.ID)
}

var inlineIgnoreRe = regexp.MustCompile(`^\s*#\s*trivy:ignore:([A-Za-z0-9-]+)`)

// FindInlineIgnores lists the inline ignores in the .tf files under dir (symlinks are not followed, so the shared
// environment files count once) with the line range of the block each one covers.
func FindInlineIgnores(dir string) ([]InlineIgnore, error) {
	var out []InlineIgnore
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 || !strings.HasSuffix(p, ".tf") {
			return err
		}
		lines, err := readLines(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for i, l := range lines {
			m := inlineIgnoreRe.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			ig := InlineIgnore{File: filepath.ToSlash(rel), Line: i + 1, ID: m[1]}
			for j := i + 1; j < len(lines); j++ {
				if ig.Start == 0 && strings.HasSuffix(strings.TrimSpace(lines[j]), "{") && !strings.HasPrefix(lines[j], " ") {
					ig.Start = j + 1
				}
				if ig.Start != 0 && lines[j] == "}" {
					ig.End = j + 1
					break
				}
			}
			out = append(out, ig)
		}
		return nil
	})
	return out, err
}

// UnusedInlineIgnores scans a copy of dir with the inline ignores disabled and returns the ignores that would
// suppress nothing: an exception that matches nothing is an error too.
func UnusedInlineIgnores(ctx context.Context, t *Tools, dir string) ([]InlineIgnore, error) {
	ignores, err := FindInlineIgnores(dir)
	if err != nil || len(ignores) == 0 {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "ec2stack-noignore-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := copyTree(dir, tmp); err != nil {
		return nil, err
	}
	findings, err := Trivy(ctx, t, tmp)
	if err != nil {
		return nil, err
	}
	var unused []InlineIgnore
	for _, ig := range ignores {
		hit := false
		for _, f := range findings {
			if f.Target == ig.File && (f.ID == ig.ID || f.ID == "AVD-"+ig.ID) && f.StartLine >= ig.Start && f.StartLine <= ig.End {
				hit = true
				break
			}
		}
		if !hit {
			unused = append(unused, ig)
		}
	}
	return unused, nil
}

// copyTree copies dir to dst keeping symlinks, and neutralises `#trivy:ignore:` comments (same line numbers).
func copyTree(dir, dst string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.Name() == ".terraform" && d.IsDir():
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".tf") {
			data = []byte(strings.ReplaceAll(string(data), "trivy:ignore:", "trivy-ignore-disabled:"))
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func readLines(p string) ([]string, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	return lines, s.Err()
}
