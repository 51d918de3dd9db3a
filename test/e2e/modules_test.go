package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ec2stack/ec2stack/internal/terraform"
)

// TestModuleTerraformTests runs the plan-level `terraform test` suites of the modules (mock providers, offline):
// settings and validations of each module on its own, including what the emulator switch turns off.
func TestModuleTerraformTests(t *testing.T) {
	tool := requireTerraform(t)
	t.Parallel()
	home := t.TempDir()
	rc, err := terraform.PrepareCLIConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	suites, err := filepath.Glob(filepath.Join(repoRoot(t), "terraform", "modules", "*", "tests"))
	if err != nil || len(suites) == 0 {
		t.Fatalf("no module test suites found under terraform/modules/*/tests (%v)", err)
	}
	for _, tests := range suites {
		module := filepath.Dir(tests)
		t.Run(filepath.Base(module), func(t *testing.T) {
			t.Parallel()
			r, err := terraform.New(terraform.Options{
				Tool: tool, Home: home, Root: module, Target: "module-tests", Env: filepath.Base(module), CLIConfig: rc,
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := r.Init(ctx, nil); err != nil {
				t.Fatalf("init: %v", err)
			}
			var out bytes.Buffer
			if err := r.Test(ctx, &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if testing.Verbose() {
				os.Stdout.Write(out.Bytes())
			}
		})
	}
}
