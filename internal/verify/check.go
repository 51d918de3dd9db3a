package verify

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// NATMode is how private subnets reach the internet.
type NATMode string

// NAT modes.
const (
	NATSingle NATMode = "single" // one NAT gateway shared by every AZ
	NATPerAZ  NATMode = "per_az" // one NAT gateway in each AZ
)

// DefaultInterfaceEndpoints are the interface endpoint services expected when Expectations.InterfaceEndpoints is nil.
var DefaultInterfaceEndpoints = []string{"ec2", "ssm", "ssmmessages", "ec2messages"}

// TLSPolicy is the listener security policy required on HTTPS listeners.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

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
	NATMode         NATMode
	AppPort         int // 0 = outputs.app_port
	DatabasePort    int // 0 = outputs.database_port

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
	// BackupRetentionDays is the daily AWS Backup retention in days; 0 = AWS Backup off (no vault or plan named).
	BackupRetentionDays int
	// Alerts: an SNS topic encrypted with the SNS key, and every alarm in alarm_names acting on it; false = no topic.
	Alerts bool
	// Dashboard: the CloudWatch dashboard named in the outputs exists; false = none named.
	Dashboard bool
	// AccessLogs: the ALB writes access logs to the hardened alb_logs_bucket; false = access logs off.
	AccessLogs bool
	// Edge is CloudFront, WAF and DNS; nil = none of them.
	Edge *EdgeExpectations
	// OffHours: the Auto Scaling group has a recurring scale-down and scale-up action; false = no scheduled actions.
	OffHours bool
	// DetailedMonitoring is the launch template's Monitoring.Enabled; nil = not checked.
	DetailedMonitoring *bool

	// Skip names checks to leave out (exact name, or a group such as "alb" for every "alb.*" check), for
	// features a target cannot run; each skip should be documented where it is set.
	Skip []string
}

// Failure is one failed check: which check, on which resource, what was found and what was wanted.
type Failure struct {
	Check    string
	Resource string
	Got      string
	Want     string
}

func (f Failure) Error() string {
	return fmt.Sprintf("%s: %s: got %s, want %s", f.Check, f.Resource, f.Got, f.Want)
}

// Check runs every check against the snapshot and returns the failures (none when the stack is as expected).
// It is a pure function: it reads only s and want.
func Check(s *Snapshot, want Expectations) []Failure {
	if s == nil {
		return []Failure{{Check: "snapshot", Resource: "snapshot", Got: "nil", Want: "a collected snapshot"}}
	}
	c := &checker{s: s, o: s.Outputs, w: resolve(want, s.Outputs)}
	for _, group := range []func(){
		c.vpc, c.subnets, c.routes, c.nat, c.endpoints, c.launchTemplate, c.securityGroups,
		c.autoScalingGroup, c.loadBalancer, c.targetGroup, c.flowLogs, c.kmsKeys,
		c.database, c.backup, c.alerts, c.dashboard, c.accessLogs, c.edge, c.offHours, c.detailedMonitoring,
	} {
		group()
	}
	var out []Failure
	for _, f := range c.failures {
		if !skipped(want.Skip, f.Check) {
			out = append(out, f)
		}
	}
	return out
}

func skipped(skip []string, check string) bool {
	for _, s := range skip {
		if check == s || strings.HasPrefix(check, s+".") {
			return true
		}
	}
	return false
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
	return w
}

type checker struct {
	s        *Snapshot
	o        Outputs
	w        Expectations
	failures []Failure
}

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

// ---- VPC and subnets

func (c *checker) vpc() {
	v := c.s.VPC
	if c.missing("vpc", c.o.VPCID, v != nil) {
		return
	}
	if v.CIDRBlock != c.w.VPCCIDR {
		c.fail("vpc.cidr", v.ID, v.CIDRBlock, c.w.VPCCIDR)
	}
	if !v.EnableDNSSupport {
		c.fail("vpc.dns_support", v.ID, "enableDnsSupport=false", "enableDnsSupport=true")
	}
	if !v.EnableDNSHostnames {
		c.fail("vpc.dns_hostnames", v.ID, "enableDnsHostnames=false", "enableDnsHostnames=true")
	}
	if c.w.Environment != "" && v.Tags["Environment"] != c.w.Environment {
		c.fail("vpc.tags", v.ID, "Environment="+v.Tags["Environment"], "Environment="+c.w.Environment)
	}
}

