// Package bluegreen reads and rewrites an environment's blue/green setting, the `blue_green = ...` value of
// terraform/envs/ENV/main.tf: null (rolling deployments) or { live = "blue"|"green", green_ami_name = "...", ... }.
// Blue runs the image pinned as ami_name, green the one pinned as green_ami_name; the live color takes the traffic.
package bluegreen

import (
	"fmt"
	"regexp"
)

// Setting is an environment's blue/green setting.
type Setting struct {
	Enabled bool   `json:"enabled"`
	Live    string `json:"live,omitempty"`
}

// Idle is the color that does not take the traffic ("" when blue/green is off).
func (s Setting) Idle() string {
	switch {
	case !s.Enabled:
		return ""
	case s.Live == "blue":
		return "green"
	}
	return "blue"
}

// ImageKey is the main.tf argument that pins color's image.
func ImageKey(color string) string {
	if color == "green" {
		return "green_ami_name"
	}
	return "ami_name"
}

var (
	setting  = regexp.MustCompile(`(?ms)^\s*blue_green\s*=\s*(null\b|\{.*?\})`)
	liveLine = regexp.MustCompile(`(\blive\s*=\s*")([^"\n]*)(")`)
)

// find returns the blue/green setting's value in mainTF (its bounds) and the setting it holds.
func find(mainTF []byte) (start, end int, s Setting, err error) {
	m := setting.FindAllSubmatchIndex(mainTF, -1)
	if len(m) != 1 {
		return 0, 0, s, fmt.Errorf("main.tf must set blue_green exactly once (blue_green = null, or { live = \"blue\", green_ami_name = \"...\" }); found %d", len(m))
	}
	start, end = m[0][2], m[0][3]
	value := mainTF[start:end]
	if string(value) == "null" {
		return start, end, s, nil
	}
	l := liveLine.FindAllSubmatch(value, -1)
	if len(l) != 1 {
		return 0, 0, s, fmt.Errorf("blue_green in main.tf must set live exactly once (live = \"blue\" or \"green\"); found %d", len(l))
	}
	s = Setting{Enabled: true, Live: string(l[0][2])}
	if s.Live != "blue" && s.Live != "green" {
		return 0, 0, s, fmt.Errorf("blue_green.live in main.tf must be \"blue\" or \"green\"; got %q", s.Live)
	}
	return start, end, s, nil
}

// Read returns the blue/green setting of an environment root's main.tf.
func Read(mainTF []byte) (Setting, error) {
	_, _, s, err := find(mainTF)
	return s, err
}

// Switch returns mainTF with live set to color ("" = the idle color), only that value changed, the setting before,
// and whether anything changed.
func Switch(mainTF []byte, color string) ([]byte, Setting, bool, error) {
	start, end, s, err := find(mainTF)
	if err != nil {
		return nil, s, false, err
	}
	if !s.Enabled {
		return nil, s, false, fmt.Errorf("blue/green is off (blue_green = null): there is no second group to switch to; set blue_green = { live = \"blue\", green_ami_name = \"<image name>\" } first")
	}
	if color == "" {
		color = s.Idle()
	}
	if color != "blue" && color != "green" {
		return nil, s, false, fmt.Errorf("--to %q: the colors are blue and green", color)
	}
	if color == s.Live {
		return mainTF, s, false, nil
	}
	value := liveLine.ReplaceAll(mainTF[start:end], []byte("${1}"+color+"${3}"))
	out := append(append(append([]byte{}, mainTF[:start]...), value...), mainTF[end:]...)
	return out, s, true, nil
}
