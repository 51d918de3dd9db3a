package diagram

import (
	"fmt"
	"html"
	"strings"
)

// Options control rendering. Actions highlights the plan action of each node (create, update, replace,
// delete); off, the picture shows what exists, as the committed diagrams of docs/diagrams do.
type Options struct {
	Actions bool
}

var colours = map[string]string{Create: "#d4f4d2", Update: "#fff1b8", Replace: "#ffd8a8", Delete: "#ffc9c9", NoOp: "#ffffff"}

var legendActions = []string{Create, Update, Replace, Delete}

func (m Model) tierNodes(tier string) (shared []Node, byAZ map[string][]Node) {
	byAZ = map[string][]Node{}
	for _, n := range m.Nodes {
		if n.Tier != tier {
			continue
		}
		if n.AZ == "" {
			shared = append(shared, n)
		} else {
			byAZ[n.AZ] = append(byAZ[n.AZ], n)
		}
	}
	return shared, byAZ
}

// Mermaid renders the model as a Mermaid flowchart: a subgraph per tier, one per availability zone inside it.
func (m Model) Mermaid(o Options) string {
	var b strings.Builder
	b.WriteString("flowchart TB\n  users([Users])\n")
	for _, t := range Tiers {
		shared, byAZ := m.tierNodes(t)
		if len(shared) == 0 && len(byAZ) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", t, tierTitles[t])
		for _, n := range shared {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.ID, n.Label)
		}
		for _, az := range m.AZs {
			if len(byAZ[az.Name]) == 0 {
				continue
			}
			fmt.Fprintf(&b, "    subgraph %s_%s[\"%s\"]\n", t, nodeID(az.Name), az.Name)
			for _, n := range byAZ[az.Name] {
				fmt.Fprintf(&b, "      %s[\"%s\"]\n", n.ID, n.Label)
			}
			b.WriteString("    end\n")
		}
		b.WriteString("  end\n")
	}
	for i := 1; i < len(m.Path); i++ {
		fmt.Fprintf(&b, "  %s --> %s\n", m.Path[i-1], m.Path[i])
	}
	if o.Actions {
		b.WriteString("  subgraph legend[\"Legend: plan action\"]\n")
		for _, a := range legendActions {
			fmt.Fprintf(&b, "    legend_%s[\"%s\"]\n", a, a)
		}
		b.WriteString("  end\n")
		for _, a := range legendActions {
			fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:#333\n", a, colours[a])
		}
		for _, a := range legendActions {
			ids := []string{"legend_" + a}
			for _, n := range m.Nodes {
				if n.Action == a {
					ids = append(ids, n.ID)
				}
			}
			fmt.Fprintf(&b, "  class %s %s\n", strings.Join(ids, ","), a)
		}
	}
	return b.String()
}

const (
	boxW, boxH = 200, 40
	colW       = 230
	margin     = 20
	labelW     = 190
)

// SVG renders the model as a self-contained SVG: rows are tiers, columns availability zones, arrows the
// traffic path.
func (m Model) SVG(o Options) string {
	cols := len(m.AZs)
	if cols == 0 {
		cols = 1
	}
	type pos struct{ x, y int }
	at := map[string]pos{}
	var body strings.Builder
	box := func(n Node, x, y int) {
		fill := colours[NoOp]
		if o.Actions {
			fill = colours[n.Action]
		}
		fmt.Fprintf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"%s\" stroke=\"#333\"/>\n", x, y, boxW, boxH, fill)
		fmt.Fprintf(&body, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n", x+boxW/2, y+boxH/2+4, html.EscapeString(n.Label))
		at[n.ID] = pos{x + boxW/2, y + boxH/2}
	}
	width := labelW + cols*colW + margin
	y := margin
	fmt.Fprintf(&body, "<ellipse cx=\"%d\" cy=\"%d\" rx=\"60\" ry=\"18\" fill=\"#e7f0ff\" stroke=\"#333\"/>\n<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">Users</text>\n", labelW+colW/2, y+18, labelW+colW/2, y+22)
	at["users"] = pos{labelW + colW/2, y + 18}
	y += 60
	for i, az := range m.AZs {
		fmt.Fprintf(&body, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">%s (%d subnets)</text>\n", labelW+i*colW+boxW/2, y, html.EscapeString(az.Name), az.Subnets)
	}
	y += 15
	for _, t := range Tiers {
		shared, byAZ := m.tierNodes(t)
		if len(shared) == 0 && len(byAZ) == 0 {
			continue
		}
		top := y
		rowY := y + 10
		for i, n := range shared {
			box(n, labelW+(i%cols)*colW, rowY+(i/cols)*(boxH+10))
		}
		if len(shared) > 0 {
			rowY += ((len(shared)+cols-1)/cols)*(boxH+10) + 10
		}
		deepest := 0
		for i, az := range m.AZs {
			for j, n := range byAZ[az.Name] {
				box(n, labelW+i*colW, rowY+j*(boxH+10))
			}
			if len(byAZ[az.Name]) > deepest {
				deepest = len(byAZ[az.Name])
			}
		}
		y = rowY + deepest*(boxH+10) + 10
		fmt.Fprintf(&body, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4\"/>\n", margin/2, top, width-margin, y-top)
		fmt.Fprintf(&body, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s</text>\n", margin, top+20, html.EscapeString(tierTitles[t]))
		y += 15
	}
	for i := 1; i < len(m.Path); i++ {
		a, b := at[m.Path[i-1]], at[m.Path[i]]
		fmt.Fprintf(&body, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1c5fd0\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>\n", a.x, a.y, b.x, b.y)
	}
	if o.Actions {
		fmt.Fprintf(&body, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">Legend: plan action</text>\n", margin, y+15)
		for i, a := range legendActions {
			fmt.Fprintf(&body, "<rect x=\"%d\" y=\"%d\" width=\"90\" height=\"24\" fill=\"%s\" stroke=\"#333\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n", labelW+i*100, y+2, colours[a], labelW+i*100+45, y+18, a)
		}
		y += 40
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n", width, y, width, y)
	b.WriteString("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1c5fd0\"/></marker></defs>\n")
	fmt.Fprintf(&b, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, y)
	b.WriteString(body.String())
	b.WriteString("</svg>\n")
	return b.String()
}
