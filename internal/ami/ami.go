// Package ami reads and rewrites an environment's pinned image names (`ami_name = "..."` in
// terraform/envs/ENV/main.tf, with blue/green also `green_ami_name = "..."`) and orders image names of one family
// by version, so a newer image can be found.
package ami

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Family is an operating-system family: the official owner and the shape of its image names.
type Family struct {
	Name    string
	Owner   string
	Pattern string         // DescribeImages name filter
	re      *regexp.Regexp // the exact shape; the first group is the version
}

// Families are the supported families, as in the compute module.
var Families = map[string]Family{
	"al2023": {Name: "al2023", Owner: "amazon", Pattern: "al2023-ami-2023.*-kernel-6.1-x86_64",
		re: regexp.MustCompile(`^al2023-ami-(2023\.[0-9]+\.[0-9]+\.[0-9]+)-kernel-6\.1-x86_64$`)},
	"ubuntu-22.04": {Name: "ubuntu-22.04", Owner: "099720109477", Pattern: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*",
		re: regexp.MustCompile(`^ubuntu/images/hvm-ssd/ubuntu-jammy-22\.04-amd64-server-([0-9]{8}(?:\.[0-9]+)?)$`)},
}

// FamilyOf returns the family whose name shape name has.
func FamilyOf(name string) (Family, error) {
	for _, f := range Families {
		if f.re.MatchString(name) {
			return f, nil
		}
	}
	return Family{}, fmt.Errorf("image name %q matches no supported family (al2023: al2023-ami-2023.<version>-kernel-6.1-x86_64; ubuntu-22.04: ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-<yyyymmdd>)", name)
}

// version returns the numeric parts of name's version, or nil when name is not of family f.
func (f Family) version(name string) []int {
	m := f.re.FindStringSubmatch(name)
	if m == nil {
		return nil
	}
	var v []int
	for _, p := range strings.Split(m[1], ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}

// Compare orders two names of family f by version: -1, 0 or 1. A name not of the family sorts first.
func (f Family) Compare(a, b string) int {
	va, vb := f.version(a), f.version(b)
	for i := 0; i < len(va) || i < len(vb); i++ {
		x, y := -1, -1
		if i < len(va) {
			x = va[i]
		}
		if i < len(vb) {
			y = vb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Newest returns the newest name of family f among names ("" when none is of the family).
func (f Family) Newest(names []string) string {
	best := ""
	for _, n := range names {
		if f.version(n) == nil {
			continue
		}
		if best == "" || f.Compare(n, best) > 0 {
			best = n
		}
	}
	return best
}

// pinLine matches the pin argument key (ami_name, or blue/green's green_ami_name) at the start of a line or of an
// object's element, and its quoted value.
func pinLine(key string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)((?:^|[{,])\s*` + regexp.QuoteMeta(key) + `\s*=\s*")([^"\n]*)(")`)
}

// Pin returns the image name pinned as key (ami_name, green_ami_name) in an environment root's main.tf; exactly
// one pin must be there.
func Pin(mainTF []byte, key string) (string, error) {
	m := pinLine(key).FindAllSubmatch(mainTF, -1)
	if len(m) != 1 {
		return "", fmt.Errorf("main.tf must set %s exactly once (%s = \"<image name>\"); found %d", key, key, len(m))
	}
	return string(m[0][2]), nil
}

// Rewrite returns mainTF with the pin key set to name, only that value changed, and whether anything changed.
func Rewrite(mainTF []byte, key, name string) ([]byte, bool, error) {
	old, err := Pin(mainTF, key)
	if err != nil {
		return nil, false, err
	}
	if strings.ContainsAny(name, "\"\n\\$") {
		return nil, false, fmt.Errorf("image name %q cannot be written into main.tf: quotes, backslashes, $ and newlines are not image name characters", name)
	}
	if old == name {
		return mainTF, false, nil
	}
	out := pinLine(key).ReplaceAll(mainTF, []byte("${1}"+name+"${3}"))
	return out, true, nil
}
