package scan_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestModuleDocs regenerates every module README (terraform-docs with the repository's .terraform-docs.yml, the
// way `make docs` does) in a temporary copy of the module and fails, naming the module, when the committed README
// differs: a variable, output or resource changed without `make docs`.
func TestModuleDocs(t *testing.T) {
	tl := tools(t)
	modules, err := filepath.Glob(filepath.Join(tl.Root, "terraform", "modules", "*", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(modules) == 0 {
		t.Fatal("no modules under terraform/modules")
	}
	config := filepath.Join(tl.Root, ".terraform-docs.yml")
	for _, mainTF := range modules {
		dir := filepath.Dir(mainTF)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			committed, err := os.ReadFile(filepath.Join(dir, "README.md"))
			if err != nil {
				t.Fatalf("module %s has no README.md (%v): write its purpose and usage, then run make docs", name, err)
			}
			if !strings.Contains(string(committed), "<!-- BEGIN_TF_DOCS -->") {
				t.Fatalf("module %s: README.md has no <!-- BEGIN_TF_DOCS --> marker; add the markers and run make docs", name)
			}
			tmp := filepath.Join(t.TempDir(), name)
			if err := os.CopyFS(tmp, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, tl.TerraformDocs, "--config", config, tmp)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("terraform-docs on module %s: %v\n%s", name, err, out)
			}
			regenerated, err := os.ReadFile(filepath.Join(tmp, "README.md"))
			if err != nil {
				t.Fatal(err)
			}
			if string(regenerated) != string(committed) {
				t.Errorf("module %s: terraform/modules/%s/README.md is stale (its generated tables differ from the "+
					"module's variables, outputs and resources): run make docs and commit the README\n%s",
					name, name, firstDifference(string(committed), string(regenerated)))
			}
		})
	}
}

// firstDifference shows the first line where the committed and the regenerated README differ.
func firstDifference(committed, regenerated string) string {
	a, b := strings.Split(committed, "\n"), strings.Split(regenerated, "\n")
	for i := 0; i < len(a) || i < len(b); i++ {
		var la, lb string
		if i < len(a) {
			la = a[i]
		}
		if i < len(b) {
			lb = b[i]
		}
		if la != lb {
			return "line " + strconv.Itoa(i+1) + ":\n  committed:   " + la + "\n  regenerated: " + lb
		}
	}
	return ""
}
