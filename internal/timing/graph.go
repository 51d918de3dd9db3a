package timing

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Graph is the configuration-level dependency graph of a root, as `terraform graph` prints it (Terraform 1.7+
// default mode): one node per resource or data source block (module.x.aws_y.z, instance keys and module indexes
// left out), and an edge from each node to the nodes it depends on, module variables, outputs and locals already
// resolved into resource-to-resource edges.
type Graph struct {
	deps map[string][]string // node -> the nodes it depends on, sorted
}

var (
	dotNode = regexp.MustCompile(`^\s*"((?:[^"\\]|\\.)*)"\s*\[`)
	dotEdge = regexp.MustCompile(`^\s*"((?:[^"\\]|\\.)*)"\s*->\s*"((?:[^"\\]|\\.)*)"`)
)

// ParseDOT reads the DOT output of `terraform graph`.
func ParseDOT(dot []byte) (Graph, error) {
	text := string(dot)
	if !strings.Contains(text, "digraph") {
		return Graph{}, errors.New("terraform graph: not a DOT digraph")
	}
	g := Graph{deps: map[string][]string{}}
	for _, line := range strings.Split(text, "\n") {
		if m := dotEdge.FindStringSubmatch(line); m != nil {
			from, to := unquote(m[1]), unquote(m[2])
			g.add(to)
			g.deps[from] = append(g.deps[from], to)
			continue
		}
		if m := dotNode.FindStringSubmatch(line); m != nil {
			g.add(unquote(m[1]))
		}
	}
	if len(g.deps) == 0 {
		return Graph{}, errors.New("terraform graph: no resource nodes in the DOT output")
	}
	for n, ds := range g.deps {
		g.deps[n] = uniqueSorted(ds)
	}
	return g, nil
}

func (g Graph) add(n string) {
	if _, ok := g.deps[n]; !ok {
		g.deps[n] = nil
	}
}

func unquote(s string) string { return strings.ReplaceAll(s, `\"`, `"`) }

// Nodes lists the graph's nodes, sorted.
func (g Graph) Nodes() []string {
	out := make([]string, 0, len(g.deps))
	for n := range g.deps {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Has reports whether node is in the graph.
func (g Graph) Has(node string) bool {
	_, ok := g.deps[node]
	return ok
}

// DependsOn lists the nodes node depends on.
func (g Graph) DependsOn(node string) []string { return g.deps[node] }

// Node is the configuration node of a resource instance address: module.stack.module.database[0].aws_db_instance.this
// and aws_route53_record.alias["A"] become module.stack.module.database.aws_db_instance.this and aws_route53_record.alias.
func Node(address string) string {
	var b strings.Builder
	depth, quoted, escaped := 0, false, false
	for _, c := range address {
		switch {
		case depth > 0 && quoted:
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				quoted = false
			}
		case depth > 0 && c == '"':
			quoted = true
		case c == '[':
			depth++
		case depth > 0 && c == ']':
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// ResourceType is the resource type named in an address (aws_subnet in module.network.aws_subnet.this["a"]).
func ResourceType(address string) string {
	parts := strings.Split(Node(address), ".")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
}

func uniqueSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// reverse is the graph with every edge turned around: for each node, the nodes that depend on it.
func (g Graph) reverse() map[string][]string {
	r := map[string][]string{}
	for n, ds := range g.deps {
		for _, d := range ds {
			r[d] = append(r[d], n)
		}
	}
	for n := range r {
		sort.Strings(r[n])
	}
	return r
}

func (g Graph) String() string { return fmt.Sprintf("graph of %d nodes", len(g.deps)) }