func (c *checker) subnets() {
	if len(c.o.AvailabilityZones) != c.w.AZCount {
		c.fail("subnets.az_count", "availability_zones", strconv.Itoa(len(c.o.AvailabilityZones))+" "+list(c.o.AvailabilityZones),
			strconv.Itoa(c.w.AZCount))
	}
	var vpcCIDR netip.Prefix
	if c.s.VPC != nil {
		vpcCIDR, _ = netip.ParsePrefix(c.s.VPC.CIDRBlock)
	}
	tiers := []struct {
		name string
		ids  map[string]string
	}{{"public", c.o.PublicSubnetIDs}, {"private", c.o.PrivateSubnetIDs}, {"database", c.o.DatabaseSubnetIDs}}
	for _, tier := range tiers {
		if len(tier.ids) != c.w.AZCount {
			c.fail("subnets.tiers", tier.name+" subnets", strconv.Itoa(len(tier.ids))+" "+list(sortedValues(tier.ids)),
				fmt.Sprintf("one per AZ (%d)", c.w.AZCount))
		}
		seenAZ := map[string]string{}
		for _, az := range sortedKeys(tier.ids) {
			id := tier.ids[az]
			res := fmt.Sprintf("%s (%s %s)", id, tier.name, az)
			if len(c.o.AvailabilityZones) > 0 && !slices.Contains(c.o.AvailabilityZones, az) {
				c.fail("subnets.tiers", res, "AZ key "+az, "one of "+list(c.o.AvailabilityZones))
			}
			sn, ok := c.s.Subnets[id]
			if c.missing("subnets.tiers", res+" in "+c.o.VPCID, ok) {
				continue
			}
			if sn.AvailabilityZone != az {
				c.fail("subnets.az", res, sn.AvailabilityZone, az)
			}
			if other, dup := seenAZ[sn.AvailabilityZone]; dup {
				c.fail("subnets.az", res, "same AZ as "+other, "distinct AZs per tier")
			}
			seenAZ[sn.AvailabilityZone] = id
			p, err := netip.ParsePrefix(sn.CIDRBlock)
			switch {
			case err != nil:
				c.fail("subnets.cidr", res, strconv.Quote(sn.CIDRBlock), "a CIDR inside "+vpcCIDR.String())
			case vpcCIDR.IsValid() && (p.Bits() < vpcCIDR.Bits() || !vpcCIDR.Contains(p.Addr())):
				c.fail("subnets.cidr", res, sn.CIDRBlock, "inside "+vpcCIDR.String())
			}
		}
	}
	for _, id := range sortedKeys(c.s.Subnets) {
		if c.s.Subnets[id].MapPublicIPOnLaunch {
			c.fail("subnets.map_public_ip", id, "MapPublicIpOnLaunch=true", "MapPublicIpOnLaunch=false")
		}
	}
}

// ---- routing

const anyIPv4, anyIPv6 = "0.0.0.0/0", "::/0"

func defaultRoute(rt RouteTable) (Route, bool) {
	for _, r := range rt.Routes {
		if r.DestinationCIDR == anyIPv4 {
			return r, true
		}
	}
	return Route{}, false
}

func (c *checker) associated(check string, rt RouteTable, subnetID, what string) {
	if subnetID != "" && !slices.Contains(rt.SubnetIDs, subnetID) {
		c.fail(check, rt.ID, "associated with "+list(rt.SubnetIDs), what+" "+subnetID+" associated")
	}
}

