package terraform

import (
	"errors"
	"fmt"
	"io/fs"
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

// CLIConfig renders a Terraform CLI configuration that installs the AWS provider from mirror (when not empty)
// and everything else directly. With a mirror, pluginCache (when not empty) is terraform's plugin cache: `init`
// then links each working directory's provider to the cache, and the cache to the mirror (see linkMirror),
// instead of copying the 700 MB provider binary into every TF_DATA_DIR.
func CLIConfig(mirror, pluginCache string) string {
	if mirror == "" {
		return "provider_installation {\n  direct {}\n}\n"
	}
	aws := strconv.Quote(awsProvider)
	cfg := ""
	if pluginCache != "" {
		cfg = "plugin_cache_dir = " + strconv.Quote(pluginCache) + "\n"
	}
	return cfg + "provider_installation {\n" +
		"  filesystem_mirror {\n" +
		"    path    = " + strconv.Quote(mirror) + "\n" +
		"    include = [" + aws + "]\n" +
		"  }\n" +
		"  direct {\n" +
		"    exclude = [" + aws + "]\n" +
		"  }\n" +
		"}\n"
}

// WriteCLIConfig writes CLIConfig(mirror, its plugin cache) to env.WorkDir(home)/terraform.rc and returns its
// path; the plugin cache is env.WorkDir(home)/plugin-cache, holding a link to each provider package of the mirror.
func WriteCLIConfig(home, mirror string) (string, error) {
	path := filepath.Join(env.WorkDir(home), "terraform.rc")
	cache := ""
	if mirror != "" {
		cache = filepath.Join(env.WorkDir(home), "plugin-cache")
		if err := linkMirror(mirror, cache); err != nil {
			return "", fmt.Errorf("terraform plugin cache: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("writing terraform cli config: %w", err)
	}
	if err := os.WriteFile(path, []byte(CLIConfig(mirror, cache)), 0o644); err != nil {
		return "", fmt.Errorf("writing terraform cli config: %w", err)
	}
	return path, nil
}

// linkMirror fills the plugin cache before any terraform runs, so that concurrent inits only read it (terraform
// does not make writes to its cache safe for concurrent use): for each AWS provider package of the mirror
// (<version>/<os_arch>), the cache gets a symbolic link at the same place, as terraform itself would make it.
func linkMirror(mirror, cache string) error {
	packages, err := filepath.Glob(filepath.Join(mirror, filepath.FromSlash(awsProvider), "*", "*_*"))
	if err != nil {
		return err
	}
	for _, pkg := range packages {
		rel, err := filepath.Rel(mirror, pkg)
		if err != nil {
			return err
		}
		link := filepath.Join(cache, rel)
		if target, err := os.Readlink(link); err == nil && target == pkg {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			return err
		}
		_ = os.Remove(link)
		if err := os.Symlink(pkg, link); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
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
