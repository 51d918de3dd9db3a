// Package verify checks a deployed environment against the live AWS API (moto or real AWS), read-only.
//
// It works in two halves so that every check can be proven to fail:
//   - Collect reads everything the checks need into a plain Snapshot, driven by the environment root's outputs;
//   - Check is a pure function of a Snapshot and the Expectations for the environment.
//
// Leftovers lists what is still tagged with an environment after destroy.
package verify

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// A domain is one part of the stack, as a module of terraform/modules draws it. Its file (network.go,
// compute.go, ...) holds its snapshot types, what Collect reads of it, its checks and what Leftovers looks for.
type domain struct {
	name      string
	collect   []collectStep
	check     []func(*checker) // in the order their failures are reported
	leftovers func(context.Context, *leftovers)
}

// collectStep reads one resource (or set of them) into the snapshot, when the outputs name it.
type collectStep struct {
	name  string
	needs func(Outputs) bool
	read  func(*clients, context.Context, *Snapshot) error
}

// domains are read, checked and reported in this order.
var domains = []domain{
	networkDomain, computeDomain, securityDomain, databaseDomain, backupDomain, monitoringDomain, logsDomain, edgeDomain,
}

// Snapshot is everything Check needs, read from the live API by Collect. It is plain data, so tests can build
// one by hand (or decode one from JSON) and mutate it to prove each check fails.
// Maps are keyed by resource ID; a nil pointer means the resource was not found (or had no output to find it by).
// The fields come from one embedded struct per domain, so they read (and encode) as fields of Snapshot.
type Snapshot struct {
	// Outputs are the root outputs the snapshot was collected from; they name the role of each resource.
	Outputs Outputs

	NetworkSnapshot
	ComputeSnapshot
	SecuritySnapshot
	DatabaseSnapshot
	BackupSnapshot
	MonitoringSnapshot
	LogsSnapshot
	EdgeSnapshot
}

// Collect reads, read-only, everything Check needs for the environment described by out.
// Each part is read only when the output naming it is set (the VPC-wide parts need vpc_id), so a partial
// Outputs gives a partial Snapshot; Check reports what is missing. API errors are returned wrapped.
func Collect(ctx context.Context, cfg aws.Config, out Outputs) (*Snapshot, error) {
	c := newClients(cfg)
	s := &Snapshot{Outputs: out}
	for _, d := range domains {
		for _, st := range d.collect {
			if !st.needs(out) {
				continue
			}
			if err := st.read(c, ctx, s); err != nil {
				return nil, fmt.Errorf("collect %s: %w", st.name, err)
			}
		}
	}
	return s, nil
}

// Leftovers lists what still carries Environment=<environment> in cfg's region (and in IAM, S3, CloudFront,
// Route 53 and CLOUDFRONT-scope WAF), read-only, as sorted "type id" strings. Where a service's list does not
// carry tags cheaply, the stack's naming is used instead: CloudWatch alarms and dashboards, WAF web ACLs and
// backup plans named "ec2stack-<env>...", SSM parameters under "/ec2stack-<env>/". After a destroy the list
// should be empty. Resources in a terminal state (NAT gateways and endpoints deleted, instances terminated, KMS
// keys pending deletion or disabled, secrets scheduled for deletion) are not leftovers.
func Leftovers(ctx context.Context, cfg aws.Config, environment string) ([]string, error) {
	if environment == "" {
		return nil, fmt.Errorf("leftovers: environment is empty")
	}
	l := &leftovers{clients: newClients(cfg), env: environment}
	for _, d := range domains {
		d.leftovers(ctx, l)
		if l.err != nil {
			return nil, fmt.Errorf("leftovers of %s: %s: %w", environment, d.name, l.err)
		}
	}
	sort.Strings(l.found)
	return l.found, nil
}

