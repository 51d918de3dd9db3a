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

	Database        *DBInstance // the primary (database_instance_id)
	DatabaseReplica *DBInstance // the read replica (database_replica_id)

	BackupVault *BackupVault
	BackupPlan  *BackupPlan

	Topic     *Topic           // the alerts topic
	Alarms    map[string]Alarm // keyed by alarm name; only the alarms named in alarm_names
	Dashboard *Dashboard

	Buckets map[string]Bucket // the log buckets named in the outputs, keyed by bucket name

	Distribution *Distribution
	WebACLs      map[string]WebACL // keyed by the ARN as reported in the outputs
	HostedZone   *HostedZone
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
	ScheduledActions       []ScheduledAction
}

// ScheduledAction is a scheduled action of the Auto Scaling group.
type ScheduledAction struct {
	Name            string
	Recurrence      string // cron expression; "" for a one-off action
	MinSize         *int32
	MaxSize         *int32
	DesiredCapacity *int32
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
	// WebACLARN is the regional WAF web ACL associated with it ("" none); read only when the outputs name a
	// regional web ACL.
	WebACLARN string
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

// DBInstance is an RDS DB instance.
type DBInstance struct {
	ID                        string
	ARN                       string
	Status                    string
	Engine                    string
	EngineVersion             string
	StorageEncrypted          bool
	KMSKeyID                  string
	PubliclyAccessible        bool
	SecurityGroupIDs          []string
	SubnetGroupName           string
	SubnetIDs                 []string // of its DB subnet group
	IAMAuthentication         bool
	CopyTagsToSnapshot        bool
	AutoMinorVersionUpgrade   bool
	BackupRetentionPeriod     int32
	MultiAZ                   bool
	DeletionProtection        bool
	MasterUserSecretARN       string // "" = no RDS-managed master password
	MasterUserSecretKMSKeyID  string
	LogExports                []string // EnabledCloudwatchLogsExports
	PerformanceInsights       bool
	PerformanceInsightsKMSKey string
	MonitoringInterval        int32
	MonitoringRoleARN         string
	ReplicaSourceID           string // ReadReplicaSourceDBInstanceIdentifier (an identifier or ARN); "" for a primary
	Tags                      map[string]string
}

// BackupVault is an AWS Backup vault.
type BackupVault struct {
	Name             string
	ARN              string
	EncryptionKeyARN string
}

// BackupPlan is an AWS Backup plan with its rules.
type BackupPlan struct {
	ID    string
	Name  string
	Rules []BackupRule
}

// BackupRule is one rule of a backup plan.
type BackupRule struct {
	Name            string
	Schedule        string
	TargetVault     string
	DeleteAfterDays int64 // 0 = kept forever
}

// Topic is an SNS topic with the attributes the checks read.
type Topic struct {
	ARN            string
	KMSMasterKeyID string // as set on the topic: key id, key ARN or alias
	KMSKeyARN      string // KMSMasterKeyID resolved through KMS ("" when it could not be resolved)
	Policy         string // the topic policy JSON
}

// Alarm is a CloudWatch metric or composite alarm.
type Alarm struct {
	Name           string
	ActionsEnabled bool
	AlarmActions   []string
	OKActions      []string
}

// Dashboard is a CloudWatch dashboard.
type Dashboard struct {
	Name string
	ARN  string
}

// Bucket is an S3 bucket with its hardening settings.
type Bucket struct {
	Name                  string
	BlockPublicACLs       bool
	IgnorePublicACLs      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
	Versioning            string   // Enabled | Suspended | "" (never enabled)
	Encryption            []string // default encryption algorithms (AES256, aws:kms, ...); empty = none
	Lifecycle             []LifecycleRule
	Policy                string // the bucket policy JSON; "" = none
}

// LifecycleRule is one S3 lifecycle rule.
type LifecycleRule struct {
	ID                        string
	Enabled                   bool
	AbortIncompleteUploadDays int32 // 0 = no AbortIncompleteMultipartUpload
}

// Distribution is a CloudFront distribution.
type Distribution struct {
	ID             string
	ARN            string
	DomainName     string
	Enabled        bool
	Aliases        []string
	WebACLID       string // WAFv2 web ACL ARN
	LoggingEnabled bool
	LoggingBucket  string          // bucket domain name, e.g. logs.s3.amazonaws.com
	Behaviors      []CacheBehavior // the default behaviour first (PathPattern "")
	Origins        []Origin
	Certificate    ViewerCertificate
	// ResponseHeadersPolicies are the response headers policies the behaviours use, keyed by policy ID; a
	// policy that could not be read is absent.
	ResponseHeadersPolicies map[string]ResponseHeadersPolicy
}

// CacheBehavior is a cache behaviour of a distribution.
type CacheBehavior struct {
	PathPattern             string // "" for the default behaviour
	TargetOriginID          string
	ViewerProtocolPolicy    string // allow-all | redirect-to-https | https-only
	ResponseHeadersPolicyID string
}

// Origin is an origin of a distribution.
type Origin struct {
	ID                   string
	DomainName           string
	Custom               bool   // false for S3 origins
	OriginProtocolPolicy string // http-only | match-viewer | https-only (custom origins)
	SSLProtocols         []string
}

// ViewerCertificate is the certificate a distribution presents to viewers.
type ViewerCertificate struct {
	CloudFrontDefault      bool
	ACMCertificateARN      string
	SSLSupportMethod       string // sni-only | vip | static-ip
	MinimumProtocolVersion string
}

// ResponseHeadersPolicy is a CloudFront response headers policy (only what the checks read).
type ResponseHeadersPolicy struct {
	ID                      string
	Name                    string
	StrictTransportSecurity bool
	HSTSMaxAgeSeconds       int32
}

// WebACL is a WAFv2 web ACL and its rules.
type WebACL struct {
	ARN           string
	Name          string
	Scope         string // CLOUDFRONT | REGIONAL
	DefaultAction string // allow | block
	Rules         []WAFRule
}

// WAFRule is one rule of a web ACL.
type WAFRule struct {
	Name          string
	Priority      int32
	ManagedGroup  string // "<vendor>/<name>" of a managed rule group statement; "" otherwise
	OverrideNone  bool   // OverrideAction none (the rule group's own actions apply)
	RateBased     bool
	RateLimit     int64
	ActionBlocked bool // Action block (rules that are not rule groups)
}

// HostedZone is a Route 53 hosted zone with the records for the stack's name.
type HostedZone struct {
	ID      string // without the /hostedzone/ prefix
	Name    string
	Records []DNSRecord // the records whose name is the fqdn output
}

// DNSRecord is a Route 53 record set.
type DNSRecord struct {
	Name         string // without the trailing dot
	Type         string
	AliasDNSName string // without the trailing dot; "" when not an alias
	AliasZoneID  string
}