func (c *checker) routes() {
	// Public: default route to the VPC's internet gateway.
	if rt, ok := c.s.RouteTables[c.o.PublicRouteTableID]; !c.missing("routes.public", c.o.PublicRouteTableID, ok) {
		r, has := defaultRoute(rt)
		switch {
		case !has:
			c.fail("routes.public", rt.ID, "no 0.0.0.0/0 route", "0.0.0.0/0 -> internet gateway")
		case !strings.HasPrefix(r.GatewayID, "igw-") || !slices.Contains(c.s.InternetGateways, r.GatewayID):
			c.fail("routes.public", rt.ID, "0.0.0.0/0 -> "+r.Target(), "0.0.0.0/0 -> internet gateway of the VPC "+list(c.s.InternetGateways))
		}
		for _, az := range sortedKeys(c.o.PublicSubnetIDs) {
			c.associated("routes.associations", rt, c.o.PublicSubnetIDs[az], "public subnet")
		}
	}
	// Private: one route table per AZ, default route to a NAT gateway of the VPC.
	for _, az := range sortedKeys(c.o.PrivateSubnetIDs) {
		if _, ok := c.o.PrivateRouteTableIDs[az]; !ok {
			c.fail("routes.private", "private route table for "+az, "not in outputs", "one per private subnet AZ")
		}
	}
	for _, az := range sortedKeys(c.o.PrivateRouteTableIDs) {
		id := c.o.PrivateRouteTableIDs[az]
		rt, ok := c.s.RouteTables[id]
		if c.missing("routes.private", id+" ("+az+")", ok) {
			continue
		}
		r, has := defaultRoute(rt)
		switch {
		case !has:
			c.fail("routes.private", rt.ID+" ("+az+")", "no 0.0.0.0/0 route", "0.0.0.0/0 -> NAT gateway")
		case r.NATGatewayID == "":
			c.fail("routes.private", rt.ID+" ("+az+")", "0.0.0.0/0 -> "+r.Target(), "0.0.0.0/0 -> NAT gateway")
		default:
			if _, ok := c.s.NATGateways[r.NATGatewayID]; !ok {
				c.fail("routes.private", rt.ID+" ("+az+")", "0.0.0.0/0 -> "+r.NATGatewayID+" (not a NAT gateway of the VPC)",
					"0.0.0.0/0 -> NAT gateway of the VPC")
			}
		}
		for _, rr := range rt.Routes {
			if strings.HasPrefix(rr.GatewayID, "igw-") {
				c.fail("routes.private", rt.ID+" ("+az+")", rr.Destination()+" -> "+rr.GatewayID, "no route to an internet gateway")
			}
		}
		c.associated("routes.associations", rt, c.o.PrivateSubnetIDs[az], "private subnet")
	}
	// Database: local only.
	if rt, ok := c.s.RouteTables[c.o.DatabaseRouteTableID]; !c.missing("routes.database", c.o.DatabaseRouteTableID, ok) {
		for _, r := range rt.Routes {
			t := r.Target()
			switch {
			case r.DestinationCIDR == anyIPv4 || r.DestinationIPv6CIDR == anyIPv6:
				c.fail("routes.database", rt.ID, r.Destination()+" -> "+t, "no default route (local only)")
			case strings.HasPrefix(t, "igw-") || strings.HasPrefix(t, "nat-") || strings.HasPrefix(t, "eigw-"):
				c.fail("routes.database", rt.ID, r.Destination()+" -> "+t, "no route to an internet or NAT gateway")
			}
		}
		for _, az := range sortedKeys(c.o.DatabaseSubnetIDs) {
			c.associated("routes.associations", rt, c.o.DatabaseSubnetIDs[az], "database subnet")
		}
	}
}

func (c *checker) nat() {
	used := map[string][]string{} // NAT id -> AZs routing through it
	for _, az := range sortedKeys(c.o.PrivateRouteTableIDs) {
		if r, ok := defaultRoute(c.s.RouteTables[c.o.PrivateRouteTableIDs[az]]); ok && r.NATGatewayID != "" {
			used[r.NATGatewayID] = append(used[r.NATGatewayID], az)
		}
	}
	switch c.w.NATMode {
	case NATSingle:
		if len(c.s.NATGateways) != 1 {
			c.fail("nat.mode", c.o.VPCID, fmt.Sprintf("%d NAT gateways %s", len(c.s.NATGateways), list(sortedKeys(c.s.NATGateways))),
				"1 shared NAT gateway")
		}
		if len(used) > 1 {
			c.fail("nat.mode", "private route tables", "routes via "+list(sortedKeys(used)), "all via one shared NAT gateway")
		}
	case NATPerAZ:
		if len(c.s.NATGateways) != c.w.AZCount {
			c.fail("nat.mode", c.o.VPCID, fmt.Sprintf("%d NAT gateways %s", len(c.s.NATGateways), list(sortedKeys(c.s.NATGateways))),
				fmt.Sprintf("one per AZ (%d)", c.w.AZCount))
		}
		for _, id := range sortedKeys(used) {
			azs := used[id]
			if len(azs) > 1 {
				c.fail("nat.mode", id, "shared by "+list(azs), "one NAT gateway per AZ")
			}
			if n, ok := c.s.NATGateways[id]; ok && len(azs) == 1 {
				if sn, ok := c.s.Subnets[n.SubnetID]; ok && sn.AvailabilityZone != azs[0] {
					c.fail("nat.mode", id, "in "+sn.AvailabilityZone+", serving "+azs[0], "NAT gateway in the AZ it serves")
				}
			}
		}
	default:
		c.fail("nat.mode", "expectations", string(c.w.NATMode), "single or per_az")
	}
	public := sortedValues(c.o.PublicSubnetIDs)
	for _, id := range sortedKeys(c.s.NATGateways) {
		n := c.s.NATGateways[id]
		if !slices.Contains(public, n.SubnetID) {
			c.fail("nat.placement", id, "in subnet "+n.SubnetID, "in a public subnet "+list(public))
		}
		if n.State != "available" {
			c.fail("nat.state", id, n.State, "available")
		}
	}
	for _, key := range sortedKeys(c.o.NATGatewayIDs) {
		id := c.o.NATGatewayIDs[key]
		c.missing("nat.placement", id+" ("+key+") in "+c.o.VPCID, c.s.NATGateways[id].ID != "")
	}
}

