// Package contract loads the environment contract (policy/contract.yaml): per environment, every requirement
// the stack promises (sizes, Spot, SSH, NAT, database, backups, retention, edge, alerting, ...). The policy
// rules read it as data.contract, verify derives its expectations from it, and the README's environment table
// is generated from it, so a per-environment rule is written once.
package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is where the contract lives, relative to the repository root.
const File = "policy/contract.yaml"

// Contract is the whole file.
type Contract struct {
	Version      int                    `yaml:"version" json:"version"`
	Environments map[string]Environment `yaml:"environments" json:"environments"`

	path  string
	order []string // environment names in file order
}

// Environment holds one environment's requirements. Field docs say whether a value is exact or a minimum.
type Environment struct {
	Name               string     `yaml:"-" json:"name"`
	Network            Network    `yaml:"network" json:"network"`
	Compute            Compute    `yaml:"compute" json:"compute"`
	Access             Access     `yaml:"access" json:"access"`
	Database           Database   `yaml:"database" json:"database"`
	DeletionProtection bool       `yaml:"deletion_protection" json:"deletion_protection"` // true: database and load balancer protected
	Backup             Backup     `yaml:"backup" json:"backup"`
	Logs               Logs       `yaml:"logs" json:"logs"`
	Keys               Keys       `yaml:"keys" json:"keys"`
	Edge               bool       `yaml:"edge" json:"edge"` // exact: CloudFront, WAF, DNS zone and certificates
	Alerting           string     `yaml:"alerting" json:"alerting"`
	Budget             Budget     `yaml:"budget" json:"budget"`
	Deployment         Deployment `yaml:"deployment" json:"deployment"`
	Recovery           Recovery   `yaml:"recovery" json:"recovery"`
}

// Network requirements (all exact).
type Network struct {
	VPCCIDR           string `yaml:"vpc_cidr" json:"vpc_cidr"`
	AvailabilityZones int    `yaml:"availability_zones" json:"availability_zones"`
	NATGateways       string `yaml:"nat_gateways" json:"nat_gateways"` // single | per_az
}

// Compute requirements.
type Compute struct {
	InstanceType      string    `yaml:"instance_type" json:"instance_type"` // exact
	Instances         Instances `yaml:"instances" json:"instances"`         // exact
	Spot              string    `yaml:"spot" json:"spot"`                   // allowed | forbidden
	OffHoursScaleDown string    `yaml:"off_hours_scale_down" json:"off_hours_scale_down"`
	Monitoring        string    `yaml:"monitoring" json:"monitoring"` // basic | detailed: the least level
}

// Instances are the Auto Scaling group's sizes (exact; desired is what is planned, live it moves with scaling).
type Instances struct {
	Min     int `yaml:"min" json:"min"`
	Max     int `yaml:"max" json:"max"`
	Desired int `yaml:"desired" json:"desired"`
}

// Access requirements.
type Access struct {
	SSH string `yaml:"ssh" json:"ssh"` // restricted | none
}

// Database requirements.
type Database struct {
	InstanceClass          string `yaml:"instance_class" json:"instance_class"` // exact
	MultiAZ                bool   `yaml:"multi_az" json:"multi_az"`             // exact
	MinBackupRetentionDays int    `yaml:"min_backup_retention_days" json:"min_backup_retention_days"`
}

// Backup requirements (AWS Backup and EBS snapshots).
type Backup struct {
	Enabled          bool `yaml:"enabled" json:"enabled"`                       // exact
	MinRetentionDays int  `yaml:"min_retention_days" json:"min_retention_days"` // with Enabled
	CrossRegionCopy  bool `yaml:"cross_region_copy" json:"cross_region_copy"`   // exact, with Enabled
}

// Logs requirements.
type Logs struct {
	MinRetentionDays int `yaml:"min_retention_days" json:"min_retention_days"`
}

// Keys requirements.
type Keys struct {
	MinDeletionWindowDays int `yaml:"min_deletion_window_days" json:"min_deletion_window_days"`
}

// Budget is the environment's monthly cost budget: `ec2stack cost` exits 5 above it.
type Budget struct {
	MonthlyUSD *float64 `yaml:"monthly_usd" json:"monthly_usd"` // nil: no budget
}

// Deployment is how a release reaches the environment.
type Deployment struct {
	// Approval: required (apply needs `ec2stack approve` of the exact plan) | none.
	Approval string `yaml:"approval" json:"approval"`
	// PromoteFrom is the environment whose applied, verified, drift-free release `ec2stack promote` brings here
	// ("": none, releases are applied directly).
	PromoteFrom string `yaml:"promote_from" json:"promote_from"`
}

