package verify

import (
	"slices"
	"strings"
	"testing"
)

// Shared fixtures of the package tests: the outputs, snapshots and expectations the check tests mutate.

const (
	albARN   = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/ec2stack-dev/50dc6c495c0c9188"
	tgARN    = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ec2stack-dev/73e2d6bc24d8a067"
	ebsKey   = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
	logsKey  = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"
	ltID     = "lt-0123456789abcdef0"
	logGroup = "/ec2stack-dev/vpc-flow-logs"

	// The optional features (fullSnapshot).
	dataKey     = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333"
	snsKey      = "arn:aws:kms:us-east-1:123456789012:key/44444444-4444-4444-4444-444444444444"
	topicARN    = "arn:aws:sns:us-east-1:123456789012:ec2stack-prod-alerts"
	cfACLARN    = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ec2stack-prod-cloudfront/aaaa-1111"
	albACLARN   = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ec2stack-prod-alb/bbbb-2222"
	albCertARN  = "arn:aws:acm:us-east-1:123456789012:certificate/alb-1"
	albLogs     = "ec2stack-prod-alb-logs-123456789012"
	cfLogs      = "ec2stack-prod-cloudfront-logs-123456789012"
	distID      = "E2QWRUHEXAMPLE"
	distDomain  = "d111111abcdef8.cloudfront.net"
	appFQDN     = "app.example.com"
	hstsPolicy  = "rhp-1"
	warnAlarm   = "ec2stack-prod-cpu-warning"
	critAlarm   = "ec2stack-prod-5xx-critical"
	secretARN   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1"
	topicPolicy = `{"Version":"2012-10-17","Statement":[
		{"Sid":"cw","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"*"},
		{"Sid":"ev","Effect":"Allow","Principal":{"Service":["events.amazonaws.com"]},"Action":["sns:Publish"],"Resource":"*"}]}`
	bucketPolicy = `{"Version":"2012-10-17","Statement":{"Sid":"tls","Effect":"Deny","Principal":"*","Action":"s3:*",
		"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`
)

// goodOutputs is what testdata/outputs.json decodes to: the outputs of a healthy dev environment.
func goodOutputs() Outputs {
	return Outputs{
		Environment:              "dev",
		Region:                   "us-east-1",
		VPCID:                    "vpc-1",
		VPCCIDRBlock:             "10.0.0.0/16",
		AvailabilityZones:        []string{"us-east-1a", "us-east-1b"},
		PublicSubnetIDs:          map[string]string{"us-east-1a": "subnet-pub-a", "us-east-1b": "subnet-pub-b"},
		PrivateSubnetIDs:         map[string]string{"us-east-1a": "subnet-prv-a", "us-east-1b": "subnet-prv-b"},
		DatabaseSubnetIDs:        map[string]string{"us-east-1a": "subnet-db-a", "us-east-1b": "subnet-db-b"},
		NATGatewayIDs:            map[string]string{"shared": "nat-shared"},
		PublicRouteTableID:       "rtb-pub",
		PrivateRouteTableIDs:     map[string]string{"us-east-1a": "rtb-prv-a", "us-east-1b": "rtb-prv-b"},
		DatabaseRouteTableID:     "rtb-db",
		VPCEndpointIDs:           map[string]string{"s3": "vpce-s3", "ec2": "vpce-ec2", "ssm": "vpce-ssm", "ssmmessages": "vpce-ssmmessages", "ec2messages": "vpce-ec2messages"},
		FlowLogGroupName:         logGroup,
		ALBSecurityGroupID:       "sg-alb",
		AppSecurityGroupID:       "sg-app",
		DatabaseSecurityGroupID:  "sg-db",
		EndpointsSecurityGroupID: "sg-endpoints",
		AppPort:                  8080,
		DatabasePort:             5432,
		SSHAuthorizedCIDRs:       []string{"203.0.113.0/24"},
		EBSKMSKeyARN:             ebsKey,
		LogsKMSKeyARN:            logsKey,
		InstanceRoleName:         "ec2stack-dev-app",
		InstanceProfileName:      "ec2stack-dev-app",
		LaunchTemplateID:         ltID,
		AutoScalingGroupName:     "ec2stack-dev-app",
		ALBARN:                   albARN,
		ALBDNSName:               "ec2stack-dev-1.us-east-1.elb.amazonaws.com",
		TargetGroupARN:           tgARN,
		InstanceType:             "t3.small",
		ASGMinSize:               1,
		ASGMaxSize:               3,
		ASGDesiredCapacity:       1,
	}
}

