package verify

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
)

// Collect reads, read-only, everything Check needs for the environment described by out.
// Each part is read only when the output naming it is set (the VPC-wide parts need vpc_id), so a partial
// Outputs gives a partial Snapshot; Check reports what is missing. API errors are returned wrapped.
func Collect(ctx context.Context, cfg aws.Config, out Outputs) (*Snapshot, error) {
	c := collector{
		ec2:       ec2.NewFromConfig(cfg),
		asg:       autoscaling.NewFromConfig(cfg),
		elb:       elbv2.NewFromConfig(cfg),
		logs:      cloudwatchlogs.NewFromConfig(cfg),
		kms:       kms.NewFromConfig(cfg),
		rds:       rds.NewFromConfig(cfg),
		backup:    backup.NewFromConfig(cfg),
		sns:       sns.NewFromConfig(cfg),
		cw:        newCloudWatch(cfg),
		s3:        newS3(cfg),
		cf:        cloudfront.NewFromConfig(cfg),
		waf:       wafv2.NewFromConfig(cfg),
		wafGlobal: wafv2.NewFromConfig(usEast1(cfg)),
		r53:       route53.NewFromConfig(cfg),
	}
	s := &Snapshot{Outputs: out}
	steps := []struct {
		name string
		skip bool
		run  func(context.Context, *Snapshot) error
	}{
		{"vpc", out.VPCID == "", c.vpc},
		{"subnets", out.VPCID == "", c.subnets},
		{"route tables", out.VPCID == "", c.routeTables},
		{"nat gateways", out.VPCID == "", c.natGateways},
		{"internet gateways", out.VPCID == "", c.internetGateways},
		{"vpc endpoints", out.VPCID == "", c.endpoints},
		{"security groups", out.VPCID == "", c.securityGroups},
		{"flow logs", out.VPCID == "", c.flowLogs},
		{"launch template", out.LaunchTemplateID == "", c.launchTemplate},
		{"auto scaling group", out.AutoScalingGroupName == "", c.autoScalingGroup},
		{"load balancer", out.ALBARN == "", c.loadBalancer},
		{"target group", out.TargetGroupARN == "", c.targetGroup},
		{"log group", out.FlowLogGroupName == "", c.logGroup},
		{"kms keys", out.EBSKMSKeyARN == "" && out.LogsKMSKeyARN == "" && out.DataKMSKeyARN == "" && out.SNSKMSKeyARN == "", c.kmsKeys},
		{"database", out.DatabaseInstanceID == "" && out.DatabaseReplicaID == "", c.database},
		{"backup vault", out.BackupVaultName == "", c.backupVault},
		{"backup plan", out.BackupPlanID == "", c.backupPlan},
		{"sns topic", out.SNSTopicARN == "", c.topic},
		{"alarms", len(out.AlarmNames) == 0, c.alarms},
		{"dashboard", out.DashboardName == "", c.dashboard},
		{"log buckets", out.ALBLogsBucket == "" && out.CloudFrontLogsBucket == "", c.buckets},
		{"cloudfront distribution", out.CloudFrontDistributionID == "", c.distribution},
		{"web acls", out.CloudFrontWebACLARN == "" && out.RegionalWebACLARN == "", c.webACLs},
		{"hosted zone", out.HostedZoneID == "", c.hostedZone},
	}
	for _, st := range steps {
		if st.skip {
			continue
		}
		if err := st.run(ctx, s); err != nil {
			return nil, fmt.Errorf("collect %s: %w", st.name, err)
		}
	}
	return s, nil
}

type collector struct {
	ec2       *ec2.Client
	asg       *autoscaling.Client
	elb       *elbv2.Client
	logs      *cloudwatchlogs.Client
	kms       *kms.Client
	rds       *rds.Client
	backup    *backup.Client
	sns       *sns.Client
	cw        *cloudwatch.Client
	s3        *s3.Client
	cf        *cloudfront.Client
	waf       *wafv2.Client // REGIONAL scope, in cfg's region
	wafGlobal *wafv2.Client // CLOUDFRONT scope, always us-east-1
	r53       *route53.Client
}

func filter(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}

func ec2Tags(tags []ec2types.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func (c collector) vpc(ctx context.Context, s *Snapshot) error {
	id := s.Outputs.VPCID
	resp, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{filter("vpc-id", id)}})
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