// Expectations are the spec values for one environment. Zero values fall back to what the root reports in its
// outputs (so a zero Expectations checks the stack against what the root asked for); set them to check the root
// itself against the spec.
type Expectations struct {
	Environment     string // Environment tag; "" = outputs.environment
	VPCCIDR         string // "" = outputs.vpc_cidr_block
	AZCount         int    // 0 = len(outputs.availability_zones)
	InstanceType    string // "" = outputs.instance_type
	MinSize         int    // 0 = outputs.asg_min_size
	MaxSize         int    // 0 = outputs.asg_max_size
	DesiredCapacity int    // 0 = outputs.asg_desired_capacity (0 there too: only min <= desired <= max)
	// AnyDesired: the desired capacity may be anything from min to max (live, scaling moves it).
	AnyDesired   bool
	NATMode      NATMode
	AppPort      int // 0 = outputs.app_port
	DatabasePort int // 0 = outputs.database_port

	// InterfaceEndpoints are the interface endpoint service short names; nil = DefaultInterfaceEndpoints.
	InterfaceEndpoints []string
	// SSHAllowedCIDRs are the only sources allowed to reach port 22 on the app tier; nil = outputs
	// ssh_authorized_cidrs, empty non-nil = no SSH rule at all.
	SSHAllowedCIDRs []string
	// HTTPSListener: true = port 80 redirects (301) to an HTTPS listener on 443 (certificate present);
	// false = port 80 forwards to the target group.
	HTTPSListener bool
	// HealthCheckPath of the target group; "" = "/health".
	HealthCheckPath string

	// The optional features below: a zero value means "off in this environment", and where that is meaningful
	// Check asserts the feature is absent (its outputs empty, its resources not found).

	// Database is the RDS database expected; nil = no database (no database_instance_id, no replica).
	Database *DatabaseExpectations
	// BackupRetentionDays is the least daily AWS Backup retention in days; 0 = AWS Backup off (no vault or plan named).
	BackupRetentionDays int
	// BackupCrossRegionCopy: every backup rule copies to a vault in another region.
	BackupCrossRegionCopy bool
	// Alerts: an SNS topic encrypted with the SNS key, and every alarm in alarm_names acting on it; false = no topic.
	Alerts bool
	// Dashboard: the CloudWatch dashboard named in the outputs exists; false = none named.
	Dashboard bool
	// AccessLogs: the ALB writes access logs to the hardened alb_logs_bucket; false = access logs off.
	AccessLogs bool
	// Edge is CloudFront, WAF and DNS; nil = none of them.
	Edge *EdgeExpectations
	// OffHours: the Auto Scaling group has a recurring scale-down and scale-up action; false = no scheduled
	// actions; nil = as the off_hours_scale_down output says (false without it).
	OffHours *bool
	// Spot: the Auto Scaling group runs (true) or does not run (false) Spot capacity; nil = as the spot_enabled
	// output says (not checked without it).
	Spot *bool
	// DetailedMonitoring is the launch template's Monitoring.Enabled; nil = as the detailed_monitoring output says
	// (not checked without it).
	DetailedMonitoring *bool
	// DeletionProtection: the database and the load balancer have deletion protection; false = not required.
	DeletionProtection bool
	// MinLogRetentionDays is the least retention of the flow-log group; 0 = not checked.
	MinLogRetentionDays int
	// OnCall: the composite service-down alarm (alarm_names key "service_down") exists and acts on the topic.
	OnCall bool

	// Skip names checks to leave out (exact name, or a group such as "alb" for every "alb.*" check), for
	// features a target cannot run; each skip should be documented where it is set.
	Skip []string
}

func resolve(w Expectations, o Outputs) Expectations {
	if w.Environment == "" {
		w.Environment = o.Environment
	}
	if w.VPCCIDR == "" {
		w.VPCCIDR = o.VPCCIDRBlock
	}
	if w.AZCount == 0 {
		w.AZCount = len(o.AvailabilityZones)
	}
	if w.InstanceType == "" {
		w.InstanceType = o.InstanceType
	}
	if w.MinSize == 0 {
		w.MinSize = o.ASGMinSize
	}
	if w.MaxSize == 0 {
		w.MaxSize = o.ASGMaxSize
	}
	if w.DesiredCapacity == 0 {
		w.DesiredCapacity = o.ASGDesiredCapacity
	}
	if w.AppPort == 0 {
		w.AppPort = o.AppPort
	}
	if w.DatabasePort == 0 {
		w.DatabasePort = o.DatabasePort
	}
	if w.InterfaceEndpoints == nil {
		w.InterfaceEndpoints = DefaultInterfaceEndpoints
	}
	if w.SSHAllowedCIDRs == nil {
		w.SSHAllowedCIDRs = o.SSHAuthorizedCIDRs
	}
	if w.HealthCheckPath == "" {
		w.HealthCheckPath = "/health"
	}
	if w.NATMode == "" {
		w.NATMode = NATSingle
		if len(o.NATGatewayIDs) > 1 {
			w.NATMode = NATPerAZ
		}
	}
	if w.OffHours == nil {
		w.OffHours = &o.OffHoursScaleDown
	}
	if w.Spot == nil && o.SpotEnabled != nil {
		w.Spot = o.SpotEnabled
	}
	if w.DetailedMonitoring == nil && o.DetailedMonitoring != nil {
		w.DetailedMonitoring = o.DetailedMonitoring
	}
	if o.HTTPSEnabled != nil && *o.HTTPSEnabled {
		w.HTTPSListener = true
	}
	return w
}

