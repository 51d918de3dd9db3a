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
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
)

// Compute (terraform/modules/compute): the launch template, the Auto Scaling group and its schedule, the ALB
// with its listeners and target group.

var computeDomain = domain{
	name: "compute",
	collect: []collectStep{
		{"launch template", func(o Outputs) bool { return o.LaunchTemplateID != "" }, (*clients).launchTemplate},
		{"auto scaling group", func(o Outputs) bool { return o.AutoScalingGroupName != "" }, (*clients).autoScalingGroup},
		{"load balancer", func(o Outputs) bool { return o.ALBARN != "" }, (*clients).loadBalancer},
		{"target group", func(o Outputs) bool { return o.TargetGroupARN != "" }, (*clients).targetGroup},
	},
	check: []func(*checker){
		(*checker).launchTemplate, (*checker).autoScalingGroup, (*checker).loadBalancer, (*checker).targetGroup,
		(*checker).offHours, (*checker).detailedMonitoring,
	},
	leftovers: computeLeftovers,
}

// TLSPolicy is the listener security policy required on HTTPS listeners.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// ComputeSnapshot is the compute part of a Snapshot.
type ComputeSnapshot struct {
	LaunchTemplate   *LaunchTemplate
	AutoScalingGroup *AutoScalingGroup
	LoadBalancer     *LoadBalancer
	TargetGroup      *TargetGroup
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
	Spot                   bool // a mixed-instances policy with less than 100 % on-demand above the base
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
	CertificateARN string // the default certificate of an HTTPS listener
	DefaultActions []Action
}

// Action is a listener default action.
type Action struct {
	Type             string // forward | redirect | fixed-response | ...
	TargetGroupARNs  []string
	Weights          map[string]int32 // a weighted forward (blue/green): each target group's weight
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

// ---- collect

func (c *clients) launchTemplate(ctx context.Context, s *Snapshot) error {
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
		lt.Versions = append(lt.Versions, launchTemplateVersion(v))
	}
	sort.Slice(lt.Versions, func(i, j int) bool { return lt.Versions[i].Version < lt.Versions[j].Version })
	s.LaunchTemplate = lt
	return nil
}

func launchTemplateVersion(v ec2types.LaunchTemplateVersion) LaunchTemplateVersion {
	ver := LaunchTemplateVersion{Version: aws.ToInt64(v.VersionNumber)}
	d := v.LaunchTemplateData
	if d == nil {
		return ver
	}
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
	return ver
}

func (c *clients) autoScalingGroup(ctx context.Context, s *Snapshot) error {
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
		if d := mip.InstancesDistribution; d != nil && d.OnDemandPercentageAboveBaseCapacity != nil { // default 100
			a.Spot = aws.ToInt32(d.OnDemandPercentageAboveBaseCapacity) < 100
		}
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
	err = each(ctx, autoscaling.NewDescribeScheduledActionsPaginator(c.asg, &autoscaling.DescribeScheduledActionsInput{
		AutoScalingGroupName: aws.String(name)}),
		func(o *autoscaling.DescribeScheduledActionsOutput) []asgtypes.ScheduledUpdateGroupAction {
			return o.ScheduledUpdateGroupActions
		},
		func(sa asgtypes.ScheduledUpdateGroupAction) error {
			a.ScheduledActions = append(a.ScheduledActions, ScheduledAction{Name: aws.ToString(sa.ScheduledActionName),
				Recurrence: aws.ToString(sa.Recurrence), MinSize: sa.MinSize, MaxSize: sa.MaxSize, DesiredCapacity: sa.DesiredCapacity})
			return nil
		})
	if err != nil {
		return fmt.Errorf("describe scheduled actions of %s: %w", name, err)
	}
	sort.Slice(a.ScheduledActions, func(i, j int) bool { return a.ScheduledActions[i].Name < a.ScheduledActions[j].Name })
	s.AutoScalingGroup = a
	return nil
}

