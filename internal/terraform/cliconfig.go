package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ec2stack/ec2stack/internal/env"
)

// MirrorVar names the environment variable that points at a provider filesystem mirror.
const MirrorVar = "EC2STACK_PROVIDER_MIRROR"

const awsProvider = "registry.terraform.io/hashicorp/aws"

// DefaultMirrorDirs are searched in order for an AWS provider mirror.
func DefaultMirrorDirs(userHome string) []string {
	return []string{
		"/opt/tf-plugins",
		filepath.Join(userHome, ".terraform.d", "plugins"),
		filepath.Join(userHome, ".local", "share", "terraform", "plugins"),
		"/usr/local/share/terraform/plugins",
		"/usr/share/terraform/plugins",
	}
}

// FindMirror returns the provider filesystem mirror to use: $EC2STACK_PROVIDER_MIRROR
// (which must hold the AWS provider), else the first of candidates holding an
// AWS provider 5.x. An empty result without error means "no mirror: download".
func FindMirror(candidates []string) (string, error) {
	if dir := os.Getenv(MirrorVar); dir != "" {
		if !hasAWSProvider(dir, "*") {
			return "", fmt.Errorf("%s=%q does not contain %s/<version>/", MirrorVar, dir, awsProvider)
		}
		return filepath.Abs(dir)
	}
	for _, dir := range candidates {
		if hasAWSProvider(dir, "5.*") {
			return dir, nil
		}
	}
	return "", nil
}

func hasAWSProvider(dir, versionGlob string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(awsProvider), versionGlob))
	return len(matches) > 0
}

// CLIConfig renders a Terraform CLI configuration that installs the AWS
// provider from mirror (when not empty) and everything else directly.
func CLIConfig(mirror string) string {
	if mirror == "" {
		return "provider_installation {\n  direct {}\n}\n"
	}
	aws := strconv.Quote(awsProvider)
	return "provider_installation {\n" +
		"  filesystem_mirror {\n" +
		"    path    = " + strconv.Quote(mirror) + "\n" +
		"    include = [" + aws + "]\n" +
		"  }\n" +
		"  direct {\n" +
		"    exclude = [" + aws + "]\n" +
		"  }\n" +
		"}\n"
}

// WriteCLIConfig writes CLIConfig(mirror) to env.WorkDir(home)/terraform.rc and returns its path.
func WriteCLIConfig(home, mirror string) (string, error) {
	path := filepath.Join(env.WorkDir(home), "terraform.rc")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("writing terraform cli config: %w", err)
	}
	// Written beside and renamed into place: another ec2stack command of the same work directory (another
	// environment, say) may be starting terraform with it right now.
	tmp, err := os.CreateTemp(filepath.Dir(path), "terraform.rc.*")
	if err != nil {
		return "", fmt.Errorf("writing terraform cli config: %w", err)
	}
	_, err = tmp.WriteString(CLIConfig(mirror))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("writing terraform cli config: %w", err)
	}
	return path, nil
}

// PrepareCLIConfig finds the provider mirror (EC2STACK_PROVIDER_MIRROR or the default places) and writes the
// CLI config every terraform process of home runs with; it returns the config's path.
func PrepareCLIConfig(home string) (string, error) {
	userHome, _ := os.UserHomeDir()
	mirror, err := FindMirror(DefaultMirrorDirs(userHome))
	if err != nil {
		return "", err
	}
	return WriteCLIConfig(home, mirror)
}
