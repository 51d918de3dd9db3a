package terraform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
)

// ToolVar names the environment variable that points at a terraform binary.
const ToolVar = "EC2STACK_TERRAFORM"

// MinVersion is the oldest Terraform release ec2stack supports.
const MinVersion = "1.11.0"

const installHint = "install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install) or set " + ToolVar + " to its path"

// Tool is a terraform binary that passed the version check.
type Tool struct {
	Path    string
	Version string
}

// FindTool locates terraform ($EC2STACK_TERRAFORM, else PATH) and checks its version.
func FindTool(ctx context.Context) (Tool, error) {
	path, err := lookTool()
	if err != nil {
		return Tool{}, err
	}
	tf, err := tfexec.NewTerraform(os.TempDir(), path)
	if err != nil {
		return Tool{}, fmt.Errorf("terraform at %s: %w", path, err)
	}
	v, _, err := tf.Version(ctx, true)
	if err != nil {
		return Tool{}, fmt.Errorf("terraform at %s: reading version: %w", path, err)
	}
	if err := checkVersion(v); err != nil {
		return Tool{}, fmt.Errorf("terraform at %s: %w", path, err)
	}
	return Tool{Path: path, Version: v.String()}, nil
}

func lookTool() (string, error) {
	if p := os.Getenv(ToolVar); p != "" {
		info, err := os.Stat(p)
		if err != nil || info.IsDir() {
			return "", fmt.Errorf("%s=%q is not a terraform binary: %s", ToolVar, p, installHint)
		}
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("terraform not found on PATH: " + installHint)
	}
	return p, nil
}

func checkVersion(v *version.Version) error {
	min := version.Must(version.NewVersion(MinVersion))
	if v.Core().LessThan(min) {
		return fmt.Errorf("version %s is too old: %s", v, installHint)
	}
	return nil
}
