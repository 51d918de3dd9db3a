package verify

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The network (terraform/modules/network): VPC, subnets, routing, NAT and internet gateways, VPC endpoints,
// flow logs and their log group.

var networkDomain = domain{
	name: "network",
	collect: []collectStep{
		{"vpc", hasVPC, (*clients).vpc},
		{"subnets", hasVPC, (*clients).subnets},
		{"route tables", hasVPC, (*clients).routeTables},
		{"nat gateways", hasVPC, (*clients).natGateways},
		{"internet gateways", hasVPC, (*clients).internetGateways},
		{"vpc endpoints", hasVPC, (*clients).endpoints},
		{"flow logs", hasVPC, (*clients).flowLogs},
		{"log group", func(o Outputs) bool { return o.FlowLogGroupName != "" }, (*clients).logGroup},
	},
	check: []func(*checker){
		(*checker).vpc, (*checker).subnets, (*checker).routes, (*checker).nat, (*checker).endpoints, (*checker).flowLogs,
	},
	leftovers: networkLeftovers,
}

// NATMode is how private subnets reach the internet.
type NATMode string

// NAT modes.
const (
	NATSingle NATMode = "single" // one NAT gateway shared by every AZ
	NATPerAZ  NATMode = "per_az" // one NAT gateway in each AZ
)

// DefaultInterfaceEndpoints are the interface endpoint services expected when Expectations.InterfaceEndpoints is nil.
var DefaultInterfaceEndpoints = []string{"ec2", "ssm", "ssmmessages", "ec2messages"}

// NetworkSnapshot is the network part of a Snapshot.
type NetworkSnapshot struct {
	VPC              *VPC
	Subnets          map[string]Subnet
	RouteTables      map[string]RouteTable
	NATGateways      map[string]NATGateway
	InternetGateways []string // IDs of internet gateways attached to the VPC
	Endpoints        map[string]Endpoint
	FlowLogs         []FlowLog // flow logs whose resource is the VPC
	LogGroup         *LogGroup // the flow log group
}

// VPC is one VPC and its DNS attributes.
type VPC struct {
	ID                 string
	CIDRBlock          string
	EnableDNSSupport   bool
	EnableDNSHostnames bool
	Tags               map[string]string
}

// Subnet is one subnet.
type Subnet struct {
	ID                  string
	VPCID               string
	AvailabilityZone    string
	CIDRBlock           string
	MapPublicIPOnLaunch bool
	Tags                map[string]string
}

// RouteTable is one route table with its routes and subnet associations.
type RouteTable struct {
	ID        string
	VPCID     string
	Main      bool
	SubnetIDs []string
	Routes    []Route
}

// Route is one route; exactly one destination and (usually) one target are set.
type Route struct {
	DestinationCIDR         string
	DestinationIPv6CIDR     string
	DestinationPrefixListID string
	GatewayID               string // igw-..., vpce-... or "local"
	NATGatewayID            string
	TransitGatewayID        string
	NetworkInterfaceID      string
	VPCPeeringConnectionID  string
	InstanceID              string
	EgressOnlyGatewayID     string
	State                   string
}

// Target is the route's target ID, whichever kind it is.
func (r Route) Target() string {
	for _, t := range []string{r.NATGatewayID, r.GatewayID, r.TransitGatewayID, r.NetworkInterfaceID,
		r.VPCPeeringConnectionID, r.InstanceID, r.EgressOnlyGatewayID} {
		if t != "" {
			return t
		}
	}
	return ""
}

// Destination is the route's destination, whichever kind it is.
func (r Route) Destination() string {
	switch {
	case r.DestinationCIDR != "":
		return r.DestinationCIDR
	case r.DestinationIPv6CIDR != "":
		return r.DestinationIPv6CIDR
	default:
		return r.DestinationPrefixListID
	}
}

// NATGateway is one NAT gateway.
type NATGateway struct {
	ID       string
	VPCID    string
	SubnetID string
	State    string
}