// ---- VPC endpoints

func (c *checker) endpoints() {
	var s3 []Endpoint
	for _, id := range sortedKeys(c.s.Endpoints) {
		e := c.s.Endpoints[id]
		if strings.HasSuffix(e.ServiceName, ".s3") && strings.EqualFold(e.Type, "Gateway") {
			s3 = append(s3, e)
		}
	}
	if len(s3) == 0 {
		c.fail("endpoints.s3", c.o.VPCID, "no S3 gateway endpoint", "an S3 gateway endpoint")
	}
	for _, e := range s3 {
		for _, az := range sortedKeys(c.o.PrivateRouteTableIDs) {
			if rt := c.o.PrivateRouteTableIDs[az]; !slices.Contains(e.RouteTableIDs, rt) {
				c.fail("endpoints.s3", e.ID, "route tables "+list(e.RouteTableIDs), "private route table "+rt+" ("+az+")")
			}
		}
	}
	for _, svc := range c.w.InterfaceEndpoints {
		var found []Endpoint
		for _, id := range sortedKeys(c.s.Endpoints) {
			if e := c.s.Endpoints[id]; strings.HasSuffix(e.ServiceName, "."+svc) && strings.EqualFold(e.Type, "Interface") {
				found = append(found, e)
			}
		}
		if len(found) == 0 {
			c.fail("endpoints.interface", c.o.VPCID, "no "+svc+" interface endpoint", "an interface endpoint for "+svc)
		}
		for _, e := range found {
			res := e.ID + " (" + svc + ")"
			if !e.PrivateDNSEnabled {
				c.fail("endpoints.private_dns", res, "PrivateDnsEnabled=false", "PrivateDnsEnabled=true")
			}
			if c.o.EndpointsSecurityGroupID == "" || !slices.Contains(e.SecurityGroupIDs, c.o.EndpointsSecurityGroupID) {
				c.fail("endpoints.security_group", res, "security groups "+list(e.SecurityGroupIDs),
					"endpoints security group "+c.o.EndpointsSecurityGroupID)
			}
		}
	}
}

// ---- launch template

// KeyID normalises a KMS key reference (key id or key ARN) to the key id; other forms are returned unchanged.
func KeyID(ref string) string {
	if i := strings.LastIndex(ref, ":key/"); i >= 0 {
		return strings.ToLower(ref[i+len(":key/"):])
	}
	return strings.ToLower(ref)
}

func (c *checker) launchTemplate() {
	lt := c.s.LaunchTemplate
	if c.missing("launch_template", c.o.LaunchTemplateID, lt != nil) {
		return
	}
	if len(lt.Versions) == 0 {
		c.fail("launch_template", lt.ID, "no versions", "default and latest version")
	}
	wantKey := KeyID(c.o.EBSKMSKeyARN)
	for _, v := range lt.Versions {
		res := fmt.Sprintf("%s version %d", lt.ID, v.Version)
		if v.HTTPTokens != "required" {
			c.fail("launch_template.http_tokens", res, "HttpTokens="+v.HTTPTokens, "HttpTokens=required")
		}
		if v.HTTPPutResponseHopLimit != 1 {
			c.fail("launch_template.hop_limit", res, fmt.Sprintf("HttpPutResponseHopLimit=%d", v.HTTPPutResponseHopLimit),
				"HttpPutResponseHopLimit=1")
		}
		for _, ni := range v.NetworkInterfaces {
			if ni.AssociatePublicIPAddress {
				c.fail("launch_template.public_ip", fmt.Sprintf("%s network interface %d", res, ni.DeviceIndex),
					"AssociatePublicIpAddress=true", "AssociatePublicIpAddress=false")
			}
		}
		if c.w.InstanceType != "" && v.InstanceType != c.w.InstanceType {
			c.fail("launch_template.instance_type", res, v.InstanceType, c.w.InstanceType)
		}
		if len(v.BlockDevices) == 0 {
			c.fail("launch_template.block_devices", res, "no block device mappings", "every volume encrypted with "+c.o.EBSKMSKeyARN)
		}
		for _, b := range v.BlockDevices {
			if !b.EBS {
				continue
			}
			bres := res + " " + b.DeviceName
			if !b.Encrypted {
				c.fail("launch_template.block_devices", bres, "Encrypted=false", "Encrypted=true")
			}
			if KeyID(b.KMSKeyID) != wantKey || wantKey == "" {
				got := b.KMSKeyID
				if got == "" {
					got = "no KmsKeyId (AWS managed key)"
				}
				c.fail("launch_template.block_devices", bres, "KmsKeyId="+got, "KmsKeyId="+c.o.EBSKMSKeyARN)
			}
		}
	}
}

