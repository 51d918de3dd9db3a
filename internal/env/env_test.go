package env

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func makeRepo(t *testing.T, envs ...string) string {
	t.Helper()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "terraform", "envs"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range envs {
		if err := os.MkdirAll(filepath.Join(home, "terraform", "envs", e), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

func TestLookup(t *testing.T) {
	home := makeRepo(t, "dev")
	tests := []struct {
		name    string
		wantErr string
	}{
		{"dev", ""},
		{"staging", `environment "staging" has no root yet`},
		{"prod", `environment "prod" has no root yet`},
		{"foo", `unknown environment "foo": valid environments are dev, staging, prod`},
		{"", `unknown environment "": valid environments are dev, staging, prod`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Lookup(home, tt.name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Lookup(%q) error = %v, want containing %q", tt.name, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Lookup(%q): %v", tt.name, err)
			}
			if e.Root != filepath.Join(home, "terraform", "envs", tt.name) || e.Region != "us-east-1" || e.Name != tt.name {
				t.Errorf("Lookup(%q) = %+v", tt.name, e)
			}
		})
	}
}

func TestHome(t *testing.T) {
	home := makeRepo(t, "dev")
	deep := filepath.Join(home, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		envHome string
		cwd     string
		want    string
		wantErr string
	}{
		{name: "walk up from subdir", cwd: deep, want: home},
		{name: "at root", cwd: home, want: home},
		{name: "outside any repo", cwd: t.TempDir(), wantErr: "not inside an ec2stack repository"},
		{name: "EC2STACK_HOME wins", envHome: home, cwd: t.TempDir(), want: home},
		{name: "EC2STACK_HOME wrong", envHome: t.TempDir(), cwd: home, wantErr: "no terraform/envs directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(HomeVar, tt.envHome)
			got, err := Home(tt.cwd)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Home() error = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Home() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