// Endpoint is one VPC endpoint.
type Endpoint struct {
	ID                string
	ServiceName       string // com.amazonaws.<region>.<service>
	Type              string // Gateway | Interface | ...
	State             string
	PrivateDNSEnabled bool
	SecurityGroupIDs  []string
	SubnetIDs         []string
	RouteTableIDs     []string
}

// FlowLog is one VPC flow log.
type FlowLog struct {
	ID                 string
	ResourceID         string
	TrafficType        string
	DestinationType    string // cloud-watch-logs | s3 | kinesis-data-firehose
	LogGroupName       string
	LogDestination     string
	DeliverLogsStatus  string
	DeliverLogsRoleARN string
}

// LogGroup is a CloudWatch Logs group.
type LogGroup struct {
	Name            string
	ARN             string
	KMSKeyID        string
	RetentionInDays int32
}

// ---- collect

func hasVPC(o Outputs) bool { return o.VPCID != "" }

// vpcFilters select the outputs' VPC.
func vpcFilters(s *Snapshot) []ec2types.Filter {
	return []ec2types.Filter{filter("vpc-id", s.Outputs.VPCID)}
}

// describeVPC hands f every item a VPC-wide describe call lists; what names the items in its error.
func describeVPC[Out, T any](ctx context.Context, s *Snapshot, what string, p pager[Out, ec2.Options], items func(*Out) []T,
	f func(T)) error {
	err := each(ctx, p, items, func(it T) error {
		f(it)
		return nil
	})
	if err != nil {
		return fmt.Errorf("describe %s of %s: %w", what, s.Outputs.VPCID, err)
	}
	return nil
}

func (c *clients) vpc(ctx context.Context, s *Snapshot) error {
	id := s.Outputs.VPCID
	resp, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: vpcFilters(s)})
	if err != nil {
		return fmt.Errorf("describe vpc %s: %w", id, err)
	}
	if len(resp.Vpcs) == 0 {
		return nil
	}
	v := resp.Vpcs[0]
	vpc := &VPC{ID: aws.ToString(v.VpcId), CIDRBlock: aws.ToString(v.CidrBlock), Tags: ec2Tags(v.Tags)}
	support, err := c.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{
		VpcId: aws.String(id), Attribute: ec2types.VpcAttributeNameEnableDnsSupport})
	if err != nil {
		return fmt.Errorf("describe vpc %s attribute enableDnsSupport: %w", id, err)
	}
	if support.EnableDnsSupport != nil {
		vpc.EnableDNSSupport = aws.ToBool(support.EnableDnsSupport.Value)
	}
	hostnames, err := c.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{
		VpcId: aws.String(id), Attribute: ec2types.VpcAttributeNameEnableDnsHostnames})
	if err != nil {
		return fmt.Errorf("describe vpc %s attribute enableDnsHostnames: %w", id, err)
	}
	if hostnames.EnableDnsHostnames != nil {
		vpc.EnableDNSHostnames = aws.ToBool(hostnames.EnableDnsHostnames.Value)
	}
	s.VPC = vpc
	return nil
}

func (c *clients) subnets(ctx context.Context, s *Snapshot) error {
	s.Subnets = map[string]Subnet{}
	return describeVPC(ctx, s, "subnets",
		ec2.NewDescribeSubnetsPaginator(c.ec2, &ec2.DescribeSubnetsInput{Filters: vpcFilters(s)}),
		func(o *ec2.DescribeSubnetsOutput) []ec2types.Subnet { return o.Subnets },
		func(sn ec2types.Subnet) {
			id := aws.ToString(sn.SubnetId)
			s.Subnets[id] = Subnet{
				ID:                  id,
				VPCID:               aws.ToString(sn.VpcId),
				AvailabilityZone:    aws.ToString(sn.AvailabilityZone),
				CIDRBlock:           aws.ToString(sn.CidrBlock),
				MapPublicIPOnLaunch: aws.ToBool(sn.MapPublicIpOnLaunch),
				Tags:                ec2Tags(sn.Tags),
			}
		})
}