// ---- security groups

// covers reports whether the rule opens port on TCP (or all protocols).
func covers(r Rule, port int) bool {
	if r.Protocol == "-1" || r.Protocol == "all" {
		return true
	}
	return (r.Protocol == "tcp" || r.Protocol == "6") && int(r.FromPort) <= port && port <= int(r.ToPort)
}

// exactly reports whether the rule is TCP on exactly port.
func exactly(r Rule, port int) bool {
	return (r.Protocol == "tcp" || r.Protocol == "6") && int(r.FromPort) == port && int(r.ToPort) == port
}

func describeRule(sgID, role string, r Rule) string {
	ports := fmt.Sprintf("%d-%d", r.FromPort, r.ToPort)
	if r.Protocol == "-1" {
		ports = "all"
	}
	return fmt.Sprintf("%s (%s) ingress %s %s", sgID, role, r.Protocol, ports)
}

func ruleSources(r Rule) string {
	var parts []string
	parts = append(parts, r.CIDRs...)
	parts = append(parts, r.SourceGroupIDs...)
	parts = append(parts, r.PrefixListIDs...)
	return "from " + list(parts)
}

func public(cidr string) bool { return cidr == anyIPv4 || cidr == anyIPv6 }

func (c *checker) group(check, role, id string) (SecurityGroup, bool) {
	g, ok := c.s.SecurityGroups[id]
	res := id + " (" + role + ")"
	if id == "" {
		res = "(no " + role + "_security_group_id output)"
	}
	return g, !c.missing(check, res, ok)
}

func (c *checker) securityGroups() {
	if g, ok := c.group("sg.alb_ingress", "alb", c.o.ALBSecurityGroupID); ok {
		ports := []int{80}
		if c.w.HTTPSListener {
			ports = append(ports, 443)
		}
		for _, p := range ports {
			if !slices.ContainsFunc(g.Ingress, func(r Rule) bool { return covers(r, p) }) {
				c.fail("sg.alb_ingress", g.ID+" (alb)", "no ingress on "+strconv.Itoa(p), "ingress on tcp "+strconv.Itoa(p))
			}
		}
	}
	if g, ok := c.group("sg.app_ingress", "app", c.o.AppSecurityGroupID); ok {
		c.appGroup(g)
	}
	if g, ok := c.group("sg.database_ingress", "database", c.o.DatabaseSecurityGroupID); ok {
		port := c.w.DatabasePort
		found := false
		for _, r := range g.Ingress {
			res := describeRule(g.ID, "database", r)
			if !exactly(r, port) || len(r.CIDRs) > 0 || len(r.PrefixListIDs) > 0 ||
				slices.ContainsFunc(r.SourceGroupIDs, func(s string) bool { return s != c.o.AppSecurityGroupID }) {
				c.fail("sg.database_ingress", res, ruleSources(r), fmt.Sprintf("only tcp %d from app SG %s", port, c.o.AppSecurityGroupID))
				continue
			}
			found = found || slices.Contains(r.SourceGroupIDs, c.o.AppSecurityGroupID)
		}
		if !found {
			c.fail("sg.database_ingress", g.ID+" (database)", "no ingress from the app SG",
				fmt.Sprintf("tcp %d from app SG %s", port, c.o.AppSecurityGroupID))
		}
	}
	if g, ok := c.group("sg.endpoints_ingress", "endpoints", c.o.EndpointsSecurityGroupID); ok {
		found := false
		for _, r := range g.Ingress {
			if covers(r, 443) && slices.Contains(r.SourceGroupIDs, c.o.AppSecurityGroupID) {
				found = true
			}
			if slices.ContainsFunc(r.CIDRs, public) {
				c.fail("sg.endpoints_ingress", describeRule(g.ID, "endpoints", r), ruleSources(r), "no ingress from the internet")
			}
		}
		if !found {
			c.fail("sg.endpoints_ingress", g.ID+" (endpoints)", "no 443 ingress from the app SG",
				"tcp 443 from app SG "+c.o.AppSecurityGroupID)
		}
	}
	for _, id := range sortedKeys(c.s.SecurityGroups) {
		g := c.s.SecurityGroups[id]
		for _, r := range g.Ingress {
			for _, port := range []int{22, 3389} {
				if covers(r, port) && slices.ContainsFunc(r.CIDRs, public) {
					c.fail("sg.no_public_admin", describeRule(g.ID, g.Name, r), ruleSources(r),
						fmt.Sprintf("no port %d from 0.0.0.0/0 or ::/0", port))
				}
			}
		}
	}
	var def *SecurityGroup
	for _, id := range sortedKeys(c.s.SecurityGroups) {
		if g := c.s.SecurityGroups[id]; g.Name == "default" {
			def = &g
		}
	}
	if !c.missing("sg.default_empty", "default security group of "+c.o.VPCID, def != nil) &&
		(len(def.Ingress) > 0 || len(def.Egress) > 0) {
		c.fail("sg.default_empty", def.ID+" (default)", fmt.Sprintf("%d ingress, %d egress rules", len(def.Ingress), len(def.Egress)),
			"no rules")
	}
}

