package verify

import "testing"

func TestNetworkGood(t *testing.T) {
	checkGood(t, devBase, []goodCase{
		{"logs kept at least the minimum", func(_ *Snapshot, w *Expectations) { w.MinLogRetentionDays = 30 }},
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
		{"flow log by destination ARN", func(s *Snapshot, _ *Expectations) {
			s.FlowLogs[0].LogGroupName = ""
			s.FlowLogs[0].LogDestination = "arn:aws:logs:us-east-1:123456789012:log-group:" + logGroup + ":*"
		}},
	})
}

func TestNetworkFails(t *testing.T) {
	subnet := func(s *Snapshot, id string, f func(*Subnet)) { editEntry(s.Subnets, id, f) }
	rt := func(s *Snapshot, id string, f func(*RouteTable)) { editEntry(s.RouteTables, id, f) }
	ep := func(s *Snapshot, id string, f func(*Endpoint)) { editEntry(s.Endpoints, id, f) }

	checkFails(t, devBase, []failCase{
		{"flow logs kept shorter than the minimum", func(_ *Snapshot, w *Expectations) { w.MinLogRetentionDays = 365 },
			"logs.retention", logGroup, "RetentionInDays=30"},
		{"flow logs kept forever where a minimum applies", func(s *Snapshot, w *Expectations) {
			w.MinLogRetentionDays, s.LogGroup.RetentionInDays = 14, 0
		}, "logs.retention", logGroup, "RetentionInDays=0"},
	})

	checkFails(t, devBase, []failCase{
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

		// Flow logs and log group
		{"no flow log", func(s *Snapshot, _ *Expectations) { s.FlowLogs = nil }, "flow_logs", "vpc-1", "flow logs []"},
		{"flow log to another group", func(s *Snapshot, _ *Expectations) { s.FlowLogs[0].LogGroupName = "/other" },
			"flow_logs", "vpc-1", "fl-1->/other"},
		{"flow log of rejected traffic only", func(s *Snapshot, _ *Expectations) { s.FlowLogs[0].TrafficType = "REJECT" },
			"flow_logs", "fl-1", "TrafficType=REJECT"},
		{"flow log group missing", func(s *Snapshot, _ *Expectations) { s.LogGroup = nil }, "logs.kms", logGroup, "not found"},
		{"flow log group unencrypted", func(s *Snapshot, _ *Expectations) { s.LogGroup.KMSKeyID = "" },
			"logs.kms", logGroup, "no KMS key"},
	})
}