func (c collector) subnets(ctx context.Context, s *Snapshot) error {
	s.Subnets = map[string]Subnet{}
	p := ec2.NewDescribeSubnetsPaginator(c.ec2, &ec2.DescribeSubnetsInput{
		Filters: []ec2types.Filter{filter("vpc-id", s.Outputs.VPCID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe subnets of %s: %w", s.Outputs.VPCID, err)
		}
		for _, sn := range page.Subnets {
			id := aws.ToString(sn.SubnetId)
			s.Subnets[id] = Subnet{
				ID:                  id,
				VPCID:               aws.ToString(sn.VpcId),
				AvailabilityZone:    aws.ToString(sn.AvailabilityZone),
				CIDRBlock:           aws.ToString(sn.CidrBlock),
				MapPublicIPOnLaunch: aws.ToBool(sn.MapPublicIpOnLaunch),
				Tags:                ec2Tags(sn.Tags),
			}
		}
	}
	return nil
}

func (c collector) routeTables(ctx context.Context, s *Snapshot) error {
	s.RouteTables = map[string]RouteTable{}
	p := ec2.NewDescribeRouteTablesPaginator(c.ec2, &ec2.DescribeRouteTablesInput{
		Filters: []ec2types.Filter{filter("vpc-id", s.Outputs.VPCID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe route tables of %s: %w", s.Outputs.VPCID, err)
		}
		for _, rt := range page.RouteTables {
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
		}
	}
	return nil
}

func (c collector) natGateways(ctx context.Context, s *Snapshot) error {
	s.NATGateways = map[string]NATGateway{}
	p := ec2.NewDescribeNatGatewaysPaginator(c.ec2, &ec2.DescribeNatGatewaysInput{
		Filter: []ec2types.Filter{filter("vpc-id", s.Outputs.VPCID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe nat gateways of %s: %w", s.Outputs.VPCID, err)
		}
		for _, n := range page.NatGateways {
			if n.State == ec2types.NatGatewayStateDeleted {
				continue
			}
			id := aws.ToString(n.NatGatewayId)
			s.NATGateways[id] = NATGateway{ID: id, VPCID: aws.ToString(n.VpcId),
				SubnetID: aws.ToString(n.SubnetId), State: string(n.State)}
		}
	}
	return nil
}

func (c collector) internetGateways(ctx context.Context, s *Snapshot) error {
	p := ec2.NewDescribeInternetGatewaysPaginator(c.ec2, &ec2.DescribeInternetGatewaysInput{
		Filters: []ec2types.Filter{filter("attachment.vpc-id", s.Outputs.VPCID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe internet gateways of %s: %w", s.Outputs.VPCID, err)
		}
		for _, g := range page.InternetGateways {
			s.InternetGateways = append(s.InternetGateways, aws.ToString(g.InternetGatewayId))
		}
	}
	sort.Strings(s.InternetGateways)
	return nil
}

func (c collector) endpoints(ctx context.Context, s *Snapshot) error {
	s.Endpoints = map[string]Endpoint{}
	p := ec2.NewDescribeVpcEndpointsPaginator(c.ec2, &ec2.DescribeVpcEndpointsInput{
		Filters: []ec2types.Filter{filter("vpc-id", s.Outputs.VPCID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe vpc endpoints of %s: %w", s.Outputs.VPCID, err)
		}
		for _, e := range page.VpcEndpoints {
			if strings.EqualFold(string(e.State), "deleted") {
				continue
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
		}
	}
	return nil
}

func rules(perms []ec2types.IpPermission) []Rule {
	var out []Rule
	for _, p := range perms {
		r := Rule{Protocol: aws.ToString(p.IpProtocol), FromPort: aws.ToInt32(p.FromPort), ToPort: aws.ToInt32(p.ToPort)}
		for _, x := range p.IpRanges {
			r.CIDRs = append(r.CIDRs, aws.ToString(x.CidrIp))
		}
		for _, x := range p.Ipv6Ranges {
			r.CIDRs = append(r.CIDRs, aws.ToString(x.CidrIpv6))
		}
		for _, x := range p.UserIdGroupPairs {
			r.SourceGroupIDs = append(r.SourceGroupIDs, aws.ToString(x.GroupId))
		}
		for _, x := range p.PrefixListIds {
			r.PrefixListIDs = append(r.PrefixListIDs, aws.ToString(x.PrefixListId))
		}
		out = append(out, r)
	}
	return out
}

func (c collector) securityGroups(ctx context.Context, s *Snapshot) error {
	s.SecurityGroups = map[string]SecurityGroup{}
	p := ec2.NewDescribeSecurityGroupsPaginator(c.ec2, &ec2.DescribeSecurityGroupsInput{
		Filters: []ec2types.Filter{filter("vpc-id", s.Outputs.VPCID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe security groups of %s: %w", s.Outputs.VPCID, err)
		}
		for _, g := range page.SecurityGroups {
			id := aws.ToString(g.GroupId)
			s.SecurityGroups[id] = SecurityGroup{ID: id, Name: aws.ToString(g.GroupName), VPCID: aws.ToString(g.VpcId),
				Ingress: rules(g.IpPermissions), Egress: rules(g.IpPermissionsEgress)}
		}
	}
	return nil
}

func (c collector) flowLogs(ctx context.Context, s *Snapshot) error {
	p := ec2.NewDescribeFlowLogsPaginator(c.ec2, &ec2.DescribeFlowLogsInput{
		Filter: []ec2types.Filter{filter("resource-id", s.Outputs.VPCID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe flow logs of %s: %w", s.Outputs.VPCID, err)
		}
		for _, f := range page.FlowLogs {
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
		}
	}
	return nil
}

func (c collector) launchTemplate(ctx context.Context, s *Snapshot) error {
	id := s.Outputs.LaunchTemplateID
	resp, err := c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{id}})
	if err != nil {
		return fmt.Errorf("describe launch template %s: %w", id, err)
	}
	if len(resp.LaunchTemplates) == 0 {
		return nil
	}
	t := resp.LaunchTemplates[0]
	lt := &LaunchTemplate{ID: aws.ToString(t.LaunchTemplateId), Name: aws.ToString(t.LaunchTemplateName),
		DefaultVersion: aws.ToInt64(t.DefaultVersionNumber), LatestVersion: aws.ToInt64(t.LatestVersionNumber)}
	versions := []string{strconv.FormatInt(lt.DefaultVersion, 10)}
	if lt.LatestVersion != lt.DefaultVersion {
		versions = append(versions, strconv.FormatInt(lt.LatestVersion, 10))
	}
	vr, err := c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{
		LaunchTemplateId: aws.String(id), Versions: versions})
	if err != nil {
		return fmt.Errorf("describe launch template %s versions %v: %w", id, versions, err)
	}
	for _, v := range vr.LaunchTemplateVersions {
		ver := LaunchTemplateVersion{Version: aws.ToInt64(v.VersionNumber)}
		if d := v.LaunchTemplateData; d != nil {
			ver.InstanceType = string(d.InstanceType)
			ver.ImageID = aws.ToString(d.ImageId)
			if m := d.MetadataOptions; m != nil {
				ver.HTTPTokens = string(m.HttpTokens)
				ver.HTTPPutResponseHopLimit = aws.ToInt32(m.HttpPutResponseHopLimit)
				ver.HTTPEndpoint = string(m.HttpEndpoint)
			}
			if d.Monitoring != nil {
				ver.MonitoringEnabled = aws.ToBool(d.Monitoring.Enabled)
			}
			for _, n := range d.NetworkInterfaces {
				ver.NetworkInterfaces = append(ver.NetworkInterfaces, NetworkInterface{
					DeviceIndex:              aws.ToInt32(n.DeviceIndex),
					AssociatePublicIPAddress: aws.ToBool(n.AssociatePublicIpAddress),
					SecurityGroupIDs:         n.Groups,
				})
			}
			for _, b := range d.BlockDeviceMappings {
				bd := BlockDevice{DeviceName: aws.ToString(b.DeviceName)}
				if b.Ebs != nil {
					bd.EBS = true
					bd.Encrypted = aws.ToBool(b.Ebs.Encrypted)
					bd.KMSKeyID = aws.ToString(b.Ebs.KmsKeyId)
					bd.VolumeType = string(b.Ebs.VolumeType)
				}
				ver.BlockDevices = append(ver.BlockDevices, bd)
			}
		}
		lt.Versions = append(lt.Versions, ver)
	}
	sort.Slice(lt.Versions, func(i, j int) bool { return lt.Versions[i].Version < lt.Versions[j].Version })
	s.LaunchTemplate = lt
	return nil
}

func (c collector) autoScalingGroup(ctx context.Context, s *Snapshot) error {
	name := s.Outputs.AutoScalingGroupName
	resp, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{
		AutoScalingGroupNames: []string{name}})
	if err != nil {
		return fmt.Errorf("describe auto scaling group %s: %w", name, err)
	}
	if len(resp.AutoScalingGroups) == 0 {
		return nil
	}
	g := resp.AutoScalingGroups[0]
	a := &AutoScalingGroup{
		Name:                   aws.ToString(g.AutoScalingGroupName),
		MinSize:                aws.ToInt32(g.MinSize),
		MaxSize:                aws.ToInt32(g.MaxSize),
		DesiredCapacity:        aws.ToInt32(g.DesiredCapacity),
		HealthCheckType:        aws.ToString(g.HealthCheckType),
		HealthCheckGracePeriod: aws.ToInt32(g.HealthCheckGracePeriod),
		TargetGroupARNs:        g.TargetGroupARNs,
	}
	for _, id := range strings.Split(aws.ToString(g.VPCZoneIdentifier), ",") {
		if id = strings.TrimSpace(id); id != "" {
			a.SubnetIDs = append(a.SubnetIDs, id)
		}
	}
	spec := g.LaunchTemplate
	if mip := g.MixedInstancesPolicy; mip != nil {
		a.MixedInstances = true
		if mip.LaunchTemplate != nil && mip.LaunchTemplate.LaunchTemplateSpecification != nil {
			spec = mip.LaunchTemplate.LaunchTemplateSpecification
		}
	}
	if spec != nil {
		a.LaunchTemplateID = aws.ToString(spec.LaunchTemplateId)
		a.LaunchTemplateVersion = aws.ToString(spec.Version)
	}
	for _, t := range g.Tags {
		a.Tags = append(a.Tags, ASGTag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value),
			PropagateAtLaunch: aws.ToBool(t.PropagateAtLaunch)})
	}
	sp := autoscaling.NewDescribeScheduledActionsPaginator(c.asg, &autoscaling.DescribeScheduledActionsInput{
		AutoScalingGroupName: aws.String(name)})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe scheduled actions of %s: %w", name, err)
		}
		for _, sa := range page.ScheduledUpdateGroupActions {
			a.ScheduledActions = append(a.ScheduledActions, ScheduledAction{Name: aws.ToString(sa.ScheduledActionName),
				Recurrence: aws.ToString(sa.Recurrence), MinSize: sa.MinSize, MaxSize: sa.MaxSize, DesiredCapacity: sa.DesiredCapacity})
		}
	}
	sort.Slice(a.ScheduledActions, func(i, j int) bool { return a.ScheduledActions[i].Name < a.ScheduledActions[j].Name })
	s.AutoScalingGroup = a
	return nil
}

func (c collector) loadBalancer(ctx context.Context, s *Snapshot) error {
	arn := s.Outputs.ALBARN
	resp, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{arn}})
	if err != nil {
		return fmt.Errorf("describe load balancer %s: %w", arn, err)
	}
	if len(resp.LoadBalancers) == 0 {
		return nil
	}
	l := resp.LoadBalancers[0]
	lb := &LoadBalancer{ARN: aws.ToString(l.LoadBalancerArn), Type: string(l.Type), Scheme: string(l.Scheme),
		VPCID: aws.ToString(l.VpcId), SecurityGroupIDs: l.SecurityGroups, Attributes: map[string]string{}}
	for _, az := range l.AvailabilityZones {
		lb.SubnetIDs = append(lb.SubnetIDs, aws.ToString(az.SubnetId))
	}
	attrs, err := c.elb.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{
		LoadBalancerArn: aws.String(arn)})
	if err != nil {
		return fmt.Errorf("describe load balancer %s attributes: %w", arn, err)
	}
	for _, a := range attrs.Attributes {
		lb.Attributes[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	p := elbv2.NewDescribeListenersPaginator(c.elb, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe listeners of %s: %w", arn, err)
		}
		for _, ls := range page.Listeners {
			lb.Listeners = append(lb.Listeners, listener(ls))
		}
	}
	sort.Slice(lb.Listeners, func(i, j int) bool { return lb.Listeners[i].Port < lb.Listeners[j].Port })
	if s.Outputs.RegionalWebACLARN != "" {
		w, err := c.waf.GetWebACLForResource(ctx, &wafv2.GetWebACLForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil && !apiError(err, "WAFNonexistentItemException") {
			return fmt.Errorf("get web acl for %s: %w", arn, err)
		}
		if err == nil && w.WebACL != nil {
			lb.WebACLARN = aws.ToString(w.WebACL.ARN)
		}
	}
	s.LoadBalancer = lb
	return nil
}

func listener(ls elbv2types.Listener) Listener {
	out := Listener{ARN: aws.ToString(ls.ListenerArn), Port: aws.ToInt32(ls.Port), Protocol: string(ls.Protocol),
		SSLPolicy: aws.ToString(ls.SslPolicy)}
	for _, a := range ls.DefaultActions {
		act := Action{Type: string(a.Type)}
		if a.TargetGroupArn != nil {
			act.TargetGroupARNs = append(act.TargetGroupARNs, aws.ToString(a.TargetGroupArn))
		}
		if a.ForwardConfig != nil {
			for _, tg := range a.ForwardConfig.TargetGroups {
				if arn := aws.ToString(tg.TargetGroupArn); !slices.Contains(act.TargetGroupARNs, arn) {
					act.TargetGroupARNs = append(act.TargetGroupARNs, arn)
				}
			}
		}
		if r := a.RedirectConfig; r != nil {
			act.RedirectProtocol = aws.ToString(r.Protocol)
			act.RedirectPort = aws.ToString(r.Port)
			act.RedirectStatus = string(r.StatusCode)
		}
		out.DefaultActions = append(out.DefaultActions, act)
	}
	return out
}

func (c collector) targetGroup(ctx context.Context, s *Snapshot) error {
	arn := s.Outputs.TargetGroupARN
	resp, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{arn}})
	if err != nil {
		return fmt.Errorf("describe target group %s: %w", arn, err)
	}
	if len(resp.TargetGroups) == 0 {
		return nil
	}
	t := resp.TargetGroups[0]
	tg := &TargetGroup{
		ARN:                 aws.ToString(t.TargetGroupArn),
		Protocol:            string(t.Protocol),
		Port:                aws.ToInt32(t.Port),
		VPCID:               aws.ToString(t.VpcId),
		TargetType:          string(t.TargetType),
		HealthCheckEnabled:  aws.ToBool(t.HealthCheckEnabled),
		HealthCheckPath:     aws.ToString(t.HealthCheckPath),
		HealthCheckProtocol: string(t.HealthCheckProtocol),
		HealthCheckPort:     aws.ToString(t.HealthCheckPort),
	}
	if t.Matcher != nil {
		tg.Matcher = aws.ToString(t.Matcher.HttpCode)
	}
	s.TargetGroup = tg
	return nil
}

func (c collector) logGroup(ctx context.Context, s *Snapshot) error {
	name := s.Outputs.FlowLogGroupName
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(c.logs, &cloudwatchlogs.DescribeLogGroupsInput{
		LogGroupNamePrefix: aws.String(name)})
	for p.HasMorePages() {
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

func (c collector) kmsKeys(ctx context.Context, s *Snapshot) error {
	s.KMSKeys = map[string]KMSKey{}
	for _, arn := range []string{s.Outputs.EBSKMSKeyARN, s.Outputs.LogsKMSKeyARN, s.Outputs.DataKMSKeyARN, s.Outputs.SNSKMSKeyARN} {
		if arn == "" {
			continue
		}
		if _, done := s.KMSKeys[arn]; done {
			continue
		}
		d, err := c.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
		if err != nil {
			return fmt.Errorf("describe key %s: %w", arn, err)
		}
		k := KMSKey{}
		if m := d.KeyMetadata; m != nil {
			k.ID, k.ARN, k.State, k.Manager = aws.ToString(m.KeyId), aws.ToString(m.Arn), string(m.KeyState), string(m.KeyManager)
		}
		r, err := c.kms.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(arn)})
		if err != nil {
			return fmt.Errorf("get key rotation status %s: %w", arn, err)
		}
		k.RotationEnabled = r.KeyRotationEnabled
		s.KMSKeys[arn] = k
	}
	return nil
}
