// Package diagram draws an environment from its plan (`terraform show -json` of a saved plan): the tiers, the
// availability zones and their subnets, the main resources with the action the plan takes on each, and the
// traffic path. Build is a pure function of the plan; Mermaid and SVG render the model deterministically.
package diagram

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Actions a node can carry.
const (
	Create  = "create"
	Update  = "update"
	Replace = "replace"
	Delete  = "delete"
	NoOp    = "no-op"
)

// Tier names, top to bottom.
const (
	Edge    = "edge"
	Public  = "public"
	App     = "app"
	Data    = "data"
	Support = "support"
)

// Tiers are the rows of the picture, in order.
var Tiers = []string{Edge, Public, App, Data, Support}

var tierTitles = map[string]string{
	Edge: "Edge", Public: "Public subnets", App: "Private app subnets", Data: "Data subnets", Support: "Backup, DR and monitoring",
}

// subnetTier maps a subnet's Tier tag to the row it is drawn in.
var subnetTier = map[string]string{"public": Public, "private": App, "database": Data}

// kinds are the resource types drawn, with their tier and label.
var kinds = map[string]struct{ tier, label string }{
	"aws_route53_zone":            {Edge, "Route 53 zone"},
	"aws_cloudfront_distribution": {Edge, "CloudFront"},
	"aws_wafv2_web_acl":           {Edge, "WAF web ACL"},
	"aws_lb":                      {Public, "Application Load Balancer"},
	"aws_nat_gateway":             {Public, "NAT gateway"},
	"aws_autoscaling_group":       {App, "Auto Scaling group"},
	"aws_launch_template":         {App, "Launch template"},
	"aws_db_instance":             {Data, "RDS"},
	"aws_backup_vault":            {Support, "Backup vault"},
	"aws_db_instance_automated_backups_replication": {Support, "RDS backups replicated to the DR region"},
	"aws_sns_topic":            {Support, "SNS alarm topic"},
	"aws_cloudwatch_dashboard": {Support, "CloudWatch dashboard"},
}

// Node is one drawn resource (a subnet, or one of the main resources).
type Node struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Type    string `json:"type"`
	Address string `json:"address"`
	Tier    string `json:"tier"`
	AZ      string `json:"az,omitempty"`
	CIDR    string `json:"cidr,omitempty"`
	Action  string `json:"action"`
}

// AZ is one availability zone with its subnet count.
type AZ struct {
	Name    string `json:"name"`
	Subnets int    `json:"subnets"`
}

// Model is the environment as drawn.
type Model struct {
	AZs   []AZ     `json:"azs"`
	Nodes []Node   `json:"nodes"` // sorted by tier, AZ, label, address
	Path  []string `json:"path"`  // node IDs from the users to the database ("users" first)
}

type change struct {
	Address string          `json:"address"`
	Mode    string          `json:"mode"`
	Type    string          `json:"type"`
	Index   json.RawMessage `json:"index"`
	Change  struct {
		Actions []string `json:"actions"`
		After   struct {
			AZ      string            `json:"availability_zone"`
			CIDR    string            `json:"cidr_block"`
			MultiAZ bool              `json:"multi_az"`
			Tags    map[string]string `json:"tags"`
		} `json:"after"`
		Before struct {
			AZ      string            `json:"availability_zone"`
			CIDR    string            `json:"cidr_block"`
			MultiAZ bool              `json:"multi_az"`
			Tags    map[string]string `json:"tags"`
		} `json:"before"`
	} `json:"change"`
}

// Action names the plan's actions on one resource.
func Action(actions []string) string {
	switch strings.Join(actions, ",") {
	case "create":
		return Create
	case "update":
		return Update
	case "delete":
		return Delete
	case "delete,create", "create,delete":
		return Replace
	}
	return NoOp
}

var nonID = regexp.MustCompile(`[^A-Za-z0-9]+`)

func nodeID(address string) string {
	return strings.Trim(nonID.ReplaceAllString(strings.TrimPrefix(address, "module.stack."), "_"), "_")
}

// Build derives the model from a plan's JSON.
func Build(planJSON []byte) (Model, error) {
	var p struct {
		ResourceChanges []change `json:"resource_changes"`
	}
	if err := json.Unmarshal(planJSON, &p); err != nil {
		return Model{}, fmt.Errorf("diagram: the plan is not `terraform show -json` output: %w", err)
	}
	var m Model
	azs := map[string]int{}
	for _, rc := range p.ResourceChanges {
		if rc.Mode != "" && rc.Mode != "managed" {
			continue
		}
		after := rc.Change.After
		if Action(rc.Change.Actions) == Delete {
			after = rc.Change.Before
		}
		n := Node{ID: nodeID(rc.Address), Type: rc.Type, Address: rc.Address, Action: Action(rc.Change.Actions)}
		if rc.Type == "aws_subnet" {
			n.Tier = subnetTier[after.Tags["Tier"]]
			if n.Tier == "" {
				n.Tier = App
			}
			n.AZ, n.CIDR = after.AZ, after.CIDR
			n.Label = "subnet " + after.CIDR
			if n.AZ != "" {
				azs[n.AZ]++
			}
			m.Nodes = append(m.Nodes, n)
			continue
		}
		k, ok := kinds[rc.Type]
		if !ok {
			continue
		}
		n.Tier, n.Label = k.tier, k.label
		if rc.Type == "aws_nat_gateway" {
			var key string
			if json.Unmarshal(rc.Index, &key) == nil && strings.Contains(key, "-") {
				n.AZ = key
			}
		}
		if rc.Type == "aws_db_instance" {
			if after.MultiAZ {
				n.Label = "RDS primary + standby (Multi-AZ)"
			} else {
				n.Label = "RDS single-AZ"
			}
		}
		if rc.Type == "aws_wafv2_web_acl" || rc.Type == "aws_backup_vault" {
			if name := after.Tags["Name"]; name != "" {
				n.Label += " " + name
			}
		}
		m.Nodes = append(m.Nodes, n)
	}
	for name, count := range azs {
		m.AZs = append(m.AZs, AZ{Name: name, Subnets: count})
	}
	sort.Slice(m.AZs, func(i, j int) bool { return m.AZs[i].Name < m.AZs[j].Name })
	tierRank := map[string]int{}
	for i, t := range Tiers {
		tierRank[t] = i
	}
	sort.Slice(m.Nodes, func(i, j int) bool {
		a, b := m.Nodes[i], m.Nodes[j]
		if a.Tier != b.Tier {
			return tierRank[a.Tier] < tierRank[b.Tier]
		}
		if a.AZ != b.AZ {
			return a.AZ < b.AZ
		}
		if a.Label != b.Label {
			return a.Label < b.Label
		}
		return a.Address < b.Address
	})
	m.Path = []string{"users"}
	for _, t := range []string{"aws_route53_zone", "aws_cloudfront_distribution", "aws_lb", "aws_autoscaling_group", "aws_db_instance"} {
		for _, n := range m.Nodes {
			if n.Type == t {
				m.Path = append(m.Path, n.ID)
				break
			}
		}
	}
	return m, nil
}

// Node returns the node with id, if any.
func (m Model) Node(id string) (Node, bool) {
	for _, n := range m.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return Node{}, false
}