// devExpectations are the dev values of the spec, as the e2e test fills them.
func devExpectations() Expectations {
	return Expectations{
		Environment:   "dev",
		VPCCIDR:       "10.0.0.0/16",
		AZCount:       2,
		InstanceType:  "t3.small",
		MinSize:       1,
		MaxSize:       3,
		NATMode:       NATSingle,
		HTTPSListener: true,
	}
}

func local() Route { return Route{DestinationCIDR: "10.0.0.0/16", GatewayID: "local", State: "active"} }

func tcp(port int32, cidrs []string, groups ...string) Rule {
	return Rule{Protocol: "tcp", FromPort: port, ToPort: port, CIDRs: cidrs, SourceGroupIDs: groups}
}

// goodSnapshot is a healthy dev environment: Check finds nothing wrong with it.
func goodSnapshot() *Snapshot {
	sub := func(id, az, cidr string) Subnet {
		return Subnet{ID: id, VPCID: "vpc-1", AvailabilityZone: az, CIDRBlock: cidr}
	}
	iface := func(svc string) Endpoint {
		return Endpoint{ID: "vpce-" + svc, ServiceName: "com.amazonaws.us-east-1." + svc, Type: "Interface",
			State: "available", PrivateDNSEnabled: true, SecurityGroupIDs: []string{"sg-endpoints"},
			SubnetIDs: []string{"subnet-prv-a", "subnet-prv-b"}}
	}
	s3Route := Route{DestinationPrefixListID: "pl-63a5400a", GatewayID: "vpce-s3", State: "active"}
	natRoute := Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-shared", State: "active"}
	return &Snapshot{
		Outputs: goodOutputs(),
		NetworkSnapshot: NetworkSnapshot{
			VPC: &VPC{ID: "vpc-1", CIDRBlock: "10.0.0.0/16", EnableDNSSupport: true, EnableDNSHostnames: true,
				Tags: map[string]string{"Environment": "dev", "Project": "ec2stack", "ManagedBy": "terraform"}},
			Subnets: map[string]Subnet{
				"subnet-pub-a": sub("subnet-pub-a", "us-east-1a", "10.0.0.0/24"),
				"subnet-pub-b": sub("subnet-pub-b", "us-east-1b", "10.0.1.0/24"),
				"subnet-prv-a": sub("subnet-prv-a", "us-east-1a", "10.0.10.0/24"),
				"subnet-prv-b": sub("subnet-prv-b", "us-east-1b", "10.0.11.0/24"),
				"subnet-db-a":  sub("subnet-db-a", "us-east-1a", "10.0.20.0/24"),
				"subnet-db-b":  sub("subnet-db-b", "us-east-1b", "10.0.21.0/24"),
			},
			RouteTables: map[string]RouteTable{
				"rtb-main": {ID: "rtb-main", VPCID: "vpc-1", Main: true, Routes: []Route{local()}},
				"rtb-pub": {ID: "rtb-pub", VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub-a", "subnet-pub-b"},
					Routes: []Route{local(), {DestinationCIDR: "0.0.0.0/0", GatewayID: "igw-1", State: "active"}}},
				"rtb-prv-a": {ID: "rtb-prv-a", VPCID: "vpc-1", SubnetIDs: []string{"subnet-prv-a"},
					Routes: []Route{local(), natRoute, s3Route}},
				"rtb-prv-b": {ID: "rtb-prv-b", VPCID: "vpc-1", SubnetIDs: []string{"subnet-prv-b"},
					Routes: []Route{local(), natRoute, s3Route}},
				"rtb-db": {ID: "rtb-db", VPCID: "vpc-1", SubnetIDs: []string{"subnet-db-a", "subnet-db-b"},
					Routes: []Route{local()}},
			},
			NATGateways: map[string]NATGateway{
				"nat-shared": {ID: "nat-shared", VPCID: "vpc-1", SubnetID: "subnet-pub-a", State: "available"},
			},
			InternetGateways: []string{"igw-1"},
			Endpoints: map[string]Endpoint{
				"vpce-s3": {ID: "vpce-s3", ServiceName: "com.amazonaws.us-east-1.s3", Type: "Gateway", State: "available",
					RouteTableIDs: []string{"rtb-prv-a", "rtb-prv-b"}},
				"vpce-ec2":         iface("ec2"),
				"vpce-ssm":         iface("ssm"),
				"vpce-ssmmessages": iface("ssmmessages"),
				"vpce-ec2messages": iface("ec2messages"),
			},
			FlowLogs: []FlowLog{{ID: "fl-1", ResourceID: "vpc-1", TrafficType: "ALL", DestinationType: "cloud-watch-logs",
				LogGroupName: logGroup, DeliverLogsStatus: "SUCCESS"}},
			LogGroup: &LogGroup{Name: logGroup, ARN: "arn:aws:logs:us-east-1:123456789012:log-group:" + logGroup,
				KMSKeyID: logsKey, RetentionInDays: 30},
		},
		ComputeSnapshot: ComputeSnapshot{
			LaunchTemplate: &LaunchTemplate{ID: ltID, Name: "ec2stack-dev-app", DefaultVersion: 1, LatestVersion: 1,
				Versions: []LaunchTemplateVersion{{
					Version: 1, InstanceType: "t3.small", ImageID: "ami-1", HTTPTokens: "required",
					HTTPPutResponseHopLimit: 1, HTTPEndpoint: "enabled", MonitoringEnabled: true,
					NetworkInterfaces: []NetworkInterface{{DeviceIndex: 0, SecurityGroupIDs: []string{"sg-app"}}},
					BlockDevices: []BlockDevice{{DeviceName: "/dev/xvda", EBS: true, Encrypted: true, KMSKeyID: ebsKey,
						VolumeType: "gp3"}},
				}}},
			AutoScalingGroup: &AutoScalingGroup{Name: "ec2stack-dev-app", MinSize: 1, MaxSize: 3, DesiredCapacity: 1,
				HealthCheckType: "ELB", HealthCheckGracePeriod: 300, SubnetIDs: []string{"subnet-prv-b", "subnet-prv-a"},
				TargetGroupARNs: []string{tgARN}, LaunchTemplateID: ltID, LaunchTemplateVersion: "1",
				Tags: []ASGTag{{Key: "Environment", Value: "dev", PropagateAtLaunch: true},
					{Key: "Project", Value: "ec2stack", PropagateAtLaunch: true}}},
			LoadBalancer: &LoadBalancer{ARN: albARN, Type: "application", Scheme: "internet-facing", VPCID: "vpc-1",
				SubnetIDs: []string{"subnet-pub-a", "subnet-pub-b"}, SecurityGroupIDs: []string{"sg-alb"},
				Attributes: map[string]string{
					"routing.http.drop_invalid_header_fields.enabled": "true",
					"routing.http.desync_mitigation_mode":             "defensive",
					"deletion_protection.enabled":                     "false",
				},
				Listeners: []Listener{
					{ARN: "listener-80", Port: 80, Protocol: "HTTP", DefaultActions: []Action{{Type: "redirect",
						RedirectProtocol: "HTTPS", RedirectPort: "443", RedirectStatus: "HTTP_301"}}},
					{ARN: "listener-443", Port: 443, Protocol: "HTTPS", SSLPolicy: TLSPolicy, CertificateARN: albCertARN,
						DefaultActions: []Action{{Type: "forward", TargetGroupARNs: []string{tgARN}}}},
				}},
			TargetGroup: &TargetGroup{ARN: tgARN, Protocol: "HTTP", Port: 8080, VPCID: "vpc-1", TargetType: "instance",
				HealthCheckEnabled: true, HealthCheckPath: "/health", HealthCheckProtocol: "HTTP",
				HealthCheckPort: "traffic-port", Matcher: "200"},
		},
		SecuritySnapshot: SecuritySnapshot{
			SecurityGroups: map[string]SecurityGroup{
				"sg-default": {ID: "sg-default", Name: "default", VPCID: "vpc-1"},
				"sg-alb": {ID: "sg-alb", Name: "ec2stack-dev-alb", VPCID: "vpc-1",
					Ingress: []Rule{tcp(80, []string{"0.0.0.0/0"}), tcp(443, []string{"0.0.0.0/0"})},
					Egress:  []Rule{tcp(8080, nil, "sg-app")}},
				"sg-app": {ID: "sg-app", Name: "ec2stack-dev-app", VPCID: "vpc-1",
					Ingress: []Rule{tcp(8080, nil, "sg-alb"), tcp(22, []string{"203.0.113.0/24"})},
					Egress:  []Rule{tcp(443, []string{"0.0.0.0/0"}), tcp(5432, nil, "sg-db")}},
				"sg-db": {ID: "sg-db", Name: "ec2stack-dev-db", VPCID: "vpc-1",
					Ingress: []Rule{tcp(5432, nil, "sg-app")}},
				"sg-endpoints": {ID: "sg-endpoints", Name: "ec2stack-dev-endpoints", VPCID: "vpc-1",
					Ingress: []Rule{tcp(443, nil, "sg-app")}},
			},
			KMSKeys: map[string]KMSKey{
				ebsKey:  {ID: KeyID(ebsKey), ARN: ebsKey, State: "Enabled", Manager: "CUSTOMER", RotationEnabled: true},
				logsKey: {ID: KeyID(logsKey), ARN: logsKey, State: "Enabled", Manager: "CUSTOMER", RotationEnabled: true},
			},
		},
	}
}

