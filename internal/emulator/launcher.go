package emulator

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// PythonVar names the environment variable that points at the Python that has moto installed.
const PythonVar = "EC2STACK_PYTHON"

// shim starts moto's server with read-back fixes for moto 5.2.1 (see docs/emulator.md).
//
//go:embed moto_shim.py
var shim []byte

// launcher is how to start moto: a program and the arguments before -H/-p.
type launcher struct {
	program string
	args    []string
}

// findLauncher picks how to run moto: $EC2STACK_MOTO_SERVER as given; else
// the embedded shim under a Python that can import moto ($EC2STACK_PYTHON or
// python3); else plain moto_server from PATH.
func findLauncher(shimDir string) (launcher, error) {
	if os.Getenv(BinaryVar) != "" {
		bin, err := FindBinary()
		return launcher{program: bin}, err
	}
	if py, ok := motoPython(); ok {
		path, err := writeShim(shimDir)
		if err != nil {
			return launcher{}, err
		}
		return launcher{program: py, args: []string{path}}, nil
	}
	bin, err := FindBinary()
	return launcher{program: bin}, err
}

func motoPython() (string, bool) {
	py := os.Getenv(PythonVar)
	if py == "" {
		var err error
		if py, err = exec.LookPath("python3"); err != nil {
			return "", false
		}
	}
	return py, exec.Command(py, "-c", "import moto.server").Run() == nil
}

// writeShim writes the embedded shim into dir atomically and returns its path.
func writeShim(dir string) (string, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("writing moto shim: %w", err)
	}
	f, err := os.CreateTemp(dir, ".moto_shim-*.py")
	if err != nil {
		return "", fmt.Errorf("writing moto shim: %w", err)
	}
	_, werr := f.Write(shim)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(f.Name())
		return "", fmt.Errorf("writing moto shim: %w", err)
	}
	path := filepath.Join(dir, "ec2stack_moto_shim.py")
	if err := os.Rename(f.Name(), path); err != nil {
		return "", fmt.Errorf("writing moto shim: %w", err)
	}
	return path, nil
}