func (c *clients) routeTables(ctx context.Context, s *Snapshot) error {
	s.RouteTables = map[string]RouteTable{}
	return describeVPC(ctx, s, "route tables",
		ec2.NewDescribeRouteTablesPaginator(c.ec2, &ec2.DescribeRouteTablesInput{Filters: vpcFilters(s)}),
		func(o *ec2.DescribeRouteTablesOutput) []ec2types.RouteTable { return o.RouteTables },
		func(rt ec2types.RouteTable) {
			t := RouteTable{ID: aws.ToString(rt.RouteTableId), VPCID: aws.ToString(rt.VpcId)}
			for _, a := range rt.Associations {
				if aws.ToBool(a.Main) {
					t.Main = true
				}
				if a.SubnetId != nil {
					t.SubnetIDs = append(t.SubnetIDs, aws.ToString(a.SubnetId))
				}
			}
			for _, r := range rt.Routes {
				t.Routes = append(t.Routes, Route{
					DestinationCIDR:         aws.ToString(r.DestinationCidrBlock),
					DestinationIPv6CIDR:     aws.ToString(r.DestinationIpv6CidrBlock),
					DestinationPrefixListID: aws.ToString(r.DestinationPrefixListId),
					GatewayID:               aws.ToString(r.GatewayId),
					NATGatewayID:            aws.ToString(r.NatGatewayId),
					TransitGatewayID:        aws.ToString(r.TransitGatewayId),
					NetworkInterfaceID:      aws.ToString(r.NetworkInterfaceId),
					VPCPeeringConnectionID:  aws.ToString(r.VpcPeeringConnectionId),
					InstanceID:              aws.ToString(r.InstanceId),
					EgressOnlyGatewayID:     aws.ToString(r.EgressOnlyInternetGatewayId),
					State:                   string(r.State),
				})
			}
			s.RouteTables[t.ID] = t
		})
}

func (c *clients) natGateways(ctx context.Context, s *Snapshot) error {
	s.NATGateways = map[string]NATGateway{}
	return describeVPC(ctx, s, "nat gateways",
		ec2.NewDescribeNatGatewaysPaginator(c.ec2, &ec2.DescribeNatGatewaysInput{Filter: vpcFilters(s)}),
		func(o *ec2.DescribeNatGatewaysOutput) []ec2types.NatGateway { return o.NatGateways },
		func(n ec2types.NatGateway) {
			if n.State != ec2types.NatGatewayStateDeleted {
				id := aws.ToString(n.NatGatewayId)
				s.NATGateways[id] = NATGateway{ID: id, VPCID: aws.ToString(n.VpcId),
					SubnetID: aws.ToString(n.SubnetId), State: string(n.State)}
			}
		})
}

func (c *clients) internetGateways(ctx context.Context, s *Snapshot) error {
	if err := describeVPC(ctx, s, "internet gateways",
		ec2.NewDescribeInternetGatewaysPaginator(c.ec2, &ec2.DescribeInternetGatewaysInput{
			Filters: []ec2types.Filter{filter("attachment.vpc-id", s.Outputs.VPCID)}}),
		func(o *ec2.DescribeInternetGatewaysOutput) []ec2types.InternetGateway { return o.InternetGateways },
		func(g ec2types.InternetGateway) {
			s.InternetGateways = append(s.InternetGateways, aws.ToString(g.InternetGatewayId))
		}); err != nil {
		return err
	}
	sort.Strings(s.InternetGateways)
	return nil
}

