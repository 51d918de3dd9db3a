// Package env is the registry of ec2stack environments: each name maps to its
// Terraform root directory and default region.
package env

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// HomeVar names the environment variable that overrides repository root discovery.
const HomeVar = "EC2STACK_HOME"

// DefaultRegion is the region every environment uses unless told otherwise.
const DefaultRegion = "us-east-1"

// Names lists the known environments in promotion order.
var Names = []string{"dev", "staging", "prod"}

// Environment is one deployable environment.
type Environment struct {
	Name   string // dev, staging or prod
	Root   string // absolute path of terraform/envs/<name>
	Region string // default AWS region
}

// UnknownError reports an environment name that is not in the registry.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown environment %q: valid environments are %s", e.Name, strings.Join(Names, ", "))
}

// Validate checks that name is a known environment.
func Validate(name string) error {
	for _, n := range Names {
		if n == name {
			return nil
		}
	}
	return &UnknownError{Name: name}
}

// Lookup returns the environment called name inside the repository at home.
// It fails when the name is unknown or its root directory does not exist yet.
func Lookup(home, name string) (Environment, error) {
	if err := Validate(name); err != nil {
		return Environment{}, err
	}
	root := filepath.Join(home, "terraform", "envs", name)
	info, err := os.Stat(root)
	if err != nil || !info.IsDir() {
		return Environment{}, fmt.Errorf("environment %q has no root yet: %s does not exist", name, root)
	}
	return Environment{Name: name, Root: root, Region: DefaultRegion}, nil
}

// Home finds the repository root: $EC2STACK_HOME if set, else the nearest
// directory at or above cwd that contains terraform/envs.
func Home(cwd string) (string, error) {
	if h := os.Getenv(HomeVar); h != "" {
		abs, err := filepath.Abs(h)
		if err != nil {
			return "", fmt.Errorf("%s=%q: %w", HomeVar, h, err)
		}
		if !hasEnvs(abs) {
			return "", fmt.Errorf("%s=%q: no terraform/envs directory there", HomeVar, h)
		}
		return abs, nil
	}
	return findUp(cwd)
}

func findUp(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if hasEnvs(dir) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside an ec2stack repository: no terraform/envs directory found above " + start + " (or set " + HomeVar + ")")
		}
		dir = parent
	}
}

func hasEnvs(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, "terraform", "envs"))
	return err == nil && info.IsDir()
}

// WorkDirVar names the environment variable that moves ec2stack's working files (generated CLI config,
// terraform data dirs, plan files, emulator record) out of the repository, e.g. for tests.
const WorkDirVar = "EC2STACK_WORKDIR"

// WorkDir is where ec2stack keeps its working files: $EC2STACK_WORKDIR, else <home>/.ec2stack.
func WorkDir(home string) string {
	if dir := os.Getenv(WorkDirVar); dir != "" {
		return dir
	}
	return filepath.Join(home, ".ec2stack")
}