// fullExpectations are prod-like expectations with every optional feature on.
func fullExpectations() Expectations {
	w := devExpectations()
	yes := true
	w.Database = &DatabaseExpectations{Engine: "postgres", MultiAZ: true, DeletionProtection: true, BackupRetentionDays: 14,
		ReadReplica: true}
	w.BackupRetentionDays = 35
	w.Alerts, w.Dashboard, w.AccessLogs, w.OffHours = true, true, true, &yes
	w.Edge = &EdgeExpectations{CloudFront: true, WAF: true, Domain: true}
	w.DetailedMonitoring = &yes
	return w
}

// fullSnapshot is goodSnapshot with every optional feature deployed and healthy.
func fullSnapshot() *Snapshot {
	s := goodSnapshot()
	o := &s.Outputs
	o.DatabaseInstanceID, o.DatabaseReplicaID = "ec2stack-prod-db", "ec2stack-prod-db-replica"
	o.DataKMSKeyARN, o.SNSKMSKeyARN, o.SNSTopicARN = dataKey, snsKey, topicARN
	o.AlarmNames = map[string]string{"cpu_warning": warnAlarm, "alb_5xx_critical": critAlarm}
	o.DashboardName = "ec2stack-prod"
	o.BackupVaultName, o.BackupPlanID = "ec2stack-prod", "plan-1"
	o.ALBLogsBucket, o.CloudFrontLogsBucket = albLogs, cfLogs
	o.CloudFrontDistributionID, o.CloudFrontWebACLARN, o.RegionalWebACLARN = distID, cfACLARN, albACLARN
	o.HostedZoneID, o.FQDN = "Z0123456789", appFQDN

	s.KMSKeys[dataKey] = KMSKey{ID: KeyID(dataKey), ARN: dataKey, State: "Enabled", Manager: "CUSTOMER", RotationEnabled: true}
	s.KMSKeys[snsKey] = KMSKey{ID: KeyID(snsKey), ARN: snsKey, State: "Enabled", Manager: "CUSTOMER", RotationEnabled: true}

	db := func(id string) *DBInstance {
		return &DBInstance{ID: id, Status: "available", Engine: "postgres", StorageEncrypted: true, KMSKeyID: dataKey,
			SecurityGroupIDs: []string{"sg-db"}, SubnetGroupName: "ec2stack-prod", SubnetIDs: []string{"subnet-db-a", "subnet-db-b"},
			IAMAuthentication: true, CopyTagsToSnapshot: true, AutoMinorVersionUpgrade: true, LogExports: []string{"postgresql"}}
	}
	s.Database = db("ec2stack-prod-db")
	s.Database.BackupRetentionPeriod, s.Database.MultiAZ, s.Database.DeletionProtection = 14, true, true
	s.Database.MasterUserSecretARN, s.Database.MasterUserSecretKMSKeyID = secretARN, KeyID(dataKey)
	s.Database.PerformanceInsights, s.Database.PerformanceInsightsKMSKey = true, dataKey
	s.Database.MonitoringInterval, s.Database.MonitoringRoleARN = 60, "arn:aws:iam::123456789012:role/rds-monitoring"
	s.DatabaseReplica = db("ec2stack-prod-db-replica")
	s.DatabaseReplica.ReplicaSourceID = "ec2stack-prod-db"

	s.BackupVault = &BackupVault{Name: "ec2stack-prod", EncryptionKeyARN: dataKey}
	s.BackupPlan = &BackupPlan{ID: "plan-1", Name: "ec2stack-prod", Rules: []BackupRule{
		{Name: "daily", TargetVault: "ec2stack-prod", DeleteAfterDays: 35},
		{Name: "weekly", TargetVault: "ec2stack-prod", DeleteAfterDays: 90},
		{Name: "monthly", TargetVault: "ec2stack-prod", DeleteAfterDays: 365},
	}}

	s.Topic = &Topic{ARN: topicARN, KMSMasterKeyID: "alias/ec2stack-prod-sns", KMSKeyARN: snsKey, Policy: topicPolicy}
	s.Alarms = map[string]Alarm{
		warnAlarm: {Name: warnAlarm, ActionsEnabled: true, AlarmActions: []string{topicARN}},
		critAlarm: {Name: critAlarm, ActionsEnabled: true, AlarmActions: []string{topicARN}, OKActions: []string{topicARN}},
	}
	s.Dashboard = &Dashboard{Name: "ec2stack-prod"}

	s.LoadBalancer.Attributes["access_logs.s3.enabled"] = "true"
	s.LoadBalancer.Attributes["access_logs.s3.bucket"] = albLogs
	s.LoadBalancer.WebACLARN = albACLARN
	bucket := func(name string) Bucket {
		return Bucket{Name: name, BlockPublicACLs: true, IgnorePublicACLs: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
			Versioning: "Enabled", Encryption: []string{"AES256"}, Policy: bucketPolicy,
			Lifecycle: []LifecycleRule{{ID: "expire", Enabled: true}, {ID: "abort", Enabled: true, AbortIncompleteUploadDays: 7}}}
	}
	s.Buckets = map[string]Bucket{albLogs: bucket(albLogs), cfLogs: bucket(cfLogs)}

	g := s.SecurityGroups["sg-alb"]
	g.Ingress = []Rule{{Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIDs: []string{"pl-3b927c52"}}}
	s.SecurityGroups["sg-alb"] = g
	s.Certificates = map[string]Certificate{albCertARN: {ARN: albCertARN, Names: []string{appFQDN, "origin." + appFQDN}}}

	s.Distribution = &Distribution{ID: distID, DomainName: distDomain, Enabled: true, Aliases: []string{appFQDN},
		WebACLID: cfACLARN, LoggingEnabled: true, LoggingBucket: cfLogs + ".s3.amazonaws.com",
		Behaviors: []CacheBehavior{
			{TargetOriginID: "alb", ViewerProtocolPolicy: "redirect-to-https", ResponseHeadersPolicyID: hstsPolicy},
			{PathPattern: "/static/*", TargetOriginID: "alb", ViewerProtocolPolicy: "https-only", ResponseHeadersPolicyID: hstsPolicy},
		},
		Origins: []Origin{{ID: "alb", DomainName: "origin." + appFQDN, Custom: true, OriginProtocolPolicy: "https-only",
			SSLProtocols: []string{"TLSv1.2"}}},
		Certificate: ViewerCertificate{ACMCertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/c-1",
			SSLSupportMethod: "sni-only", MinimumProtocolVersion: CloudFrontTLSPolicy},
		ResponseHeadersPolicies: map[string]ResponseHeadersPolicy{
			hstsPolicy: {ID: hstsPolicy, Name: "ec2stack-prod-security", StrictTransportSecurity: true, HSTSMaxAgeSeconds: 63072000}},
	}
	acl := func(arn, name, scope string) WebACL {
		return WebACL{ARN: arn, Name: name, Scope: scope, DefaultAction: "allow", Rules: []WAFRule{
			{Name: "common", Priority: 1, ManagedGroup: "AWS/AWSManagedRulesCommonRuleSet", OverrideNone: true},
			{Name: "bad-inputs", Priority: 2, ManagedGroup: "AWS/AWSManagedRulesKnownBadInputsRuleSet", OverrideNone: true},
			{Name: "ip-reputation", Priority: 3, ManagedGroup: "AWS/AWSManagedRulesAmazonIpReputationList", OverrideNone: true},
			{Name: "rate", Priority: 4, RateBased: true, RateLimit: 2000, ActionBlocked: true},
		}}
	}
	// Behind CloudFront the ALB's web ACL keeps only the rules that do not judge the source address.
	regional := acl(albACLARN, "ec2stack-prod-alb", "REGIONAL")
	regional.Rules = regional.Rules[:2]
	s.WebACLs = map[string]WebACL{
		cfACLARN:  acl(cfACLARN, "ec2stack-prod-cloudfront", "CLOUDFRONT"),
		albACLARN: regional,
	}
	s.HostedZone = &HostedZone{ID: "Z0123456789", Name: "example.com", Records: []DNSRecord{
		{Name: appFQDN, Type: "A", AliasDNSName: distDomain, AliasZoneID: "Z2FDTNDATAQYW2"},
		{Name: appFQDN, Type: "AAAA", AliasDNSName: distDomain, AliasZoneID: "Z2FDTNDATAQYW2"},
	}}

	three, zero := int32(3), int32(0)
	s.AutoScalingGroup.ScheduledActions = []ScheduledAction{
		{Name: "ec2stack-prod-off-hours-down", Recurrence: "0 19 * * MON-FRI", MinSize: &zero, MaxSize: &zero, DesiredCapacity: &zero},
		{Name: "ec2stack-prod-off-hours-up", Recurrence: "0 7 * * MON-FRI", MinSize: &three, MaxSize: &three, DesiredCapacity: &three},
	}
	return s
}

