package scan_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestActionlint lints every workflow in .github/workflows with the pinned actionlint (make tools); any finding fails.
func TestActionlint(t *testing.T) {
	tl := tools(t)
	mod, err := os.ReadFile(filepath.Join(tl.Root, "tools", "actionlint", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`github\.com/rhysd/actionlint (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("tools/actionlint/go.mod: no require of github.com/rhysd/actionlint")
	}
	bin := filepath.Join(tl.Dir, "actionlint-"+string(m[1]))
	files, err := filepath.Glob(filepath.Join(tl.Root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in .github/workflows (%v)", err)
	}
	out, err := exec.Command(bin, append([]string{"-shellcheck=", "-no-color"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("actionlint %v:\n%s", err, out)
	}
}
