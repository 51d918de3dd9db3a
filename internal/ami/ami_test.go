package ami

import (
	"bytes"
	"strings"
	"testing"
)

const pinned = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"

const green = "al2023-ami-2023.10.20260301.0-kernel-6.1-x86_64"

var mainTF = []byte(`module "stack" {
  # Compute
  ami_name                   = "` + pinned + `"
  instance_type              = "t3.small"
  blue_green = { live = "blue", green_ami_name = "` + green + `" }
}
`)

func TestPin(t *testing.T) {
	got, err := Pin(mainTF, "ami_name")
	if err != nil || got != pinned {
		t.Fatalf("Pin = %q, %v; want %q", got, err, pinned)
	}
	if _, err := Pin([]byte("instance_type = \"t3.small\"\n"), "ami_name"); err == nil || !strings.Contains(err.Error(), "found 0") {
		t.Fatalf("no pin: err = %v, want found 0", err)
	}
	if _, err := Pin(append(append([]byte{}, mainTF...), mainTF...), "ami_name"); err == nil || !strings.Contains(err.Error(), "found 2") {
		t.Fatalf("two pins: err = %v, want found 2", err)
	}
	if got, err := Pin(mainTF, "green_ami_name"); err != nil || got != green {
		t.Fatalf("Pin(green_ami_name) = %q, %v; want %q", got, err, green)
	}
}

// With blue/green, green's pin is rewritten inside its object and blue's stays.
func TestRewriteGreenPin(t *testing.T) {
	out, changed, err := Rewrite(mainTF, "green_ami_name", pinned)
	want := strings.Replace(string(mainTF), green, pinned, 1)
	if err != nil || !changed || string(out) != want {
		t.Fatalf("Rewrite(green_ami_name) = %v, %v:\n%s\nwant\n%s", changed, err, out, want)
	}
}

func TestRewriteChangesOnlyThePinLine(t *testing.T) {
	newer := "al2023-ami-2023.12.20260601.0-kernel-6.1-x86_64"
	out, changed, err := Rewrite(mainTF, "ami_name", newer)
	if err != nil || !changed {
		t.Fatalf("Rewrite: changed=%v err=%v", changed, err)
	}
	a, b := bytes.Split(mainTF, []byte("\n")), bytes.Split(out, []byte("\n"))
	if len(a) != len(b) {
		t.Fatalf("line count %d -> %d", len(a), len(b))
	}
	diff := 0
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			diff++
			if want := `  ami_name                   = "` + newer + `"`; string(b[i]) != want {
				t.Fatalf("line %d = %q, want %q", i, b[i], want)
			}
		}
	}
	if diff != 1 {
		t.Fatalf("%d lines changed, want 1", diff)
	}
	if _, changed, _ := Rewrite(mainTF, "ami_name", pinned); changed {
		t.Fatal("rewriting to the current pin must be a no-op")
	}
	if _, _, err := Rewrite(mainTF, "ami_name", `x" injected = "y`); err == nil {
		t.Fatal("a name with a quote must be refused")
	}
}

func TestCompareAndNewest(t *testing.T) {
	al := Families["al2023"]
	cases := []struct {
		a, b string
		want int
	}{
		{pinned, "al2023-ami-2023.11.20260427.2-kernel-6.1-x86_64", -1},
		{"al2023-ami-2023.9.20250101.0-kernel-6.1-x86_64", "al2023-ami-2023.10.20240101.0-kernel-6.1-x86_64", -1}, // numeric, not lexical
		{pinned, pinned, 0},
		{"al2023-ami-2023.12.20260601.0-kernel-6.1-x86_64", pinned, 1},
	}
	for _, c := range cases {
		if got := al.Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	names := []string{pinned, "al2023-ami-2023.9.20250101.0-kernel-6.1-x86_64", "al2023-ami-minimal-2023.99.20990101.0-kernel-6.1-x86_64", "al2023-ami-2023.10.20240101.0-kernel-6.1-x86_64"}
	if got := al.Newest(names); got != pinned {
		t.Errorf("Newest = %q, want %q (minimal images are not of the family)", got, pinned)
	}
	ub := Families["ubuntu-22.04"]
	if got := ub.Newest([]string{"ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240301", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240301.1"}); !strings.HasSuffix(got, ".1") {
		t.Errorf("ubuntu Newest = %q", got)
	}
	if f, err := FamilyOf(pinned); err != nil || f.Name != "al2023" {
		t.Errorf("FamilyOf = %v, %v", f.Name, err)
	}
	if _, err := FamilyOf("amzn2-ami-hvm-2.0"); err == nil {
		t.Error("FamilyOf must refuse an unknown shape")
	}
}