func (c *clients) endpoints(ctx context.Context, s *Snapshot) error {
	s.Endpoints = map[string]Endpoint{}
	return describeVPC(ctx, s, "vpc endpoints",
		ec2.NewDescribeVpcEndpointsPaginator(c.ec2, &ec2.DescribeVpcEndpointsInput{Filters: vpcFilters(s)}),
		func(o *ec2.DescribeVpcEndpointsOutput) []ec2types.VpcEndpoint { return o.VpcEndpoints },
		func(e ec2types.VpcEndpoint) {
			if strings.EqualFold(string(e.State), "deleted") {
				return
			}
			ep := Endpoint{
				ID:                aws.ToString(e.VpcEndpointId),
				ServiceName:       aws.ToString(e.ServiceName),
				Type:              string(e.VpcEndpointType),
				State:             string(e.State),
				PrivateDNSEnabled: aws.ToBool(e.PrivateDnsEnabled),
				SubnetIDs:         e.SubnetIds,
				RouteTableIDs:     e.RouteTableIds,
			}
			for _, g := range e.Groups {
				ep.SecurityGroupIDs = append(ep.SecurityGroupIDs, aws.ToString(g.GroupId))
			}
			s.Endpoints[ep.ID] = ep
		})
}

func (c *clients) flowLogs(ctx context.Context, s *Snapshot) error {
	return describeVPC(ctx, s, "flow logs",
		ec2.NewDescribeFlowLogsPaginator(c.ec2, &ec2.DescribeFlowLogsInput{
			Filter: []ec2types.Filter{filter("resource-id", s.Outputs.VPCID)}}),
		func(o *ec2.DescribeFlowLogsOutput) []ec2types.FlowLog { return o.FlowLogs },
		func(f ec2types.FlowLog) {
			s.FlowLogs = append(s.FlowLogs, FlowLog{
				ID:                 aws.ToString(f.FlowLogId),
				ResourceID:         aws.ToString(f.ResourceId),
				TrafficType:        string(f.TrafficType),
				DestinationType:    string(f.LogDestinationType),
				LogGroupName:       aws.ToString(f.LogGroupName),
				LogDestination:     aws.ToString(f.LogDestination),
				DeliverLogsStatus:  aws.ToString(f.DeliverLogsStatus),
				DeliverLogsRoleARN: aws.ToString(f.DeliverLogsPermissionArn),
			})
		})
}

func (c *clients) logGroup(ctx context.Context, s *Snapshot) error {
	name := s.Outputs.FlowLogGroupName
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(c.logs, &cloudwatchlogs.DescribeLogGroupsInput{
		LogGroupNamePrefix: aws.String(name)})
	for p.HasMorePages() { // stops at the group: the prefix may match many
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe log group %s: %w", name, err)
		}
		for _, g := range page.LogGroups {
			if aws.ToString(g.LogGroupName) != name {
				continue
			}
			s.LogGroup = &LogGroup{Name: name, ARN: aws.ToString(g.Arn), KMSKeyID: aws.ToString(g.KmsKeyId),
				RetentionInDays: aws.ToInt32(g.RetentionInDays)}
			return nil
		}
	}
	return nil
}

// ---- check