// NeedsApproval reports whether apply needs an approval of the exact plan.
func (d Deployment) NeedsApproval() bool { return d.Approval == ApprovalRequired }

// Recovery holds the recovery objectives `ec2stack dr` holds the environment's design to.
type Recovery struct {
	RTOHours *float64 `yaml:"rto_hours" json:"rto_hours"` // most hours until the service is back (nil: none)
	RPOHours *float64 `yaml:"rpo_hours" json:"rpo_hours"` // most hours of data a disruption may lose (nil: none)
	// StatelessInstances: the instances hold no data of record (the application keeps it in the database), so
	// their volumes are not held to the objectives; their snapshots serve forensics and faster rebuilds.
	StatelessInstances bool `yaml:"stateless_instances" json:"stateless_instances"`
}

// Allowed values of the enumerated keys.
const (
	NATSingle = "single"
	NATPerAZ  = "per_az"

	Allowed   = "allowed"
	Forbidden = "forbidden"

	MonitoringBasic    = "basic"
	MonitoringDetailed = "detailed"

	SSHRestricted = "restricted"
	SSHNone       = "none"

	AlertingAlarms = "alarms"
	AlertingOnCall = "on_call"

	ApprovalRequired = "required"
	ApprovalNone     = "none"
)

// Load reads and validates the contract at path.
func Load(path string) (*Contract, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("environment contract: %w", err)
	}
	return Parse(path, b)
}

// LoadHome reads the contract of the repository at home.
func LoadHome(home string) (*Contract, error) { return Load(filepath.Join(home, File)) }

// Parse decodes and validates a contract; path names it in errors.
func Parse(path string, b []byte) (*Contract, error) {
	c := &Contract{path: path}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", path, strings.ReplaceAll(err.Error(), "\n", ";"))
	}
	var doc struct {
		Environments yaml.Node `yaml:"environments"`
	}
	if err := yaml.Unmarshal(b, &doc); err == nil {
		for i := 0; i+1 < len(doc.Environments.Content); i += 2 {
			c.order = append(c.order, doc.Environments.Content[i].Value)
		}
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name, e := range c.Environments {
		e.Name = name
		c.Environments[name] = e
	}
	return c, nil
}

// Names lists the environments in the order of the file.
func (c *Contract) Names() []string { return slices.Clone(c.order) }

// Environment returns the requirements of the environment called name.
func (c *Contract) Environment(name string) (Environment, error) {
	e, ok := c.Environments[name]
	if !ok {
		return Environment{}, fmt.Errorf("environment %q is not in the environment contract %s (it has %s)", name, c.path, strings.Join(c.order, ", "))
	}
	return e, nil
}

