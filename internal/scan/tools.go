// Package scan runs the pinned static checkers (trivy, tflint) on the Terraform code and on plan JSON files, and
// keeps the generated findings report (docs/security-scan.md) in step with them. The tools are built by
// tools/install (`make tools`) from their own go.mod files under tools/; this package only finds and runs them.
package scan

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Tools locates the pinned tool binaries and the repository files they are run with.
type Tools struct {
	// Root is the repository root (the directory holding tools/install).
	Root string
	// Dir is the tools directory: EC2STACK_TOOLS_DIR or ~/.cache/ec2stack/tools.
	Dir string
	// Trivy, Tflint and TerraformDocs are the binaries (trivy-vX.Y.Z, tflint-vX.Y.Z, terraform-docs-vX.Y.Z in Dir).
	Trivy, Tflint, TerraformDocs string
	// PluginDir is given to tflint as TFLINT_PLUGIN_DIR (the AWS ruleset is installed below it).
	PluginDir string
	// TflintConfig is the repository's .tflint.hcl; TrivyIgnoreFile its .trivyignore.yaml.
	TflintConfig, TrivyIgnoreFile string
	// Versions of the tools as pinned in tools/*/go.mod, e.g. "v0.74.0".
	TrivyVersion, TflintVersion, RulesetVersion, TerraformDocsVersion string
}

// FindTools finds the repository root from the working directory and the pinned tools in EC2STACK_TOOLS_DIR (or
// the default ~/.cache/ec2stack/tools). A missing tool is an error that says how to build it.
func FindTools() (*Tools, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	root, err := RepoRoot(wd)
	if err != nil {
		return nil, err
	}
	dir := os.Getenv("EC2STACK_TOOLS_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("tools dir: %w (set EC2STACK_TOOLS_DIR)", err)
		}
		dir = filepath.Join(home, ".cache", "ec2stack", "tools")
	}
	t := &Tools{
		Root:            root,
		Dir:             dir,
		PluginDir:       filepath.Join(dir, "plugins"),
		TflintConfig:    filepath.Join(root, ".tflint.hcl"),
		TrivyIgnoreFile: filepath.Join(root, ".trivyignore.yaml"),
	}
	for _, v := range []struct {
		tool, module string
		dst          *string
	}{
		{"trivy", "github.com/aquasecurity/trivy", &t.TrivyVersion},
		{"tflint", "github.com/terraform-linters/tflint", &t.TflintVersion},
		{"tflint-ruleset-aws", "github.com/terraform-linters/tflint-ruleset-aws", &t.RulesetVersion},
		{"terraform-docs", "github.com/terraform-docs/terraform-docs", &t.TerraformDocsVersion},
	} {
		if *v.dst, err = pinnedVersion(filepath.Join(root, "tools", v.tool, "go.mod"), v.module); err != nil {
			return nil, err
		}
	}
	t.Trivy = filepath.Join(dir, "trivy-"+t.TrivyVersion)
	t.Tflint = filepath.Join(dir, "tflint-"+t.TflintVersion)
	t.TerraformDocs = filepath.Join(dir, "terraform-docs-"+t.TerraformDocsVersion)
	ruleset := filepath.Join(t.PluginDir, "github.com", "terraform-linters", "tflint-ruleset-aws",
		strings.TrimPrefix(t.RulesetVersion, "v"), "tflint-ruleset-aws")
	for name, path := range map[string]string{"trivy": t.Trivy, "tflint": t.Tflint, "tflint-ruleset-aws": ruleset,
		"terraform-docs": t.TerraformDocs} {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("%s not installed (no %s): run make tools", name, path)
		}
	}
	return t, nil
}

// RepoRoot walks up from dir to the directory that holds tools/install.
func RepoRoot(dir string) (string, error) {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "tools", "install")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no repository root (a directory with tools/install) above %s", dir)
		}
		d = parent
	}
}

// pinnedVersion reads the version of module from a tool's go.mod ("require module vX.Y.Z" or a require block).
func pinnedVersion(goMod, module string) (string, error) {
	f, err := os.Open(goMod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) > 0 && fields[0] == "require" {
			fields = fields[1:]
		}
		if len(fields) >= 2 && fields[0] == module {
			return fields[1], nil
		}
	}
	if err := s.Err(); err != nil {
		return "", err
	}
	return "", errors.New(goMod + ": no require of " + module)
}
