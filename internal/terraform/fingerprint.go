package terraform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// What a Runner skips when nothing it depends on changed. Terraform pays a few seconds of provider start-up per
// command, so ec2stack does not re-run `terraform init` for an unchanged configuration and backend, and (with
// Options.ReusePlan) does not re-plan an unchanged configuration with unchanged inputs. Each record is a sha256
// over everything the step reads, written only after the step succeeded: a changed file, variable, backend
// setting, endpoint, CLI configuration or terraform binary makes the step run again.

const (
	initRecord = "ec2stack-init.sha256" // in TF_DATA_DIR
	planRecord = ".inputs.sha256"       // suffix of the plan file
	planJSON   = ".json"                // suffix of the plan file: its `terraform show -json`
)

// configTree is the directory whose files make up the root's configuration: the repository's terraform/
// directory (every module the roots call lives there) when the root is inside it, else the root itself.
func (r *Runner) configTree() string {
	tree := filepath.Join(r.opts.Home, "terraform")
	if rel, err := filepath.Rel(tree, r.opts.Root); err == nil && !strings.HasPrefix(rel, "..") {
		return tree
	}
	return r.opts.Root
}

// fingerprint hashes the configuration tree (every file but terraform's own working directories), the
// terraform binary and CLI configuration, and the given settings, in order.
func (r *Runner) fingerprint(settings ...string) (string, error) {
	h := sha256.New()
	write := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	write(r.opts.Tool.Path, r.opts.Tool.Version, r.opts.Root)
	if b, err := os.ReadFile(r.opts.CLIConfig); err == nil {
		write(string(b))
	}
	tree := r.configTree()
	err := filepath.WalkDir(tree, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) { // gone while walking (a temporary file of another terraform)
			return nil
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tree, path)
		write(rel, string(b))
		return nil
	})
	if err != nil {
		return "", err
	}
	write(settings...)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// unchanged reports whether the record at path holds sum.
func unchanged(path, sum string) bool {
	b, err := os.ReadFile(path)
	return err == nil && strings.TrimSpace(string(b)) == sum
}

func writeRecord(path, sum string) error {
	return os.WriteFile(path, []byte(sum+"\n"), 0o644)
}

// settings renders key=value pairs of a map in key order, for a fingerprint.
func settings(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, k+"="+m[k])
	}
	return out
}
