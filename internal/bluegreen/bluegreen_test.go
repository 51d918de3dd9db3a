package bluegreen

import (
	"strings"
	"testing"
)

const rolling = `module "stack" {
  ami_name   = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
  blue_green = null
}
`

const blueLive = `module "stack" {
  ami_name   = "al2023-ami-2023.11.20260427.1-kernel-6.1-x86_64"
  blue_green = { live = "blue", green_ami_name = "al2023-ami-2023.12.20260601.0-kernel-6.1-x86_64" }
  rollout    = { live = "not this one" }
}
`

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      Setting
		idle      string
	}{
		{"rolling", rolling, Setting{}, ""},
		{"blue live", blueLive, Setting{Enabled: true, Live: "blue"}, "green"},
		{"green live, multi-line", "blue_green = {\n    live           = \"green\"\n    green_ami_name = \"x\"\n  }\n", Setting{Enabled: true, Live: "green"}, "blue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read([]byte(tc.src))
			if err != nil || got != tc.want || got.Idle() != tc.idle {
				t.Fatalf("Read = %+v (idle %q), %v; want %+v (idle %q)", got, got.Idle(), err, tc.want, tc.idle)
			}
		})
	}
}

func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"missing", `ami_name = "x"`, "exactly once"},
		{"twice", rolling + rolling, "found 2"},
		{"no live", `blue_green = { green_ami_name = "x" }`, "must set live"},
		{"purple", `blue_green = { live = "purple", green_ami_name = "x" }`, `got "purple"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Read([]byte(tc.src)); err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Read(%q) = %v, want one line containing %q", tc.src, err, tc.want)
			}
		})
	}
}

func TestSwitch(t *testing.T) {
	out, was, changed, err := Switch([]byte(blueLive), "")
	if err != nil || !changed || was.Live != "blue" {
		t.Fatalf("Switch = %v, %+v, %v", changed, was, err)
	}
	want := strings.Replace(blueLive, `live = "blue"`, `live = "green"`, 1)
	if string(out) != want {
		t.Fatalf("Switch wrote\n%s\nwant\n%s", out, want)
	}
	back, was, changed, err := Switch(out, "blue")
	if err != nil || !changed || was.Live != "green" || string(back) != blueLive {
		t.Fatalf("switching back = %v, %+v, %v:\n%s", changed, was, err, back)
	}
	same, _, changed, err := Switch([]byte(blueLive), "blue")
	if err != nil || changed || string(same) != blueLive {
		t.Fatalf("switching to the live color changed %v, %v", changed, err)
	}
	if _, _, _, err := Switch([]byte(rolling), ""); err == nil || !strings.Contains(err.Error(), "blue/green is off") {
		t.Fatalf("switching a rolling environment: %v", err)
	}
	if _, _, _, err := Switch([]byte(blueLive), "red"); err == nil || !strings.Contains(err.Error(), `--to "red"`) {
		t.Fatalf("switching to red: %v", err)
	}
}

func TestImageKey(t *testing.T) {
	if ImageKey("blue") != "ami_name" || ImageKey("green") != "green_ami_name" {
		t.Fatal("blue is pinned as ami_name, green as green_ami_name")
	}
}