func (c *checker) appGroup(g SecurityGroup) {
	port, alb := c.w.AppPort, c.o.ALBSecurityGroupID
	allowed := c.w.SSHAllowedCIDRs
	fromALB := false
	sshSeen := map[string]bool{}
	for _, r := range g.Ingress {
		res := describeRule(g.ID, "app", r)
		switch {
		case exactly(r, port) && port != 22:
			if len(r.CIDRs) > 0 || len(r.PrefixListIDs) > 0 ||
				slices.ContainsFunc(r.SourceGroupIDs, func(s string) bool { return s != alb }) {
				c.fail("sg.app_ingress", res, ruleSources(r), "only from ALB SG "+alb)
			}
			fromALB = fromALB || slices.Contains(r.SourceGroupIDs, alb)
		case exactly(r, 22):
			for _, cidr := range r.CIDRs {
				sshSeen[cidr] = true
				if public(cidr) || !slices.Contains(allowed, cidr) {
					c.fail("sg.app_ssh", res, "from "+cidr, "SSH only from "+list(allowed)+", never 0.0.0.0/0 or ::/0")
				}
			}
			if len(r.SourceGroupIDs) > 0 || len(r.PrefixListIDs) > 0 {
				c.fail("sg.app_ssh", res, ruleSources(r), "SSH only from "+list(allowed))
			}
		default:
			check := "sg.app_ingress"
			if covers(r, 22) {
				check = "sg.app_ssh"
			}
			c.fail(check, res, ruleSources(r), fmt.Sprintf("only tcp %d from ALB SG and tcp 22 from %s", port, list(allowed)))
		}
	}
	if !fromALB {
		c.fail("sg.app_ingress", g.ID+" (app)", "no ingress from the ALB SG", fmt.Sprintf("tcp %d from ALB SG %s", port, alb))
	}
	for _, cidr := range allowed {
		if !sshSeen[cidr] {
			c.fail("sg.app_ssh", g.ID+" (app)", "no SSH rule from "+cidr, "tcp 22 from "+cidr)
		}
	}
}

// ---- Auto Scaling group

func (c *checker) autoScalingGroup() {
	a := c.s.AutoScalingGroup
	if c.missing("asg", c.o.AutoScalingGroupName, a != nil) {
		return
	}
	sizes := func(min, max, desired int) string { return fmt.Sprintf("min=%d max=%d desired=%d", min, max, desired) }
	got := sizes(int(a.MinSize), int(a.MaxSize), int(a.DesiredCapacity))
	if int(a.MinSize) != c.w.MinSize || int(a.MaxSize) != c.w.MaxSize ||
		(c.w.DesiredCapacity != 0 && int(a.DesiredCapacity) != c.w.DesiredCapacity) {
		want := sizes(c.w.MinSize, c.w.MaxSize, c.w.DesiredCapacity)
		if c.w.DesiredCapacity == 0 {
			want = fmt.Sprintf("min=%d max=%d", c.w.MinSize, c.w.MaxSize)
		}
		c.fail("asg.size", a.Name, got, want)
	}
	if a.DesiredCapacity < a.MinSize || a.DesiredCapacity > a.MaxSize {
		c.fail("asg.size", a.Name, got, "min <= desired <= max")
	}
	if a.HealthCheckType != "ELB" {
		c.fail("asg.health_check", a.Name, "HealthCheckType="+a.HealthCheckType, "HealthCheckType=ELB")
	}
	if a.HealthCheckGracePeriod <= 0 {
		c.fail("asg.grace_period", a.Name, fmt.Sprintf("HealthCheckGracePeriod=%d", a.HealthCheckGracePeriod), "HealthCheckGracePeriod > 0")
	}
	if private := sortedValues(c.o.PrivateSubnetIDs); !sameSet(a.SubnetIDs, private) {
		c.fail("asg.subnets", a.Name, list(a.SubnetIDs), "the private subnets "+list(private))
	}
	if c.o.TargetGroupARN == "" || !slices.Contains(a.TargetGroupARNs, c.o.TargetGroupARN) {
		c.fail("asg.target_group", a.Name, list(a.TargetGroupARNs), "target group "+c.o.TargetGroupARN+" attached")
	}
	if a.LaunchTemplateID != c.o.LaunchTemplateID {
		c.fail("asg.launch_template", a.Name, a.LaunchTemplateID, c.o.LaunchTemplateID)
	}
	env := ""
	propagate := false
	for _, t := range a.Tags {
		if t.Key == "Environment" {
			env, propagate = t.Value, t.PropagateAtLaunch
		}
	}
	if (c.w.Environment != "" && env != c.w.Environment) || !propagate {
		c.fail("asg.tags", a.Name, fmt.Sprintf("Environment=%s PropagateAtLaunch=%t", env, propagate),
			fmt.Sprintf("Environment=%s PropagateAtLaunch=true", c.w.Environment))
	}
}

