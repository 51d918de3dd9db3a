package verify

import "testing"

func TestComputeGood(t *testing.T) {
	checkGood(t, devBase, []goodCase{
		{"no certificate: port 80 forwards", func(s *Snapshot, w *Expectations) {
			w.HTTPSListener = false
			s.LoadBalancer.Listeners = []Listener{{ARN: "listener-80", Port: 80, Protocol: "HTTP",
				DefaultActions: []Action{{Type: "forward", TargetGroupARNs: []string{tgARN}}}}}
		}},
		{"strictest desync mitigation", func(s *Snapshot, _ *Expectations) {
			s.LoadBalancer.Attributes["routing.http.desync_mitigation_mode"] = "strictest"
		}},
		{"health check on the app port", func(s *Snapshot, _ *Expectations) { s.TargetGroup.HealthCheckPort = "8080" }},
		{"instance-store block device ignored", func(s *Snapshot, _ *Expectations) {
			v := &s.LaunchTemplate.Versions[0]
			v.BlockDevices = append(v.BlockDevices, BlockDevice{DeviceName: "/dev/sdb"})
		}},
	})
	checkGood(t, fullBase, []goodCase{
		{"off-hours sizes at night", func(s *Snapshot, _ *Expectations) {
			s.AutoScalingGroup.MinSize, s.AutoScalingGroup.MaxSize, s.AutoScalingGroup.DesiredCapacity = 0, 0, 0
		}},
		{"scaled out within min and max", func(s *Snapshot, w *Expectations) { w.AnyDesired, s.AutoScalingGroup.DesiredCapacity = true, 3 }},
		{"Spot as the outputs say", func(s *Snapshot, _ *Expectations) {
			yes := true
			s.Outputs.SpotEnabled, s.AutoScalingGroup.Spot = &yes, true
		}},
		{"deletion protection as required", func(s *Snapshot, w *Expectations) {
			w.DeletionProtection, s.LoadBalancer.Attributes["deletion_protection.enabled"] = true, "true"
		}},
		{"detailed monitoring off as expected", func(s *Snapshot, w *Expectations) {
			no := false
			w.DetailedMonitoring = &no
			s.LaunchTemplate.Versions[0].MonitoringEnabled = false
		}},
	})
}

func TestComputeFails(t *testing.T) {
	lt := func(s *Snapshot) *LaunchTemplateVersion { return &s.LaunchTemplate.Versions[0] }

	checkFails(t, devBase, []failCase{
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
		{"blue/green sends the traffic to the other color", func(s *Snapshot, w *Expectations) {
			s.LoadBalancer.Listeners[1].DefaultActions[0] = Action{Type: "forward", TargetGroupARNs: []string{tgARN, "arn:green"},
				Weights: map[string]int32{tgARN: 0, "arn:green": 100}}
		}, "alb.listener_https", "listener-443 (:443)", "no forward to the target group"},
		{"blue/green without a certificate sends the traffic to the other color", func(s *Snapshot, w *Expectations) {
			w.HTTPSListener = false
			s.LoadBalancer.Listeners = []Listener{{ARN: "listener-80", Port: 80, Protocol: "HTTP",
				DefaultActions: []Action{{Type: "forward", TargetGroupARNs: []string{tgARN, "arn:green"}, Weights: map[string]int32{tgARN: 10, "arn:green": 90}}}}}
		}, "alb.listener_http", "listener-80 (:80)", "weights " + tgARN + "=10,arn:green=90"},

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
	})
	checkFails(t, fullBase, []failCase{
		// Off-hours schedule and detailed monitoring
		{"no scale-up action", func(s *Snapshot, _ *Expectations) {
			s.AutoScalingGroup.ScheduledActions = s.AutoScalingGroup.ScheduledActions[:1]
		}, "asg.schedule", "ec2stack-dev-app", "[ec2stack-prod-off-hours-down(0 19 * * MON-FRI)]"},
		{"one-off actions", func(s *Snapshot, _ *Expectations) {
			for i := range s.AutoScalingGroup.ScheduledActions {
				s.AutoScalingGroup.ScheduledActions[i].Recurrence = ""
			}
		}, "asg.schedule", "ec2stack-dev-app", "ec2stack-prod-off-hours-up(once)"},
		{"schedule not expected", func(_ *Snapshot, w *Expectations) { no := false; w.OffHours = &no },
			"asg.schedule", "ec2stack-dev-app", "scheduled actions [ec2stack-prod-off-hours-down"},
		{"detailed monitoring off", func(s *Snapshot, _ *Expectations) { s.LaunchTemplate.Versions[0].MonitoringEnabled = false },
			"launch_template.monitoring", ltID + " version 1", "Monitoring.Enabled=false"},
		{"detailed monitoring off where the outputs say on", func(s *Snapshot, w *Expectations) {
			yes := true
			w.DetailedMonitoring, s.Outputs.DetailedMonitoring = nil, &yes
			s.LaunchTemplate.Versions[0].MonitoringEnabled = false
		}, "launch_template.monitoring", ltID + " version 1", "Monitoring.Enabled=false"},
		{"Spot where forbidden", func(s *Snapshot, w *Expectations) {
			no := false
			w.Spot, s.AutoScalingGroup.Spot = &no, true
		}, "asg.spot", "ec2stack-dev-app", "Spot capacity=true"},
		{"on demand where the outputs say Spot", func(s *Snapshot, _ *Expectations) {
			yes := true
			s.Outputs.SpotEnabled = &yes
		}, "asg.spot", "ec2stack-dev-app", "Spot capacity=false"},
		{"no schedule where the outputs say one", func(s *Snapshot, w *Expectations) {
			w.OffHours, s.Outputs.OffHoursScaleDown = nil, true
			s.AutoScalingGroup.ScheduledActions = nil
		}, "asg.schedule", "ec2stack-dev-app", "scheduled actions []"},
		{"sizes neither the contract's nor a schedule's", func(s *Snapshot, _ *Expectations) { s.AutoScalingGroup.MaxSize = 7 },
			"asg.size", "ec2stack-dev-app", "max=7"},
		{"load balancer deletable", func(_ *Snapshot, w *Expectations) { w.DeletionProtection = true },
			"alb.deletion_protection", albARN, "deletion_protection.enabled=false"},
	})
}