func (c *checker) vpc() {
	c.checks("vpc", "vpc.cidr", "vpc.dns_support", "vpc.dns_hostnames", "vpc.tags")
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
	c.checks("subnets.az_count", "subnets.tiers", "subnets.az", "subnets.cidr", "subnets.map_public_ip")
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
	c.checks("routes.public", "routes.private", "routes.database", "routes.associations")
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
	c.checks("nat.mode", "nat.placement", "nat.state")
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

func (c *checker) endpoints() {
	c.checks("endpoints.s3", "endpoints.interface", "endpoints.private_dns", "endpoints.security_group")
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

func (c *checker) flowLogs() {
	c.checks("flow_logs", "logs.kms")
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
	if min := c.w.MinLogRetentionDays; min > 0 {
		c.checks("logs.retention")
		if lg.RetentionInDays == 0 || int(lg.RetentionInDays) < min {
			c.fail("logs.retention", lg.Name, fmt.Sprintf("RetentionInDays=%d", lg.RetentionInDays), fmt.Sprintf("RetentionInDays >= %d", min))
		}
	}
}

// ---- leftovers

func networkLeftovers(ctx context.Context, l *leftovers) {
	tag := l.ec2Filters()
	find(ctx, l, "vpc", ec2.NewDescribeVpcsPaginator(l.ec2, &ec2.DescribeVpcsInput{Filters: tag}),
		func(o *ec2.DescribeVpcsOutput) []ec2types.Vpc { return o.Vpcs },
		func(v ec2types.Vpc) (string, bool, error) { return aws.ToString(v.VpcId), true, nil })
	find(ctx, l, "subnet", ec2.NewDescribeSubnetsPaginator(l.ec2, &ec2.DescribeSubnetsInput{Filters: tag}),
		func(o *ec2.DescribeSubnetsOutput) []ec2types.Subnet { return o.Subnets },
		func(s ec2types.Subnet) (string, bool, error) { return aws.ToString(s.SubnetId), true, nil })
	find(ctx, l, "nat-gateway", ec2.NewDescribeNatGatewaysPaginator(l.ec2, &ec2.DescribeNatGatewaysInput{Filter: tag}),
		func(o *ec2.DescribeNatGatewaysOutput) []ec2types.NatGateway { return o.NatGateways },
		func(n ec2types.NatGateway) (string, bool, error) {
			return aws.ToString(n.NatGatewayId), n.State != ec2types.NatGatewayStateDeleted, nil
		})
	find(ctx, l, "internet-gateway", ec2.NewDescribeInternetGatewaysPaginator(l.ec2, &ec2.DescribeInternetGatewaysInput{Filters: tag}),
		func(o *ec2.DescribeInternetGatewaysOutput) []ec2types.InternetGateway { return o.InternetGateways },
		func(g ec2types.InternetGateway) (string, bool, error) {
			return aws.ToString(g.InternetGatewayId), true, nil
		})
	find(ctx, l, "route-table", ec2.NewDescribeRouteTablesPaginator(l.ec2, &ec2.DescribeRouteTablesInput{Filters: tag}),
		func(o *ec2.DescribeRouteTablesOutput) []ec2types.RouteTable { return o.RouteTables },
		func(rt ec2types.RouteTable) (string, bool, error) { return aws.ToString(rt.RouteTableId), true, nil })
	find(ctx, l, "network-acl", ec2.NewDescribeNetworkAclsPaginator(l.ec2, &ec2.DescribeNetworkAclsInput{Filters: tag}),
		func(o *ec2.DescribeNetworkAclsOutput) []ec2types.NetworkAcl { return o.NetworkAcls },
		func(a ec2types.NetworkAcl) (string, bool, error) {
			return aws.ToString(a.NetworkAclId), !aws.ToBool(a.IsDefault), nil // the default goes with its VPC
		})
	find(ctx, l, "vpc-endpoint", ec2.NewDescribeVpcEndpointsPaginator(l.ec2, &ec2.DescribeVpcEndpointsInput{Filters: tag}),
		func(o *ec2.DescribeVpcEndpointsOutput) []ec2types.VpcEndpoint { return o.VpcEndpoints },
		func(e ec2types.VpcEndpoint) (string, bool, error) {
			s := strings.ToLower(string(e.State))
			return aws.ToString(e.VpcEndpointId), s != "deleted" && s != "deleting", nil
		})
	l.run("elastic-ip", func() error { // DescribeAddresses is not paginated
		resp, err := l.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: tag})
		if err != nil {
			return err
		}
		for _, a := range resp.Addresses {
			l.add("elastic-ip", aws.ToString(a.AllocationId))
		}
		return nil
	})
	find(ctx, l, "flow-log", ec2.NewDescribeFlowLogsPaginator(l.ec2, &ec2.DescribeFlowLogsInput{Filter: tag}),
		func(o *ec2.DescribeFlowLogsOutput) []ec2types.FlowLog { return o.FlowLogs },
		func(f ec2types.FlowLog) (string, bool, error) { return aws.ToString(f.FlowLogId), true, nil })
}