// editEntry changes the value stored under key in m through f (map values are not addressable).
func editEntry[V any](m map[string]V, key string, f func(*V)) {
	v := m[key]
	f(&v)
	m[key] = v
}

// devBase and fullBase are what the check tests mutate: a healthy dev environment, and one with every optional
// feature deployed.
func devBase() (*Snapshot, Expectations)  { return goodSnapshot(), devExpectations() }
func fullBase() (*Snapshot, Expectations) { return fullSnapshot(), fullExpectations() }

// goodCase changes a base in a way Check must accept.
type goodCase struct {
	name   string
	mutate func(s *Snapshot, w *Expectations)
}

// checkGood runs each case on a fresh base and wants no failure.
func checkGood(t *testing.T, base func() (*Snapshot, Expectations), tests []goodCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := base()
			tt.mutate(s, &w)
			for _, f := range Check(s, w) {
				t.Errorf("unexpected failure: %v", f)
			}
		})
	}
}

// failCase changes a base in a way Check must report.
type failCase struct {
	name     string
	mutate   func(s *Snapshot, w *Expectations)
	check    string // the failure's Check
	resource string // substring of its Resource
	got      string // substring of its Got
}

// checkFails runs each case on a fresh base and wants the failure it names, with a Want and an Error naming
// check and resource.
func checkFails(t *testing.T, base func() (*Snapshot, Expectations), tests []failCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := base()
			tt.mutate(s, &w)
			result := Run(s, w)
			failures := result.Failures()
			for _, d := range result.Domains {
				for _, f := range d.Failures {
					if !slices.Contains(d.Checks, f.Check) {
						t.Errorf("failure %v is of a check the %s domain does not say it ran (c.checks)", f, d.Name)
					}
				}
			}
			for _, f := range failures {
				if f.Check == tt.check && strings.Contains(f.Resource, tt.resource) && strings.Contains(f.Got, tt.got) {
					if f.Want == "" {
						t.Errorf("failure %v has no Want", f)
					}
					if !strings.Contains(f.Error(), f.Resource) || !strings.HasPrefix(f.Error(), f.Check+": ") {
						t.Errorf("Error() = %q does not name check and resource", f.Error())
					}
					return
				}
			}
			t.Errorf("want a %s failure on %q with got containing %q; got %d failures:", tt.check, tt.resource, tt.got, len(failures))
			for _, f := range failures {
				t.Logf("  %v", f)
			}
		})
	}
}