// Data is the contract as plain JSON values, as the policy rules see it (data.contract).
func (c *Contract) Data() (map[string]any, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

var (
	instanceType  = regexp.MustCompile(`^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.(nano|micro|small|medium|large|metal|[0-9]*xlarge)(-[0-9a-z]+)?$`)
	instanceClass = regexp.MustCompile(`^db\.[a-z0-9-]+\.[a-z0-9]+$`)
)

func (c *Contract) validate() error {
	if c.Version != 1 {
		return fmt.Errorf("version must be 1; got %d", c.Version)
	}
	if len(c.Environments) == 0 {
		return errors.New("environments: none defined")
	}
	for _, name := range c.order {
		if err := c.Environments[name].validate(); err != nil {
			return fmt.Errorf("environments.%s.%w", name, err)
		}
	}
	return c.validatePromotion()
}

// validatePromotion: every promote_from names another environment of the contract, and following them never
// comes back to where it started.
func (c *Contract) validatePromotion() error {
	for _, name := range c.order {
		seen := map[string]bool{name: true}
		for from := c.Environments[name].Deployment.PromoteFrom; from != ""; from = c.Environments[from].Deployment.PromoteFrom {
			if _, ok := c.Environments[from]; !ok {
				return fmt.Errorf("environments.%s.%w", name, fieldError("deployment.promote_from", "another environment of the contract ("+strings.Join(c.order, ", ")+") or empty", fmt.Sprintf("%q", c.Environments[name].Deployment.PromoteFrom)))
			}
			if seen[from] {
				return fmt.Errorf("environments.%s.%w", name, fieldError("deployment.promote_from", "a chain of environments without a cycle", fmt.Sprintf("%q (it leads back to %s)", c.Environments[name].Deployment.PromoteFrom, from)))
			}
			seen[from] = true
		}
	}
	return nil
}

// PromotesTo is the environment that takes its releases from name ("" when none does).
func (c *Contract) PromotesTo(name string) string {
	for _, n := range c.order {
		if c.Environments[n].Deployment.PromoteFrom == name {
			return n
		}
	}
	return ""
}

// fieldError names a key (relative to its environment) and the rule it breaks.
func fieldError(key, rule string, got any) error {
	return fmt.Errorf("%s must be %s; got %v", key, rule, got)
}

func oneOf(key, got string, valid ...string) error {
	if slices.Contains(valid, got) {
		return nil
	}
	return fieldError(key, "one of "+strings.Join(valid, ", "), fmt.Sprintf("%q", got))
}

func between(key string, got, lo, hi int) error {
	if got >= lo && got <= hi {
		return nil
	}
	return fieldError(key, fmt.Sprintf("a whole number from %d to %d", lo, hi), got)
}

func (e Environment) validate() error {
	p, err := netip.ParsePrefix(e.Network.VPCCIDR)
	if err != nil || !p.Addr().Is4() || p.Masked() != p || p.Bits() < 16 || p.Bits() > 24 {
		return fieldError("network.vpc_cidr", "an IPv4 network from /16 to /24 such as 10.0.0.0/16", fmt.Sprintf("%q", e.Network.VPCCIDR))
	}
	i := e.Compute.Instances
	errs := []error{
		between("network.availability_zones", e.Network.AvailabilityZones, 2, 3),
		oneOf("network.nat_gateways", e.Network.NATGateways, NATSingle, NATPerAZ),
		oneOf("compute.spot", e.Compute.Spot, Allowed, Forbidden),
		oneOf("compute.off_hours_scale_down", e.Compute.OffHoursScaleDown, Allowed, Forbidden),
		oneOf("compute.monitoring", e.Compute.Monitoring, MonitoringBasic, MonitoringDetailed),
		oneOf("access.ssh", e.Access.SSH, SSHRestricted, SSHNone),
		oneOf("alerting", e.Alerting, AlertingAlarms, AlertingOnCall),
		oneOf("deployment.approval", e.Deployment.Approval, ApprovalRequired, ApprovalNone),
		between("compute.instances.max", i.Max, 1, 100),
		between("database.min_backup_retention_days", e.Database.MinBackupRetentionDays, 1, 35),
		between("logs.min_retention_days", e.Logs.MinRetentionDays, 1, 3653),
		between("keys.min_deletion_window_days", e.Keys.MinDeletionWindowDays, 7, 30),
	}
	if !instanceType.MatchString(e.Compute.InstanceType) {
		errs = append(errs, fieldError("compute.instance_type", "an EC2 instance type such as t3.small", fmt.Sprintf("%q", e.Compute.InstanceType)))
	}
	if i.Min < 0 || i.Min > i.Desired || i.Desired > i.Max {
		errs = append(errs, fieldError("compute.instances", "0 <= min <= desired <= max", fmt.Sprintf("%d <= %d <= %d", i.Min, i.Desired, i.Max)))
	}
	if !instanceClass.MatchString(e.Database.InstanceClass) {
		errs = append(errs, fieldError("database.instance_class", "an RDS instance class such as db.t3.micro", fmt.Sprintf("%q", e.Database.InstanceClass)))
	}
	if b := e.Budget.MonthlyUSD; b != nil && !(*b > 0) {
		errs = append(errs, fieldError("budget.monthly_usd", "a positive number of USD a month, or null for no budget", *b))
	}
	for key, h := range map[string]*float64{"recovery.rto_hours": e.Recovery.RTOHours, "recovery.rpo_hours": e.Recovery.RPOHours} {
		if h != nil && !(*h > 0) {
			errs = append(errs, fieldError(key, "a positive number of hours, or null for no objective", *h))
		}
	}
	if e.Backup.Enabled {
		errs = append(errs, between("backup.min_retention_days", e.Backup.MinRetentionDays, 1, 35000))
	} else if e.Backup.MinRetentionDays != 0 || e.Backup.CrossRegionCopy {
		errs = append(errs, fieldError("backup", "without min_retention_days and cross_region_copy when enabled is false", fmt.Sprintf("%+v", e.Backup)))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
