package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// checkDiagram redraws envName from its plan with real settings, as what exists (no plan-action colours: the
// plan starts from an empty state), and compares it with the committed docs/diagrams/ENV.mmd and .svg.
func checkDiagram(t *testing.T, envName, planFile string) {
	t.Helper()
	sh := newShell(t)
	svgPath := filepath.Join(t.TempDir(), envName+".svg")
	mmd := sh.ec2stack(t, "diagram", envName, "--plan", planFile, "--no-actions", "--svg", svgPath)
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "diagrams")
	golden(t, filepath.Join(dir, envName+".mmd"), mmd)
	golden(t, filepath.Join(dir, envName+".svg"), string(svg))
}