// Failure is one failed check: which check, on which resource, what was found and what was wanted.
type Failure struct {
	Check    string `json:"check"`
	Resource string `json:"resource"`
	Got      string `json:"got"`
	Want     string `json:"want"`
}

func (f Failure) Error() string {
	return fmt.Sprintf("%s: %s: got %s, want %s", f.Check, f.Resource, f.Got, f.Want)
}

// Check runs every check against the snapshot and returns the failures (none when the stack is as expected).
// It is a pure function: it reads only s and want.
func Check(s *Snapshot, want Expectations) []Failure { return Run(s, want).Failures() }

// Result is what Run found, domain by domain.
type Result struct {
	Domains []DomainResult `json:"domains"`
	Skipped []string       `json:"skipped"` // checks left out on this target (Expectations.Skip)
}

// DomainResult lists the checks one domain ran (their names, in order) and the ones that failed.
type DomainResult struct {
	Name     string    `json:"name"`
	Checks   []string  `json:"checks"`
	Failures []Failure `json:"failures"`
}

// Holds reports whether every check passed.
func (r Result) Holds() bool { return len(r.Failures()) == 0 }

// Failures are the failed checks of every domain, in order.
func (r Result) Failures() []Failure {
	var out []Failure
	for _, d := range r.Domains {
		out = append(out, d.Failures...)
	}
	return out
}

// Checks is the number of checks run.
func (r Result) Checks() int {
	n := 0
	for _, d := range r.Domains {
		n += len(d.Checks)
	}
	return n
}

// Run runs every check against the snapshot, domain by domain, and reports which checks ran and which failed
// (the checks named in want.Skip are left out). It is a pure function: it reads only s and want.
func Run(s *Snapshot, want Expectations) Result {
	r := Result{Skipped: append([]string{}, want.Skip...)}
	if s == nil {
		return Result{Domains: []DomainResult{{Name: "snapshot", Checks: []string{"snapshot"},
			Failures: []Failure{{Check: "snapshot", Resource: "snapshot", Got: "nil", Want: "a collected snapshot"}}}}}
	}
	c := &checker{s: s, o: s.Outputs, w: resolve(want, s.Outputs)}
	for _, d := range domains {
		c.ran, c.failures = nil, nil
		for _, check := range d.check {
			check(c)
		}
		dr := DomainResult{Name: d.name, Checks: []string{}, Failures: []Failure{}}
		for _, name := range c.ran {
			if !skipped(want.Skip, name) && !slices.Contains(dr.Checks, name) {
				dr.Checks = append(dr.Checks, name)
			}
		}
		for _, f := range c.failures {
			if !skipped(want.Skip, f.Check) {
				dr.Failures = append(dr.Failures, f)
			}
		}
		r.Domains = append(r.Domains, dr)
	}
	return r
}

func skipped(skip []string, check string) bool {
	for _, s := range skip {
		if check == s || strings.HasPrefix(check, s+".") {
			return true
		}
	}
	return false
}

type checker struct {
	s        *Snapshot
	o        Outputs
	w        Expectations
	ran      []string // the checks of the current domain that ran, by name
	failures []Failure
}

// checks records that the named checks run (every check function names the checks it evaluates before failing
// any of them; a test proves that every failure is of a check named so).
func (c *checker) checks(names ...string) { c.ran = append(c.ran, names...) }

func (c *checker) fail(check, resource, got, want string) {
	c.failures = append(c.failures, Failure{Check: check, Resource: resource, Got: got, Want: want})
}

// missing records a failure for a resource that was not found; it reports whether it was missing.
func (c *checker) missing(check, resource string, found bool) bool {
	if found {
		return false
	}
	if resource == "" {
		resource = "(no output)"
	}
	c.fail(check, resource, "not found", "to exist")
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedValues(m map[string]string) []string {
	vals := make([]string, 0, len(m))
	for _, v := range m {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	return vals
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func list(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	return "[" + strings.Join(v, " ") + "]"
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
