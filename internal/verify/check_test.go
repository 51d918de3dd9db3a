package verify

import (
	"strings"
	"testing"
)

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
					{ARN: "listener-443", Port: 443, Protocol: "HTTPS", SSLPolicy: TLSPolicy,
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

func TestCheckGood(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *Snapshot, w *Expectations)
	}{
		{"dev expectations", func(*Snapshot, *Expectations) {}},
		{"zero expectations fall back to outputs", func(_ *Snapshot, w *Expectations) {
			*w = Expectations{HTTPSListener: true}
		}},
		{"no certificate: port 80 forwards", func(s *Snapshot, w *Expectations) {
			w.HTTPSListener = false
			s.LoadBalancer.Listeners = []Listener{{ARN: "listener-80", Port: 80, Protocol: "HTTP",
				DefaultActions: []Action{{Type: "forward", TargetGroupARNs: []string{tgARN}}}}}
		}},
		{"per-AZ NAT", func(s *Snapshot, w *Expectations) {
			w.NATMode = NATPerAZ
			s.Outputs.NATGatewayIDs = map[string]string{"us-east-1a": "nat-a", "us-east-1b": "nat-b"}
			s.NATGateways = map[string]NATGateway{
				"nat-a": {ID: "nat-a", VPCID: "vpc-1", SubnetID: "subnet-pub-a", State: "available"},
				"nat-b": {ID: "nat-b", VPCID: "vpc-1", SubnetID: "subnet-pub-b", State: "available"},
			}
			s.RouteTables["rtb-prv-a"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-a"}
			s.RouteTables["rtb-prv-b"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-b"}
		}},
		{"no SSH at all (prod)", func(s *Snapshot, w *Expectations) {
			w.SSHAllowedCIDRs = []string{}
			g := s.SecurityGroups["sg-app"]
			g.Ingress = g.Ingress[:1]
			s.SecurityGroups["sg-app"] = g
		}},
		{"KMS key ids compare with ARNs", func(s *Snapshot, _ *Expectations) {
			s.LaunchTemplate.Versions[0].BlockDevices[0].KMSKeyID = "11111111-1111-1111-1111-111111111111"
			s.LogGroup.KMSKeyID = strings.ToUpper(KeyID(logsKey))
		}},
		{"strictest desync mitigation", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Attributes["routing.http.desync_mitigation_mode"] = "strictest"
		}},
		{"health check on the app port", func(s *Snapshot, _ *Expectations) { s.TargetGroup.HealthCheckPort = "8080" }},
		{"flow log by destination ARN", func(s *Snapshot, _ *Expectations) {
			s.FlowLogs[0].LogGroupName = ""
			s.FlowLogs[0].LogDestination = "arn:aws:logs:us-east-1:123456789012:log-group:" + logGroup + ":*"
		}},
		{"instance-store block device ignored", func(s *Snapshot, _ *Expectations) {
			v := &s.LaunchTemplate.Versions[0]
			v.BlockDevices = append(v.BlockDevices, BlockDevice{DeviceName: "/dev/sdb"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := goodSnapshot(), devExpectations()
			tt.mutate(s, &w)
			for _, f := range Check(s, w) {
				t.Errorf("unexpected failure: %v", f)
			}
		})
	}
}

// editEntry changes the value stored under key in m through f (map values are not addressable).
func editEntry[V any](m map[string]V, key string, f func(*V)) {
	v := m[key]
	f(&v)
	m[key] = v
}

func TestCheckFails(t *testing.T) {
	sg := func(s *Snapshot, id string, f func(*SecurityGroup)) { editEntry(s.SecurityGroups, id, f) }
	subnet := func(s *Snapshot, id string, f func(*Subnet)) { editEntry(s.Subnets, id, f) }
	rt := func(s *Snapshot, id string, f func(*RouteTable)) { editEntry(s.RouteTables, id, f) }
	ep := func(s *Snapshot, id string, f func(*Endpoint)) { editEntry(s.Endpoints, id, f) }
	lt := func(s *Snapshot) *LaunchTemplateVersion { return &s.LaunchTemplate.Versions[0] }
	key := func(s *Snapshot, arn string, f func(*KMSKey)) { editEntry(s.KMSKeys, arn, f) }

	tests := []struct {
		name     string
		mutate   func(s *Snapshot, w *Expectations)
		check    string // the failure's Check
		resource string // substring of its Resource
		got      string // substring of its Got
	}{
		// VPC
		{"vpc missing", func(s *Snapshot, _ *Expectations) { s.VPC = nil }, "vpc", "vpc-1", "not found"},
		{"vpc cidr", func(s *Snapshot, _ *Expectations) { s.VPC.CIDRBlock = "10.9.0.0/16" }, "vpc.cidr", "vpc-1", "10.9.0.0/16"},
		{"vpc cidr not the spec's", func(_ *Snapshot, w *Expectations) { w.VPCCIDR = "10.1.0.0/16" }, "vpc.cidr", "vpc-1", "10.0.0.0/16"},
		{"dns support off", func(s *Snapshot, _ *Expectations) { s.VPC.EnableDNSSupport = false }, "vpc.dns_support", "vpc-1", "enableDnsSupport=false"},
		{"dns hostnames off", func(s *Snapshot, _ *Expectations) { s.VPC.EnableDNSHostnames = false }, "vpc.dns_hostnames", "vpc-1", "enableDnsHostnames=false"},
		{"vpc environment tag", func(s *Snapshot, _ *Expectations) { s.VPC.Tags["Environment"] = "prod" }, "vpc.tags", "vpc-1", "Environment=prod"},

		// Subnets
		{"fewer AZs than the spec", func(_ *Snapshot, w *Expectations) { w.AZCount = 3 }, "subnets.az_count", "availability_zones", "2"},
		{"tier missing an AZ", func(s *Snapshot, _ *Expectations) { delete(s.Outputs.DatabaseSubnetIDs, "us-east-1b") },
			"subnets.tiers", "database subnets", "1 [subnet-db-a]"},
		{"subnet not in the VPC", func(s *Snapshot, _ *Expectations) { delete(s.Subnets, "subnet-db-b") },
			"subnets.tiers", "subnet-db-b (database us-east-1b)", "not found"},
		{"subnet key not an AZ used", func(s *Snapshot, _ *Expectations) {
			s.Outputs.PublicSubnetIDs["us-east-1c"] = s.Outputs.PublicSubnetIDs["us-east-1b"]
			delete(s.Outputs.PublicSubnetIDs, "us-east-1b")
		}, "subnets.tiers", "subnet-pub-b (public us-east-1c)", "AZ key us-east-1c"},
		{"subnet in the wrong AZ", func(s *Snapshot, _ *Expectations) {
			subnet(s, "subnet-prv-b", func(sn *Subnet) { sn.AvailabilityZone = "us-east-1a" })
		}, "subnets.az", "subnet-prv-b", "us-east-1a"},
		{"two subnets of a tier in one AZ", func(s *Snapshot, _ *Expectations) {
			subnet(s, "subnet-prv-b", func(sn *Subnet) { sn.AvailabilityZone = "us-east-1a" })
		}, "subnets.az", "subnet-prv-b", "same AZ as subnet-prv-a"},
		{"subnet outside the VPC CIDR", func(s *Snapshot, _ *Expectations) {
			subnet(s, "subnet-db-a", func(sn *Subnet) { sn.CIDRBlock = "10.1.20.0/24" })
		}, "subnets.cidr", "subnet-db-a", "10.1.20.0/24"},
		{"subnet wider than the VPC", func(s *Snapshot, _ *Expectations) {
			subnet(s, "subnet-db-a", func(sn *Subnet) { sn.CIDRBlock = "10.0.0.0/8" })
		}, "subnets.cidr", "subnet-db-a", "10.0.0.0/8"},
		{"map public ip on launch", func(s *Snapshot, _ *Expectations) {
			subnet(s, "subnet-pub-a", func(sn *Subnet) { sn.MapPublicIPOnLaunch = true })
		}, "subnets.map_public_ip", "subnet-pub-a", "MapPublicIpOnLaunch=true"},

		// Routes
		{"public route table missing", func(s *Snapshot, _ *Expectations) { delete(s.RouteTables, "rtb-pub") },
			"routes.public", "rtb-pub", "not found"},
		{"public default route to a NAT", func(s *Snapshot, _ *Expectations) {
			s.RouteTables["rtb-pub"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-shared"}
		}, "routes.public", "rtb-pub", "0.0.0.0/0 -> nat-shared"},
		{"public default route to another VPC's IGW", func(s *Snapshot, _ *Expectations) { s.InternetGateways = nil },
			"routes.public", "rtb-pub", "0.0.0.0/0 -> igw-1"},
		{"public without a default route", func(s *Snapshot, _ *Expectations) {
			rt(s, "rtb-pub", func(r *RouteTable) { r.Routes = r.Routes[:1] })
		}, "routes.public", "rtb-pub", "no 0.0.0.0/0 route"},
		{"private default route to the IGW", func(s *Snapshot, _ *Expectations) {
			s.RouteTables["rtb-prv-b"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", GatewayID: "igw-1"}
		}, "routes.private", "rtb-prv-b (us-east-1b)", "0.0.0.0/0 -> igw-1"},
		{"private without a default route", func(s *Snapshot, _ *Expectations) {
			rt(s, "rtb-prv-a", func(r *RouteTable) { r.Routes = []Route{local()} })
		}, "routes.private", "rtb-prv-a (us-east-1a)", "no 0.0.0.0/0 route"},
		{"private route to an unknown NAT", func(s *Snapshot, _ *Expectations) {
			s.RouteTables["rtb-prv-a"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-other"}
		}, "routes.private", "rtb-prv-a", "nat-other (not a NAT gateway of the VPC)"},
		{"private route table missing for an AZ", func(s *Snapshot, _ *Expectations) {
			delete(s.Outputs.PrivateRouteTableIDs, "us-east-1b")
		}, "routes.private", "us-east-1b", "not in outputs"},
		{"database default route to the IGW", func(s *Snapshot, _ *Expectations) {
			rt(s, "rtb-db", func(r *RouteTable) {
				r.Routes = append(r.Routes, Route{DestinationCIDR: "0.0.0.0/0", GatewayID: "igw-1"})
			})
		}, "routes.database", "rtb-db", "0.0.0.0/0 -> igw-1"},
		{"database IPv6 default route", func(s *Snapshot, _ *Expectations) {
			rt(s, "rtb-db", func(r *RouteTable) {
				r.Routes = append(r.Routes, Route{DestinationIPv6CIDR: "::/0", EgressOnlyGatewayID: "eigw-1"})
			})
		}, "routes.database", "rtb-db", "::/0 -> eigw-1"},
		{"database route to a NAT", func(s *Snapshot, _ *Expectations) {
			rt(s, "rtb-db", func(r *RouteTable) {
				r.Routes = append(r.Routes, Route{DestinationCIDR: "192.0.2.0/24", NATGatewayID: "nat-shared"})
			})
		}, "routes.database", "rtb-db", "192.0.2.0/24 -> nat-shared"},
		{"database subnet not associated", func(s *Snapshot, _ *Expectations) {
			rt(s, "rtb-db", func(r *RouteTable) { r.SubnetIDs = []string{"subnet-db-a"} })
		}, "routes.associations", "rtb-db", "associated with [subnet-db-a]"},

		// NAT
		{"single NAT where per-AZ is wanted", func(_ *Snapshot, w *Expectations) { w.NATMode = NATPerAZ },
			"nat.mode", "nat-shared", "shared by [us-east-1a us-east-1b]"},
		{"per-AZ count", func(_ *Snapshot, w *Expectations) { w.NATMode = NATPerAZ }, "nat.mode", "vpc-1", "1 NAT gateways"},
		{"two NATs where one shared is wanted", func(s *Snapshot, _ *Expectations) {
			s.NATGateways["nat-b"] = NATGateway{ID: "nat-b", VPCID: "vpc-1", SubnetID: "subnet-pub-b", State: "available"}
			s.RouteTables["rtb-prv-b"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-b"}
		}, "nat.mode", "private route tables", "routes via [nat-b nat-shared]"},
		{"per-AZ NAT serving another AZ", func(s *Snapshot, w *Expectations) {
			w.NATMode = NATPerAZ
			s.NATGateways = map[string]NATGateway{
				"nat-a": {ID: "nat-a", VPCID: "vpc-1", SubnetID: "subnet-pub-a", State: "available"},
				"nat-b": {ID: "nat-b", VPCID: "vpc-1", SubnetID: "subnet-pub-b", State: "available"},
			}
			s.Outputs.NATGatewayIDs = map[string]string{"us-east-1a": "nat-a", "us-east-1b": "nat-b"}
			s.RouteTables["rtb-prv-a"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-b"}
			s.RouteTables["rtb-prv-b"].Routes[1] = Route{DestinationCIDR: "0.0.0.0/0", NATGatewayID: "nat-a"}
		}, "nat.mode", "nat-a", "in us-east-1a, serving us-east-1b"},
		{"NAT in a private subnet", func(s *Snapshot, _ *Expectations) {
			s.NATGateways["nat-shared"] = NATGateway{ID: "nat-shared", SubnetID: "subnet-prv-a", State: "available"}
		}, "nat.placement", "nat-shared", "in subnet subnet-prv-a"},
		{"NAT not available", func(s *Snapshot, _ *Expectations) {
			s.NATGateways["nat-shared"] = NATGateway{ID: "nat-shared", SubnetID: "subnet-pub-a", State: "failed"}
		}, "nat.state", "nat-shared", "failed"},
		{"NAT output not in the VPC", func(s *Snapshot, _ *Expectations) { s.Outputs.NATGatewayIDs["shared"] = "nat-gone" },
			"nat.placement", "nat-gone (shared)", "not found"},

		// Endpoints
		{"no S3 gateway endpoint", func(s *Snapshot, _ *Expectations) { delete(s.Endpoints, "vpce-s3") },
			"endpoints.s3", "vpc-1", "no S3 gateway endpoint"},
		{"S3 endpoint misses a private route table", func(s *Snapshot, _ *Expectations) {
			ep(s, "vpce-s3", func(e *Endpoint) { e.RouteTableIDs = []string{"rtb-prv-a"} })
		}, "endpoints.s3", "vpce-s3", "route tables [rtb-prv-a]"},
		{"no ssm endpoint", func(s *Snapshot, _ *Expectations) { delete(s.Endpoints, "vpce-ssm") },
			"endpoints.interface", "vpc-1", "no ssm interface endpoint"},
		{"extra expected endpoint", func(_ *Snapshot, w *Expectations) { w.InterfaceEndpoints = []string{"ec2", "kms"} },
			"endpoints.interface", "vpc-1", "no kms interface endpoint"},
		{"private dns off", func(s *Snapshot, _ *Expectations) {
			ep(s, "vpce-ec2messages", func(e *Endpoint) { e.PrivateDNSEnabled = false })
		}, "endpoints.private_dns", "vpce-ec2messages (ec2messages)", "PrivateDnsEnabled=false"},
		{"endpoint without the endpoints SG", func(s *Snapshot, _ *Expectations) {
			ep(s, "vpce-ec2", func(e *Endpoint) { e.SecurityGroupIDs = []string{"sg-default"} })
		}, "endpoints.security_group", "vpce-ec2 (ec2)", "security groups [sg-default]"},

		// Launch template
		{"launch template missing", func(s *Snapshot, _ *Expectations) { s.LaunchTemplate = nil },
			"launch_template", ltID, "not found"},
		{"IMDSv1 allowed", func(s *Snapshot, _ *Expectations) { lt(s).HTTPTokens = "optional" },
			"launch_template.http_tokens", ltID + " version 1", "HttpTokens=optional"},
		{"hop limit 2", func(s *Snapshot, _ *Expectations) { lt(s).HTTPPutResponseHopLimit = 2 },
			"launch_template.hop_limit", ltID + " version 1", "HttpPutResponseHopLimit=2"},
		{"hop limit unset", func(s *Snapshot, _ *Expectations) { lt(s).HTTPPutResponseHopLimit = 0 },
			"launch_template.hop_limit", ltID, "HttpPutResponseHopLimit=0"},
		{"public IP on the interface", func(s *Snapshot, _ *Expectations) { lt(s).NetworkInterfaces[0].AssociatePublicIPAddress = true },
			"launch_template.public_ip", ltID + " version 1 network interface 0", "AssociatePublicIpAddress=true"},
		{"instance type", func(s *Snapshot, _ *Expectations) { lt(s).InstanceType = "t3.large" },
			"launch_template.instance_type", ltID, "t3.large"},
		{"volume unencrypted", func(s *Snapshot, _ *Expectations) { lt(s).BlockDevices[0].Encrypted = false },
			"launch_template.block_devices", ltID + " version 1 /dev/xvda", "Encrypted=false"},
		{"volume with another key", func(s *Snapshot, _ *Expectations) {
			lt(s).BlockDevices[0].KMSKeyID = "arn:aws:kms:us-east-1:123456789012:key/99999999-9999-9999-9999-999999999999"
		}, "launch_template.block_devices", "/dev/xvda", "KmsKeyId=arn:aws:kms:us-east-1:123456789012:key/9999"},
		{"volume with the AWS managed key", func(s *Snapshot, _ *Expectations) { lt(s).BlockDevices[0].KMSKeyID = "" },
			"launch_template.block_devices", "/dev/xvda", "no KmsKeyId"},
		{"no block devices", func(s *Snapshot, _ *Expectations) { lt(s).BlockDevices = nil },
			"launch_template.block_devices", ltID + " version 1", "no block device mappings"},
		{"latest version differs from default and is bad", func(s *Snapshot, _ *Expectations) {
			v2 := s.LaunchTemplate.Versions[0]
			v2.Version, v2.HTTPPutResponseHopLimit = 2, 2
			s.LaunchTemplate.LatestVersion = 2
			s.LaunchTemplate.Versions = append(s.LaunchTemplate.Versions, v2)
		}, "launch_template.hop_limit", ltID + " version 2", "HttpPutResponseHopLimit=2"},
		{"no versions", func(s *Snapshot, _ *Expectations) { s.LaunchTemplate.Versions = nil },
			"launch_template", ltID, "no versions"},

		// Security groups
		{"ALB without 443", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-alb", func(g *SecurityGroup) { g.Ingress = g.Ingress[:1] })
		}, "sg.alb_ingress", "sg-alb (alb)", "no ingress on 443"},
		{"ALB SG missing", func(s *Snapshot, _ *Expectations) { delete(s.SecurityGroups, "sg-alb") },
			"sg.alb_ingress", "sg-alb (alb)", "not found"},
		{"app port from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[0].CIDRs = []string{"0.0.0.0/0"} })
		}, "sg.app_ingress", "sg-app (app) ingress tcp 8080-8080", "from [0.0.0.0/0 sg-alb]"},
		{"app port from another SG", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[0] = tcp(8080, nil, "sg-db") })
		}, "sg.app_ingress", "sg-app (app) ingress tcp 8080-8080", "from [sg-db]"},
		{"app port not from the ALB", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress = g.Ingress[1:] })
		}, "sg.app_ingress", "sg-app (app)", "no ingress from the ALB SG"},
		{"app SG opens another port", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress = append(g.Ingress, tcp(9000, nil, "sg-alb")) })
		}, "sg.app_ingress", "sg-app (app) ingress tcp 9000-9000", "from [sg-alb]"},
		{"app SG opens everything to the ALB", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) {
				g.Ingress = append(g.Ingress, Rule{Protocol: "-1", SourceGroupIDs: []string{"sg-alb"}})
			})
		}, "sg.app_ssh", "sg-app (app) ingress -1 all", "from [sg-alb]"},
		{"SSH from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].CIDRs = []string{"0.0.0.0/0"} })
		}, "sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 0.0.0.0/0"},
		{"SSH from the internet even when listed", func(s *Snapshot, w *Expectations) {
			w.SSHAllowedCIDRs = []string{"0.0.0.0/0"}
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].CIDRs = []string{"0.0.0.0/0"} })
		}, "sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 0.0.0.0/0"},
		{"SSH from IPv6 anywhere", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].CIDRs = append(g.Ingress[1].CIDRs, "::/0") })
		}, "sg.no_public_admin", "sg-app", "::/0"},
		{"SSH rule where none is allowed", func(_ *Snapshot, w *Expectations) { w.SSHAllowedCIDRs = []string{} },
			"sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 203.0.113.0/24"},
		{"SSH from an unlisted CIDR", func(_ *Snapshot, w *Expectations) { w.SSHAllowedCIDRs = []string{"198.51.100.0/24"} },
			"sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 203.0.113.0/24"},
		{"SSH rule missing for a listed CIDR", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress = g.Ingress[:1] })
		}, "sg.app_ssh", "sg-app (app)", "no SSH rule from 203.0.113.0/24"},
		{"SSH from a security group", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].SourceGroupIDs = []string{"sg-alb"} })
		}, "sg.app_ssh", "sg-app (app) ingress tcp 22-22", "sg-alb"},
		{"database from the VPC CIDR", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) { g.Ingress[0].CIDRs = []string{"10.0.0.0/16"} })
		}, "sg.database_ingress", "sg-db (database) ingress tcp 5432-5432", "from [10.0.0.0/16 sg-app]"},
		{"database on another port", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) { g.Ingress[0] = tcp(3306, nil, "sg-app") })
		}, "sg.database_ingress", "sg-db (database) ingress tcp 3306-3306", "from [sg-app]"},
		{"database without app access", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) { g.Ingress = nil })
		}, "sg.database_ingress", "sg-db (database)", "no ingress from the app SG"},
		{"endpoints without app access", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-endpoints", func(g *SecurityGroup) { g.Ingress = []Rule{tcp(443, []string{"10.0.0.0/16"})} })
		}, "sg.endpoints_ingress", "sg-endpoints (endpoints)", "no 443 ingress from the app SG"},
		{"endpoints from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-endpoints", func(g *SecurityGroup) { g.Ingress = append(g.Ingress, tcp(443, []string{"0.0.0.0/0"})) })
		}, "sg.endpoints_ingress", "sg-endpoints (endpoints) ingress tcp 443-443", "0.0.0.0/0"},
		{"RDP from the internet on any SG", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-alb", func(g *SecurityGroup) { g.Ingress = append(g.Ingress, tcp(3389, []string{"::/0"})) })
		}, "sg.no_public_admin", "sg-alb (ec2stack-dev-alb) ingress tcp 3389-3389", "from [::/0]"},
		{"port range including 22 from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) {
				g.Ingress = append(g.Ingress, Rule{Protocol: "tcp", FromPort: 0, ToPort: 1024, CIDRs: []string{"0.0.0.0/0"}})
			})
		}, "sg.no_public_admin", "sg-db (ec2stack-dev-db) ingress tcp 0-1024", "from [0.0.0.0/0]"},
		{"default SG with rules", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-default", func(g *SecurityGroup) { g.Egress = []Rule{{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}} })
		}, "sg.default_empty", "sg-default (default)", "0 ingress, 1 egress rules"},
		{"default SG not found", func(s *Snapshot, _ *Expectations) { delete(s.SecurityGroups, "sg-default") },
			"sg.default_empty", "default security group of vpc-1", "not found"},

		// Auto Scaling group
		{"ASG missing", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup = nil }, "asg", "ec2stack-dev-app", "not found"},
		{"ASG max size", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.MaxSize = 5 },
			"asg.size", "ec2stack-dev-app", "min=1 max=5 desired=1"},
		{"ASG sizes not the spec's", func(_ *Snapshot, w *Expectations) { w.MinSize, w.MaxSize = 2, 4 },
			"asg.size", "ec2stack-dev-app", "min=1 max=3"},
		{"ASG desired", func(_ *Snapshot, w *Expectations) { w.DesiredCapacity = 2 }, "asg.size", "ec2stack-dev-app", "desired=1"},
		{"ASG desired out of range", func(s *Snapshot, w *Expectations) {
			s.AutoScalingGroup.DesiredCapacity, s.Outputs.ASGDesiredCapacity = 7, 0
		}, "asg.size", "ec2stack-dev-app", "desired=7"},
		{"ASG EC2 health check", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.HealthCheckType = "EC2" },
			"asg.health_check", "ec2stack-dev-app", "HealthCheckType=EC2"},
		{"ASG no grace period", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.HealthCheckGracePeriod = 0 },
			"asg.grace_period", "ec2stack-dev-app", "HealthCheckGracePeriod=0"},
		{"ASG in public subnets", func(s *Snapshot, _ *Expectations) {
			s.AutoScalingGroup.SubnetIDs = []string{"subnet-pub-a", "subnet-pub-b"}
		}, "asg.subnets", "ec2stack-dev-app", "[subnet-pub-a subnet-pub-b]"},
		{"ASG in one subnet", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.SubnetIDs = []string{"subnet-prv-a"} },
			"asg.subnets", "ec2stack-dev-app", "[subnet-prv-a]"},
		{"ASG without the target group", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.TargetGroupARNs = nil },
			"asg.target_group", "ec2stack-dev-app", "[]"},
		{"ASG on another launch template", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.LaunchTemplateID = "lt-other" },
			"asg.launch_template", "ec2stack-dev-app", "lt-other"},
		{"ASG Environment tag not propagated", func(s *Snapshot, _ *Expectations) {
			s.AutoScalingGroup.Tags[0].PropagateAtLaunch = false
		}, "asg.tags", "ec2stack-dev-app", "PropagateAtLaunch=false"},
		{"ASG Environment tag missing", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.Tags = s.AutoScalingGroup.Tags[1:] },
			"asg.tags", "ec2stack-dev-app", "Environment= PropagateAtLaunch=false"},

		// Load balancer
		{"ALB missing", func(s *Snapshot, _ *Expectations) { s.LoadBalancer = nil }, "alb", albARN, "not found"},
		{"ALB internal", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.Scheme = "internal" }, "alb.scheme", albARN, "internal"},
		{"network load balancer", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.Type = "network" }, "alb.type", albARN, "network"},
		{"ALB in private subnets", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.SubnetIDs = []string{"subnet-prv-a", "subnet-prv-b"}
		}, "alb.subnets", albARN, "[subnet-prv-a subnet-prv-b]"},
		{"ALB without its SG", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.SecurityGroupIDs = []string{"sg-default"} },
			"alb.security_groups", albARN, "[sg-default]"},
		{"drop invalid headers off", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Attributes["routing.http.drop_invalid_header_fields.enabled"] = "false"
		}, "alb.drop_invalid_headers", albARN, "routing.http.drop_invalid_header_fields.enabled=false"},
		{"drop invalid headers unset", func(s *Snapshot, _ *Expectations) {
			delete(s.LoadBalancer.Attributes, "routing.http.drop_invalid_header_fields.enabled")
		}, "alb.drop_invalid_headers", albARN, "routing.http.drop_invalid_header_fields.enabled="},
		{"desync mitigation monitor", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Attributes["routing.http.desync_mitigation_mode"] = "monitor"
		}, "alb.desync_mitigation", albARN, "routing.http.desync_mitigation_mode=monitor"},
		{"no port 80 listener", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.Listeners = s.LoadBalancer.Listeners[1:] },
			"alb.listener_http", albARN + " listener :80", "not found"},
		{"port 80 forwards although HTTPS is expected", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Listeners[0].DefaultActions = []Action{{Type: "forward", TargetGroupARNs: []string{tgARN}}}
		}, "alb.listener_http", "listener-80 (:80)", "forward :"},
		{"port 80 redirects with 302", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Listeners[0].DefaultActions[0].RedirectStatus = "HTTP_302"
		}, "alb.listener_http", "listener-80 (:80)", "redirect HTTPS:443 HTTP_302"},
		{"port 80 is HTTPS", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.Listeners[0].Protocol = "HTTPS" },
			"alb.listener_http", "listener-80 (:80)", "protocol HTTPS"},
		{"no HTTPS listener", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.Listeners = s.LoadBalancer.Listeners[:1] },
			"alb.listener_https", albARN + " listener :443", "not found"},
		{"old TLS policy", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Listeners[1].SSLPolicy = "ELBSecurityPolicy-2016-08"
		}, "alb.tls_policy", "listener-443 (:443)", "ELBSecurityPolicy-2016-08"},
		{"HTTPS listener forwards elsewhere", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Listeners[1].DefaultActions[0].TargetGroupARNs = []string{"arn:other"}
		}, "alb.listener_https", "listener-443 (:443)", "no forward to the target group"},
		{"no certificate but port 80 redirects", func(_ *Snapshot, w *Expectations) { w.HTTPSListener = false },
			"alb.listener_http", "listener-80 (:80)", "redirect []"},
		{"no certificate and forward to another target group", func(s *Snapshot, w *Expectations) {
			w.HTTPSListener = false
			s.LoadBalancer.Listeners = []Listener{{ARN: "listener-80", Port: 80, Protocol: "HTTP",
				DefaultActions: []Action{{Type: "forward", TargetGroupARNs: []string{"arn:other"}}}}}
		}, "alb.listener_http", "listener-80 (:80)", "forward [arn:other]"},

		// Target group
		{"target group missing", func(s *Snapshot, _ *Expectations) { s.TargetGroup = nil }, "target_group", tgARN, "not found"},
		{"target group port", func(s *Snapshot, _ *Expectations) { s.TargetGroup.Port = 80 }, "target_group.port", tgARN, "HTTP:80"},
		{"target group in another VPC", func(s *Snapshot, _ *Expectations) { s.TargetGroup.VPCID = "vpc-2" },
			"target_group.vpc", tgARN, "vpc-2"},
		{"health check path", func(s *Snapshot, _ *Expectations) { s.TargetGroup.HealthCheckPath = "/" },
			"target_group.health_check", tgARN, "HTTP / port"},
		{"health check matcher", func(s *Snapshot, _ *Expectations) { s.TargetGroup.Matcher = "200-399" },
			"target_group.health_check", tgARN, "matcher=200-399"},
		{"health check protocol", func(s *Snapshot, _ *Expectations) { s.TargetGroup.HealthCheckProtocol = "HTTPS" },
			"target_group.health_check", tgARN, "HTTPS /health"},
		{"health check port", func(s *Snapshot, _ *Expectations) { s.TargetGroup.HealthCheckPort = "9000" },
			"target_group.health_check", tgARN, "port=9000"},
		{"health check disabled", func(s *Snapshot, _ *Expectations) { s.TargetGroup.HealthCheckEnabled = false },
			"target_group.health_check", tgARN, "enabled=false"},

		// Flow logs, log group, KMS
		{"no flow log", func(s *Snapshot, _ *Expectations) { s.FlowLogs = nil }, "flow_logs", "vpc-1", "flow logs []"},
		{"flow log to another group", func(s *Snapshot, _ *Expectations) { s.FlowLogs[0].LogGroupName = "/other" },
			"flow_logs", "vpc-1", "fl-1->/other"},
		{"flow log of rejected traffic only", func(s *Snapshot, _ *Expectations) { s.FlowLogs[0].TrafficType = "REJECT" },
			"flow_logs", "fl-1", "TrafficType=REJECT"},
		{"flow log group missing", func(s *Snapshot, _ *Expectations) { s.LogGroup = nil }, "logs.kms", logGroup, "not found"},
		{"flow log group unencrypted", func(s *Snapshot, _ *Expectations) { s.LogGroup.KMSKeyID = "" },
			"logs.kms", logGroup, "no KMS key"},
		{"flow log group with another key", func(s *Snapshot, _ *Expectations) { s.LogGroup.KMSKeyID = ebsKey },
			"logs.kms", logGroup, "KMS key " + ebsKey},
		{"EBS key rotation off", func(s *Snapshot, _ *Expectations) {
			key(s, ebsKey, func(k *KMSKey) { k.RotationEnabled = false })
		}, "kms.rotation", ebsKey, "KeyRotationEnabled=false"},
		{"logs key pending deletion", func(s *Snapshot, _ *Expectations) {
			key(s, logsKey, func(k *KMSKey) { k.State = "PendingDeletion" })
		}, "kms.state", logsKey, "PendingDeletion"},
		{"key not found", func(s *Snapshot, _ *Expectations) { delete(s.KMSKeys, logsKey) }, "kms", logsKey, "not found"},
		{"key output missing", func(s *Snapshot, _ *Expectations) { s.Outputs.EBSKMSKeyARN = "" }, "kms", "(no output)", "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := goodSnapshot(), devExpectations()
			tt.mutate(s, &w)
			failures := Check(s, w)
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

func TestCheckSkip(t *testing.T) {
	s := goodSnapshot()
	s.LoadBalancer.Attributes["routing.http.drop_invalid_header_fields.enabled"] = "false"
	s.LoadBalancer.Scheme = "internal"
	lt := &s.LaunchTemplate.Versions[0]
	lt.HTTPPutResponseHopLimit = 2
	w := devExpectations()
	w.Skip = []string{"alb", "launch_template.hop_limit"}
	for _, f := range Check(s, w) {
		t.Errorf("skipped check still reported: %v", f)
	}
	w.Skip = []string{"al"} // a prefix that is not a group name skips nothing
	if got := len(Check(s, w)); got != 3 {
		t.Errorf("with Skip [al]: %d failures, want 3", got)
	}
}

func TestCheckNilSnapshot(t *testing.T) {
	if f := Check(nil, devExpectations()); len(f) != 1 || f[0].Check != "snapshot" {
		t.Fatalf("Check(nil) = %v", f)
	}
}

func TestFailureError(t *testing.T) {
	f := Failure{Check: "launch_template.hop_limit", Resource: "lt-1 version 2", Got: "HttpPutResponseHopLimit=2",
		Want: "HttpPutResponseHopLimit=1"}
	want := "launch_template.hop_limit: lt-1 version 2: got HttpPutResponseHopLimit=2, want HttpPutResponseHopLimit=1"
	if f.Error() != want {
		t.Errorf("Error() = %q, want %q", f.Error(), want)
	}
}

func TestKeyID(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:kms:us-east-1:123456789012:key/ABCD-1": "abcd-1",
		"abcd-1":                        "abcd-1",
		"alias/ebs":                     "alias/ebs",
		"":                              "",
		"arn:aws:kms:eu-west-1:1:key/x": "x",
	} {
		if got := KeyID(in); got != want {
			t.Errorf("KeyID(%q) = %q, want %q", in, got, want)
		}
	}
}