func (c *clients) loadBalancer(ctx context.Context, s *Snapshot) error {
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
	err = each(ctx, elbv2.NewDescribeListenersPaginator(c.elb, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(arn)}),
		func(o *elbv2.DescribeListenersOutput) []elbv2types.Listener { return o.Listeners },
		func(ls elbv2types.Listener) error {
			lb.Listeners = append(lb.Listeners, listener(ls))
			return nil
		})
	if err != nil {
		return fmt.Errorf("describe listeners of %s: %w", arn, err)
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
	if len(ls.Certificates) > 0 {
		out.CertificateARN = aws.ToString(ls.Certificates[0].CertificateArn)
	}
	for _, a := range ls.DefaultActions {
		act := Action{Type: string(a.Type)}
		if a.TargetGroupArn != nil {
			act.TargetGroupARNs = append(act.TargetGroupARNs, aws.ToString(a.TargetGroupArn))
		}
		if a.ForwardConfig != nil {
			for _, tg := range a.ForwardConfig.TargetGroups {
				arn := aws.ToString(tg.TargetGroupArn)
				if !slices.Contains(act.TargetGroupARNs, arn) {
					act.TargetGroupARNs = append(act.TargetGroupARNs, arn)
				}
				if tg.Weight != nil {
					if act.Weights == nil {
						act.Weights = map[string]int32{}
					}
					act.Weights[arn] = aws.ToInt32(tg.Weight)
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

func (c *clients) targetGroup(ctx context.Context, s *Snapshot) error {
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

// ---- check

func (c *checker) launchTemplate() {
	c.checks("launch_template", "launch_template.http_tokens", "launch_template.hop_limit", "launch_template.public_ip",
		"launch_template.instance_type", "launch_template.block_devices")
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

func (c *checker) detailedMonitoring() {
	want := c.w.DetailedMonitoring
	lt := c.s.LaunchTemplate
	if want == nil || lt == nil {
		return
	}
	c.checks("launch_template.monitoring")
	for _, v := range lt.Versions {
		if v.MonitoringEnabled != *want {
			c.fail("launch_template.monitoring", fmt.Sprintf("%s version %d", lt.ID, v.Version),
				fmt.Sprintf("Monitoring.Enabled=%t", v.MonitoringEnabled), fmt.Sprintf("Monitoring.Enabled=%t", *want))
		}
	}
}

func (c *checker) autoScalingGroup() {
	c.checks("asg", "asg.size", "asg.health_check", "asg.grace_period", "asg.subnets", "asg.target_group", "asg.launch_template", "asg.tags")
	a := c.s.AutoScalingGroup
	if c.missing("asg", c.o.AutoScalingGroupName, a != nil) {
		return
	}
	sizes := func(min, max, desired int) string { return fmt.Sprintf("min=%d max=%d desired=%d", min, max, desired) }
	got := sizes(int(a.MinSize), int(a.MaxSize), int(a.DesiredCapacity))
	exactDesired := c.w.DesiredCapacity != 0 && !c.w.AnyDesired
	if (int(a.MinSize) != c.w.MinSize || int(a.MaxSize) != c.w.MaxSize ||
		(exactDesired && int(a.DesiredCapacity) != c.w.DesiredCapacity)) && !scheduledSizes(a) {
		want := sizes(c.w.MinSize, c.w.MaxSize, c.w.DesiredCapacity)
		if !exactDesired {
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
	if want := c.w.Spot; want != nil {
		c.checks("asg.spot")
		if a.Spot != *want {
			c.fail("asg.spot", a.Name, fmt.Sprintf("Spot capacity=%t", a.Spot), fmt.Sprintf("Spot capacity=%t", *want))
		}
	}
}

// scheduledSizes reports whether the group's min and max are those of one of its recurring scheduled actions:
// out of hours the off-hours sizes hold, and the desired capacity moves with scaling anyway.
func scheduledSizes(a *AutoScalingGroup) bool {
	for _, sa := range a.ScheduledActions {
		if sa.Recurrence != "" && sa.MinSize != nil && sa.MaxSize != nil && *sa.MinSize == a.MinSize && *sa.MaxSize == a.MaxSize &&
			a.MinSize <= a.DesiredCapacity && a.DesiredCapacity <= a.MaxSize {
			return true
		}
	}
	return false
}

func (c *checker) offHours() {
	a := c.s.AutoScalingGroup
	if a == nil { // reported by asg
		return
	}
	c.checks("asg.schedule")
	var names []string
	for _, sa := range a.ScheduledActions {
		names = append(names, sa.Name+"("+cmpOr(sa.Recurrence, "once")+")")
	}
	if !*c.w.OffHours {
		if len(a.ScheduledActions) > 0 {
			c.fail("asg.schedule", a.Name, "scheduled actions "+list(names), "no scheduled actions")
		}
		return
	}
	down, up := false, false
	for _, sa := range a.ScheduledActions {
		if sa.Recurrence == "" {
			continue
		}
		n := strings.ToLower(sa.Name)
		isDown := strings.Contains(n, "down") || strings.Contains(n, "stop") ||
			(sa.DesiredCapacity != nil && *sa.DesiredCapacity == 0) || (sa.MaxSize != nil && *sa.MaxSize == 0)
		down = down || isDown
		up = up || !isDown
	}
	if len(a.ScheduledActions) != 2 || !down || !up {
		c.fail("asg.schedule", a.Name, "scheduled actions "+list(names), "a recurring scale-down and a recurring scale-up action")
	}
}

func (c *checker) loadBalancer() {
	c.checks("alb", "alb.type", "alb.scheme", "alb.subnets", "alb.security_groups", "alb.drop_invalid_headers", "alb.desync_mitigation")
	if c.w.DeletionProtection {
		c.checks("alb.deletion_protection")
	}
	lb := c.s.LoadBalancer
	if c.missing("alb", c.o.ALBARN, lb != nil) {
		return
	}
	if v := lb.Attributes["deletion_protection.enabled"]; c.w.DeletionProtection && v != "true" {
		c.fail("alb.deletion_protection", lb.ARN, "deletion_protection.enabled="+v, "deletion_protection.enabled=true")
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
	c.checks("alb.listener_http")
	if c.w.HTTPSListener {
		c.checks("alb.listener_https", "alb.tls_policy")
	}
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
		if !slices.ContainsFunc(https.DefaultActions, func(a Action) bool { return a.forwardsTo(c.o.TargetGroupARN) }) {
			c.fail("alb.listener_https", hres, "no forward to the target group", "forward to "+c.o.TargetGroupARN)
		}
		return
	}
	if c.o.TargetGroupARN == "" || !a.forwardsTo(c.o.TargetGroupARN) {
		c.fail("alb.listener_http", res, fmt.Sprintf("%s %s%s", a.Type, list(a.TargetGroupARNs), weights(a.Weights)), "forward to "+c.o.TargetGroupARN)
	}
}

// forwardsTo reports whether a forwards the traffic to the target group arn: a forward to it alone, or a weighted
// forward (blue/green) that gives it the largest weight.
func (a Action) forwardsTo(arn string) bool {
	if a.Type != "forward" || !slices.Contains(a.TargetGroupARNs, arn) {
		return false
	}
	for _, w := range a.Weights {
		if w > a.Weights[arn] {
			return false
		}
	}
	return true
}

// weights shows a weighted forward's weights (" weights …"), "" for a plain forward.
func weights(w map[string]int32) string {
	if len(w) == 0 {
		return ""
	}
	var parts []string
	for arn, n := range w {
		parts = append(parts, fmt.Sprintf("%s=%d", arn, n))
	}
	sort.Strings(parts)
	return " weights " + strings.Join(parts, ",")
}

func (c *checker) targetGroup() {
	c.checks("target_group", "target_group.port", "target_group.vpc", "target_group.health_check")
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

// ---- leftovers

func computeLeftovers(ctx context.Context, l *leftovers) {
	tag := l.ec2Filters()
	find(ctx, l, "launch-template", ec2.NewDescribeLaunchTemplatesPaginator(l.ec2, &ec2.DescribeLaunchTemplatesInput{Filters: tag}),
		func(o *ec2.DescribeLaunchTemplatesOutput) []ec2types.LaunchTemplate { return o.LaunchTemplates },
		func(t ec2types.LaunchTemplate) (string, bool, error) {
			return aws.ToString(t.LaunchTemplateId), true, nil
		})
	live := filter("instance-state-name", "pending", "running", "stopping", "stopped", "shutting-down")
	find(ctx, l, "instance", ec2.NewDescribeInstancesPaginator(l.ec2, &ec2.DescribeInstancesInput{Filters: append(tag, live)}),
		func(o *ec2.DescribeInstancesOutput) (instances []ec2types.Instance) {
			for _, r := range o.Reservations {
				instances = append(instances, r.Instances...)
			}
			return instances
		},
		func(i ec2types.Instance) (string, bool, error) { return aws.ToString(i.InstanceId), true, nil })
	find(ctx, l, "autoscaling-group",
		autoscaling.NewDescribeAutoScalingGroupsPaginator(l.asg, &autoscaling.DescribeAutoScalingGroupsInput{}),
		func(o *autoscaling.DescribeAutoScalingGroupsOutput) []asgtypes.AutoScalingGroup {
			return o.AutoScalingGroups
		},
		func(g asgtypes.AutoScalingGroup) (string, bool, error) {
			tags := tagMap(g.Tags, func(t asgtypes.TagDescription) (*string, *string) { return t.Key, t.Value })
			return aws.ToString(g.AutoScalingGroupName), l.ours(tags), nil
		})
	findELB(ctx, l, "load-balancer", elbv2.NewDescribeLoadBalancersPaginator(l.elb, &elbv2.DescribeLoadBalancersInput{}),
		func(o *elbv2.DescribeLoadBalancersOutput) []elbv2types.LoadBalancer { return o.LoadBalancers },
		func(lb elbv2types.LoadBalancer) string { return aws.ToString(lb.LoadBalancerArn) })
	findELB(ctx, l, "target-group", elbv2.NewDescribeTargetGroupsPaginator(l.elb, &elbv2.DescribeTargetGroupsInput{}),
		func(o *elbv2.DescribeTargetGroupsOutput) []elbv2types.TargetGroup { return o.TargetGroups },
		func(tg elbv2types.TargetGroup) string { return aws.ToString(tg.TargetGroupArn) })
}

// findELB adds, as kind, the load balancers or target groups p lists whose tags carry the environment; the
// lists carry no tags, DescribeTags reads them.
func findELB[Out, T any](ctx context.Context, l *leftovers, kind string, p pager[Out, elbv2.Options], items func(*Out) []T,
	arn func(T) string) {
	l.run(kind, func() error {
		arns, err := ids(ctx, p, items, arn)
		if err != nil {
			return err
		}
		return inBatches(arns, 20, func(batch []string) error { // DescribeTags takes at most 20 ARNs
			resp, err := l.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: batch})
			if err != nil {
				return fmt.Errorf("describe tags: %w", err)
			}
			for _, d := range resp.TagDescriptions {
				if l.ours(tagMap(d.Tags, func(t elbv2types.Tag) (*string, *string) { return t.Key, t.Value })) {
					l.add(kind, aws.ToString(d.ResourceArn))
				}
			}
			return nil
		})
	})
}
