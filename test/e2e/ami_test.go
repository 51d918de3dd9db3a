package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/ami"
	"github.com/ec2stack/ec2stack/internal/emulator"
)

// TestAMI runs `ec2stack ami dev` and `ami --update dev` against a moto that offers the pinned Amazon Linux 2023
// image and a newer one, on a copy of dev's root: the pin is found with its id, the newer image is offered, the
// update rewrites only the pin line, and afterwards the pin is the newest. A pin no longer offered fails with
// one line. No terraform runs (moto only).
func TestAMI(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs moto; run without -short")
	}
	t.Parallel()
	devMain, err := os.ReadFile(filepath.Join(root(), "terraform", "envs", "dev", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := ami.Pin(devMain, "ami_name")
	if err != nil {
		t.Fatal(err)
	}
	const newer = "al2023-ami-2023.12.20260601.0-kernel-6.1-x86_64"
	moto := motoWithImages(t, pinned, newer, "al2023-ami-minimal-2023.12.20260601.0-kernel-6.1-x86_64")

	home := t.TempDir()
	rootDir := filepath.Join(home, "terraform", "envs", "dev")
	if err := os.MkdirAll(rootDir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(rootDir, "main.tf")
	if err := os.WriteFile(file, devMain, 0o644); err != nil {
		t.Fatal(err)
	}
	contract, err := os.ReadFile(filepath.Join(root(), "policy", "contract.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, "policy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "policy", "contract.yaml"), contract, 0o644); err != nil {
		t.Fatal(err)
	}
	sh := newShell(t, "EC2STACK_HOME="+home)
	show := func() map[string]any {
		return decode(t, sh.ec2stack(t, "ami", "dev", "--endpoint", moto.Endpoint, "--json"))
	}
	r := show()
	p, n := r["pinned"].(map[string]any), r["newest"].(map[string]any)
	if p["name"] != pinned || p["id"] != "ami-0a1b2c3d4e5f60001" || n["name"] != newer || r["update_available"] != true {
		t.Fatalf("ami dev: pinned %v, newest %v, update %v; want %s (ami-0a1b2c3d4e5f60001), %s, true", p, n, r["update_available"], pinned, newer)
	}

	out := sh.ec2stack(t, "ami", "--update", "dev", "--endpoint", moto.Endpoint)
	if !strings.Contains(out, "updated "+file) {
		t.Fatalf("ami --update dev printed %q, want it to name %s", out, file)
	}
	after, _ := os.ReadFile(file)
	was, now := strings.Split(string(devMain), "\n"), strings.Split(string(after), "\n")
	if len(was) != len(now) {
		t.Fatalf("ami --update changed the number of lines of main.tf: %d -> %d", len(was), len(now))
	}
	changed := 0
	for i := range was {
		if was[i] != now[i] {
			changed++
			if want := strings.Replace(was[i], pinned, newer, 1); now[i] != want {
				t.Fatalf("ami --update wrote %q, want %q", now[i], want)
			}
		}
	}
	if changed != 1 {
		t.Fatalf("ami --update changed %d lines of main.tf, want the pin only", changed)
	}
	if r := show(); r["update_available"] != false || r["pinned"].(map[string]any)["name"] != newer {
		t.Fatalf("after the update: %v, want the pin %s to be the newest", r, newer)
	}

	gone := strings.Replace(string(after), newer, "al2023-ami-2023.1.20200101.0-kernel-6.1-x86_64", 1)
	if err := os.WriteFile(file, []byte(gone), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := sh.run(t, "ami", "dev", "--endpoint", moto.Endpoint)
	if code != 1 || !strings.Contains(stderr, "is not offered by amazon") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("ami dev with a pin moto does not offer: exit %d, %q; want exit 1 and one line naming it", code, stderr)
	}
}

// motoWithImages starts a moto of the test's own that offers exactly the Amazon Linux images named, with the ids
// ami-0a1b2c3d4e5f60001, ...02, ... in that order.
func motoWithImages(t *testing.T, names ...string) *emulator.Server {
	t.Helper()
	dir := t.TempDir()
	images := []map[string]any{}
	for i, name := range names {
		images = append(images, map[string]any{
			"ami_id": fmt.Sprintf("ami-0a1b2c3d4e5f6%04d", i+1), "name": name,
			"owner_id": "137112412989", "architecture": "x86_64", "virtualization_type": "hvm", "root_device_type": "ebs",
			"root_device_name": "/dev/xvda", "image_type": "machine", "hypervisor": "xen", "public": true,
			"state": "available", "description": "Amazon Linux 2023", "sriov": "simple", "platform": nil,
		})
	}
	amis := filepath.Join(dir, "amis.json")
	raw, _ := json.Marshal(images)
	if err := os.WriteFile(amis, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return startMotoWith(t, amis)
}
