package verify

// Snapshot is everything Check needs, read from the live API by Collect. It is plain data, so tests can build
// one by hand (or decode one from JSON) and mutate it to prove each check fails.
// Maps are keyed by resource ID; a nil pointer means the resource was not found (or had no output to find it by).
type Snapshot struct {
	// Outputs are the root outputs the snapshot was collected from; they name the role of each resource.
	Outputs Outputs

	VPC              *VPC
	Subnets          map[string]Subnet
	RouteTables      map[string]RouteTable
	NATGateways      map[string]NATGateway
	InternetGateways []string // IDs of internet gateways attached to the VPC
	Endpoints        map[string]Endpoint
	SecurityGroups   map[string]SecurityGroup // every security group in the VPC, the default one included
	FlowLogs         []FlowLog                // flow logs whose resource is the VPC

	LaunchTemplate   *LaunchTemplate
	AutoScalingGroup *AutoScalingGroup
	LoadBalancer     *LoadBalancer
	TargetGroup      *TargetGroup

	LogGroup *LogGroup         // the flow log group
	KMSKeys  map[string]KMSKey // keyed by the key ARN as reported in the outputs
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

// SecurityGroup is one security group with its rules.
type SecurityGroup struct {
	ID      string
	Name    string
	VPCID   string
	Ingress []Rule
	Egress  []Rule
}

// Rule is one IP permission: a protocol and port range from (or to) a set of sources.
type Rule struct {
	Protocol       string // "tcp", "udp", "icmp", "-1" (all)
	FromPort       int32
	ToPort         int32
	CIDRs          []string // IPv4 and IPv6
	SourceGroupIDs []string
	PrefixListIDs  []string
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

// LaunchTemplate holds the versions the stack can launch from: the default and the latest (one entry when equal).
type LaunchTemplate struct {
	ID             string
	Name           string
	DefaultVersion int64
	LatestVersion  int64
	Versions       []LaunchTemplateVersion
}

// LaunchTemplateVersion is the launch data of one version.
type LaunchTemplateVersion struct {
	Version                 int64
	InstanceType            string
	ImageID                 string
	HTTPTokens              string
	HTTPPutResponseHopLimit int32
	HTTPEndpoint            string
	MonitoringEnabled       bool
	NetworkInterfaces       []NetworkInterface
	BlockDevices            []BlockDevice
}

// NetworkInterface is a network interface of a launch template.
type NetworkInterface struct {
	DeviceIndex              int32
	AssociatePublicIPAddress bool
	SecurityGroupIDs         []string
}

// BlockDevice is a block device mapping of a launch template.
type BlockDevice struct {
	DeviceName string
	EBS        bool // false for instance-store or NoDevice mappings
	Encrypted  bool
	KMSKeyID   string
	VolumeType string
}

// AutoScalingGroup is the stack's Auto Scaling group.
type AutoScalingGroup struct {
	Name                   string
	MinSize                int32
	MaxSize                int32
	DesiredCapacity        int32
	HealthCheckType        string
	HealthCheckGracePeriod int32
	SubnetIDs              []string
	TargetGroupARNs        []string
	LaunchTemplateID       string
	LaunchTemplateVersion  string
	MixedInstances         bool
	Tags                   []ASGTag
}

// ASGTag is a tag of an Auto Scaling group.
type ASGTag struct {
	Key               string
	Value             string
	PropagateAtLaunch bool
}

// LoadBalancer is the stack's application load balancer with its attributes and listeners.
type LoadBalancer struct {
	ARN              string
	Type             string
	Scheme           string
	VPCID            string
	SubnetIDs        []string
	SecurityGroupIDs []string
	Attributes       map[string]string
	Listeners        []Listener
}

// Listener is one ALB listener.
type Listener struct {
	ARN            string
	Port           int32
	Protocol       string
	SSLPolicy      string
	DefaultActions []Action
}

// Action is a listener default action.
type Action struct {
	Type             string // forward | redirect | fixed-response | ...
	TargetGroupARNs  []string
	RedirectProtocol string
	RedirectPort     string
	RedirectStatus   string // HTTP_301 | HTTP_302
}

// TargetGroup is the stack's target group.
type TargetGroup struct {
	ARN                 string
	Protocol            string
	Port                int32
	VPCID               string
	TargetType          string
	HealthCheckEnabled  bool
	HealthCheckPath     string
	HealthCheckProtocol string
	HealthCheckPort     string
	Matcher             string
}

// LogGroup is a CloudWatch Logs group.
type LogGroup struct {
	Name            string
	ARN             string
	KMSKeyID        string
	RetentionInDays int32
}

// KMSKey is a KMS key and its rotation status.
type KMSKey struct {
	ID              string
	ARN             string
	State           string
	Manager         string
	RotationEnabled bool
}