// ---- load balancer and target group

func (c *checker) loadBalancer() {
	lb := c.s.LoadBalancer
	if c.missing("alb", c.o.ALBARN, lb != nil) {
		return
	}
	if lb.Type != "application" {
		c.fail("alb.type", lb.ARN, lb.Type, "application")
	}
	if lb.Scheme != "internet-facing" {
		c.fail("alb.scheme", lb.ARN, lb.Scheme, "internet-facing")
	}
	if public := sortedValues(c.o.PublicSubnetIDs); !sameSet(lb.SubnetIDs, public) {
		c.fail("alb.subnets", lb.ARN, list(lb.SubnetIDs), "the public subnets "+list(public))
	}
	if c.o.ALBSecurityGroupID == "" || !slices.Contains(lb.SecurityGroupIDs, c.o.ALBSecurityGroupID) {
		c.fail("alb.security_groups", lb.ARN, list(lb.SecurityGroupIDs), "ALB SG "+c.o.ALBSecurityGroupID)
	}
	const drop, desync = "routing.http.drop_invalid_header_fields.enabled", "routing.http.desync_mitigation_mode"
	if v := lb.Attributes[drop]; v != "true" {
		c.fail("alb.drop_invalid_headers", lb.ARN, drop+"="+v, drop+"=true")
	}
	if v := lb.Attributes[desync]; v != "defensive" && v != "strictest" {
		c.fail("alb.desync_mitigation", lb.ARN, desync+"="+v, desync+" in [defensive strictest]")
	}
	c.listeners(lb)
}

func (c *checker) listeners(lb *LoadBalancer) {
	var http, https *Listener
	for i := range lb.Listeners {
		switch lb.Listeners[i].Port {
		case 80:
			http = &lb.Listeners[i]
		case 443:
			https = &lb.Listeners[i]
		}
	}
	if c.missing("alb.listener_http", lb.ARN+" listener :80", http != nil) {
		return
	}
	res := http.ARN + " (:80)"
	if http.Protocol != "HTTP" {
		c.fail("alb.listener_http", res, "protocol "+http.Protocol, "protocol HTTP")
	}
	if len(http.DefaultActions) != 1 {
		c.fail("alb.listener_http", res, fmt.Sprintf("%d default actions", len(http.DefaultActions)), "1 default action")
		return
	}
	a := http.DefaultActions[0]
	if c.w.HTTPSListener {
		if a.Type != "redirect" || a.RedirectProtocol != "HTTPS" || a.RedirectPort != "443" || a.RedirectStatus != "HTTP_301" {
			c.fail("alb.listener_http", res, fmt.Sprintf("%s %s:%s %s", a.Type, a.RedirectProtocol, a.RedirectPort, a.RedirectStatus),
				"redirect HTTPS:443 HTTP_301")
		}
		if c.missing("alb.listener_https", lb.ARN+" listener :443", https != nil) {
			return
		}
		hres := https.ARN + " (:443)"
		if https.Protocol != "HTTPS" {
			c.fail("alb.listener_https", hres, "protocol "+https.Protocol, "protocol HTTPS")
		}
		if https.SSLPolicy != TLSPolicy {
			c.fail("alb.tls_policy", hres, https.SSLPolicy, TLSPolicy)
		}
		if !slices.ContainsFunc(https.DefaultActions, func(a Action) bool {
			return a.Type == "forward" && slices.Contains(a.TargetGroupARNs, c.o.TargetGroupARN)
		}) {
			c.fail("alb.listener_https", hres, "no forward to the target group", "forward to "+c.o.TargetGroupARN)
		}
		return
	}
	if a.Type != "forward" || c.o.TargetGroupARN == "" || !slices.Contains(a.TargetGroupARNs, c.o.TargetGroupARN) {
		c.fail("alb.listener_http", res, fmt.Sprintf("%s %s", a.Type, list(a.TargetGroupARNs)), "forward to "+c.o.TargetGroupARN)
	}
}

