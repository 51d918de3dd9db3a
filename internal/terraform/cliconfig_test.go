package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

func mkMirror(t *testing.T, ver string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws", ver, "linux_amd64"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFindMirror(t *testing.T) {
	v5 := mkMirror(t, "5.100.0")
	v4 := mkMirror(t, "4.67.0")
	empty := t.TempDir()
	tests := []struct {
		name       string
		envVar     string
		candidates []string
		want       string
		wantErr    string
	}{
		{name: "first candidate with aws 5", candidates: []string{empty, v4, v5}, want: v5},
		{name: "none found means direct", candidates: []string{empty, "/does/not/exist"}, want: ""},
		{name: "env var wins", envVar: v4, candidates: []string{v5}, want: v4},
		{name: "env var wrong", envVar: empty, candidates: []string{v5}, wantErr: "EC2STACK_PROVIDER_MIRROR=" + `"` + empty + `" does not contain registry.terraform.io/hashicorp/aws/`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(MirrorVar, tt.envVar)
			got, err := FindMirror(tt.candidates)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("FindMirror error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("FindMirror = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDefaultMirrorDirs(t *testing.T) {
	got := DefaultMirrorDirs("/home/u")
	want := []string{"/opt/tf-plugins", "/home/u/.terraform.d/plugins", "/home/u/.local/share/terraform/plugins",
		"/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("DefaultMirrorDirs = %v", got)
	}
}

func TestCLIConfig(t *testing.T) {
	tests := []struct {
		mirror string
		want   string
	}{
		{"", "provider_installation {\n  direct {}\n}\n"},
		{"/opt/tf-plugins", `provider_installation {
  filesystem_mirror {
    path    = "/opt/tf-plugins"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`},
	}
	for _, tt := range tests {
		if got := CLIConfig(tt.mirror); got != tt.want {
			t.Errorf("CLIConfig(%q) =\n%s\nwant\n%s", tt.mirror, got, tt.want)
		}
	}
}

func TestWriteCLIConfig(t *testing.T) {
	home := t.TempDir()
	path, err := WriteCLIConfig(home, "/m")
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(home, ".ec2stack", "terraform.rc") {
		t.Errorf("path = %s", path)
	}
	b, _ := os.ReadFile(path)
	if string(b) != CLIConfig("/m") {
		t.Errorf("content = %s", b)
	}
}

func TestCheckVersion(t *testing.T) {
	tests := map[string]bool{"1.11.0": true, "1.11.4": true, "1.12.0-beta1": true, "1.10.5": false, "0.15.0": false}
	for v, ok := range tests {
		err := checkVersion(version.Must(version.NewVersion(v)))
		if (err == nil) != ok {
			t.Errorf("checkVersion(%s) = %v, want ok=%v", v, err, ok)
		}
		if err != nil && !strings.Contains(err.Error(), "https://developer.hashicorp.com/terraform/install") {
			t.Errorf("checkVersion(%s) error lacks install hint: %v", v, err)
		}
	}
}

func TestLookTool(t *testing.T) {
	t.Run("env var not a file", func(t *testing.T) {
		t.Setenv(ToolVar, filepath.Join(t.TempDir(), "nope"))
		if _, err := lookTool(); err == nil || !strings.Contains(err.Error(), "EC2STACK_TERRAFORM") {
			t.Fatalf("lookTool = %v", err)
		}
	})
	t.Run("missing from PATH", func(t *testing.T) {
		t.Setenv(ToolVar, "")
		t.Setenv("PATH", t.TempDir())
		_, err := lookTool()
		if err == nil || !strings.Contains(err.Error(), "terraform not found on PATH: install Terraform >= 1.11") {
			t.Fatalf("lookTool = %v", err)
		}
	})
}

func TestBuildEnviron(t *testing.T) {
	base := []string{"HOME=/root", "TF_CLI_CONFIG_FILE=/root/.terraformrc", "TF_DATA_DIR=/x", "TF_VAR_region=eu-west-1",
		"TF_LOG=DEBUG", "AWS_PROFILE=prod", "PATH=/bin"}
	got := buildEnviron(base,
		map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_PROFILE": "", "TF_VAR_emulator_mode": "true"},
		map[string]string{"TF_CLI_CONFIG_FILE": "/repo/.ec2stack/terraform.rc", "TF_DATA_DIR": "/repo/.ec2stack/emulator/dev/tfdata"})
	want := map[string]string{
		"HOME": "/root", "PATH": "/bin", "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
		"TF_CLI_CONFIG_FILE": "/repo/.ec2stack/terraform.rc", "TF_DATA_DIR": "/repo/.ec2stack/emulator/dev/tfdata",
	}
	if len(got) != len(want) {
		t.Errorf("environ = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("environ[%s] = %q, want %q", k, got[k], v)
		}
	}
}

func TestVarOptions(t *testing.T) {
	t.Setenv("TF_VAR_region", "eu-west-1")
	t.Setenv("TF_VAR_not_declared", "x")
	r := &Runner{opts: Options{Root: filepath.Join("testdata", "vpc"),
		ExtraEnv: map[string]string{"TF_VAR_emulator_mode": "true"}}}
	got, err := r.varOptions()
	if err != nil {
		t.Fatal(err)
	}
	if want := "emulator_mode=true region=eu-west-1"; strings.Join(got, " ") != want {
		t.Fatalf("varOptions = %v, want %s", got, want)
	}
}

func TestNoPlanError(t *testing.T) {
	tests := []struct{ env, target, want string }{
		{"dev", "emulator", "no saved plan for dev on emulator: run `ec2stack plan dev` first"},
		{"prod", "aws", "no saved plan for prod on aws: run `ec2stack plan prod --target aws` first"},
	}
	for _, tt := range tests {
		if got := (&NoPlanError{Env: tt.env, Target: tt.target}).Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestMirrorHintOnlyWithoutMirror(t *testing.T) {
	dir := t.TempDir()
	for mirror, wantHint := range map[string]bool{"": true, "/opt/tf-plugins": false} {
		path := filepath.Join(dir, "rc")
		if err := os.WriteFile(path, []byte(CLIConfig(mirror)), 0o644); err != nil {
			t.Fatal(err)
		}
		r := &Runner{opts: Options{CLIConfig: path}}
		if got := r.mirrorHint() != ""; got != wantHint {
			t.Errorf("mirror %q: hint shown = %v, want %v (%q)", mirror, got, wantHint, r.mirrorHint())
		}
	}
}