func (c *checker) targetGroup() {
	tg := c.s.TargetGroup
	if c.missing("target_group", c.o.TargetGroupARN, tg != nil) {
		return
	}
	if tg.Protocol != "HTTP" || int(tg.Port) != c.w.AppPort {
		c.fail("target_group.port", tg.ARN, fmt.Sprintf("%s:%d", tg.Protocol, tg.Port), fmt.Sprintf("HTTP:%d", c.w.AppPort))
	}
	if c.o.VPCID != "" && tg.VPCID != c.o.VPCID {
		c.fail("target_group.vpc", tg.ARN, tg.VPCID, c.o.VPCID)
	}
	hc := fmt.Sprintf("enabled=%t %s %s port=%s matcher=%s", tg.HealthCheckEnabled, tg.HealthCheckProtocol,
		tg.HealthCheckPath, tg.HealthCheckPort, tg.Matcher)
	want := fmt.Sprintf("enabled=true HTTP %s port=traffic-port|%d matcher=200", c.w.HealthCheckPath, c.w.AppPort)
	if !tg.HealthCheckEnabled || tg.HealthCheckProtocol != "HTTP" || tg.HealthCheckPath != c.w.HealthCheckPath ||
		(tg.HealthCheckPort != "traffic-port" && tg.HealthCheckPort != strconv.Itoa(c.w.AppPort)) || tg.Matcher != "200" {
		c.fail("target_group.health_check", tg.ARN, hc, want)
	}
}

// ---- flow logs and KMS

func (c *checker) flowLogs() {
	name := c.o.FlowLogGroupName
	found := false
	for _, f := range c.s.FlowLogs {
		if f.ResourceID != c.o.VPCID {
			continue
		}
		toGroup := f.LogGroupName == name ||
			strings.HasSuffix(strings.TrimSuffix(f.LogDestination, ":*"), ":log-group:"+name)
		if name != "" && toGroup && (f.DestinationType == "" || f.DestinationType == "cloud-watch-logs") {
			found = true
			if f.TrafficType != "ALL" {
				c.fail("flow_logs", f.ID, "TrafficType="+f.TrafficType, "TrafficType=ALL")
			}
		}
	}
	if !found {
		var got []string
		for _, f := range c.s.FlowLogs {
			got = append(got, f.ID+"->"+f.LogGroupName+f.LogDestination)
		}
		c.fail("flow_logs", c.o.VPCID, "flow logs "+list(got), "a flow log to log group "+strconv.Quote(name))
	}
	lg := c.s.LogGroup
	if c.missing("logs.kms", name, lg != nil) {
		return
	}
	switch {
	case lg.KMSKeyID == "":
		c.fail("logs.kms", lg.Name, "no KMS key", "encrypted with "+c.o.LogsKMSKeyARN)
	case c.o.LogsKMSKeyARN != "" && KeyID(lg.KMSKeyID) != KeyID(c.o.LogsKMSKeyARN):
		c.fail("logs.kms", lg.Name, "KMS key "+lg.KMSKeyID, "KMS key "+c.o.LogsKMSKeyARN)
	}
}

func (c *checker) kmsKeys() {
	keys := []string{c.o.EBSKMSKeyARN, c.o.LogsKMSKeyARN}
	if c.w.Database != nil || c.w.BackupRetentionDays > 0 {
		keys = append(keys, c.o.DataKMSKeyARN)
	}
	if c.w.Alerts {
		keys = append(keys, c.o.SNSKMSKeyARN)
	}
	for _, arn := range slices.Compact(keys) {
		k, ok := c.s.KMSKeys[arn]
		if c.missing("kms", arn, ok) {
			continue
		}
		if !k.RotationEnabled {
			c.fail("kms.rotation", arn, "KeyRotationEnabled=false", "KeyRotationEnabled=true")
		}
		if k.State != "Enabled" {
			c.fail("kms.state", arn, k.State, "Enabled")
		}
	}
}
