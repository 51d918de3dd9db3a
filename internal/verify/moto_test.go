package verify

// The tests here start a moto server (moto_server on PATH); -short skips them.

import (
	"bufio"
	"context"
	"io"
	"net"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// startMoto starts moto_server on a free loopback port for the test and returns an AWS config pointing at it,
// with the context the test's calls run in (60 seconds).
// The test fails (it does not skip) when moto_server is not installed.
func startMoto(t *testing.T) (aws.Config, context.Context) {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Fatalf("moto_server not found on PATH (install moto 5.2.1 with server extras: pip install 'moto[server]==5.2.1'): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free loopback port: %v", err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	if err := l.Close(); err != nil {
		t.Fatalf("release port %s: %v", port, err)
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", port)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatalf("moto_server stderr: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start moto_server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	// moto (werkzeug) logs " * Running on http://127.0.0.1:PORT" on stderr once it listens.
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var seen []string
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "Running on http://127.0.0.1:"+port) {
				ready <- nil
				_, _ = io.Copy(io.Discard, stderr) // keep the pipe drained
				return
			}
			seen = append(seen, line)
		}
		ready <- &motoExit{output: strings.Join(seen, "\n")}
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("moto_server on port %s exited before it was ready: %v", port, err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("moto_server on port %s not ready after 15s", port)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String("http://127.0.0.1:" + port),
		RetryMaxAttempts: 1,
	}, ctx
}

// must fails the test when a setup step failed.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("setup %s: %v", what, err)
	}
}

type motoExit struct{ output string }

func (e *motoExit) Error() string { return "output:\n" + e.output }

func ec2TagSpec(rt ec2types.ResourceType, env string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{
		{Key: aws.String("Environment"), Value: aws.String(env)},
		{Key: aws.String("Project"), Value: aws.String("ec2stack")},
	}}}
}

// TestCollectAndLeftoversMoto creates a few resources with the SDK (in the test only), reads them back with
// Collect, checks that Check catches the bad values planted in them, and that Leftovers finds them by tag.
func TestCollectAndLeftoversMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("needs moto: run without -short")
	}
	cfg, ctx := startMoto(t)
	const env = "verifytest"
	ec := ec2.NewFromConfig(cfg)

	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: ec2TagSpec(ec2types.ResourceTypeVpc, env)})
	must(t, "vpc", err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	_, err = ec.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpcID),
		EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, "vpc dns hostnames", err)

	subnet := func(cidr, az string) string {
		s, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr),
			AvailabilityZone: aws.String(az), TagSpecifications: ec2TagSpec(ec2types.ResourceTypeSubnet, env)})
		must(t, "subnet "+cidr, err)
		return aws.ToString(s.Subnet.SubnetId)
	}
	dbA, dbB := subnet("10.0.20.0/24", "us-east-1a"), subnet("10.0.21.0/24", "us-east-1b")
	_, err = ec.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(dbB),
		MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, "subnet map public ip", err)

	igw, err := ec.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{
		TagSpecifications: ec2TagSpec(ec2types.ResourceTypeInternetGateway, env)})
	must(t, "internet gateway", err)
	igwID := aws.ToString(igw.InternetGateway.InternetGatewayId)
	_, err = ec.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(igwID), VpcId: aws.String(vpcID)})
	must(t, "attach internet gateway", err)
	rt, err := ec.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpcID),
		TagSpecifications: ec2TagSpec(ec2types.ResourceTypeRouteTable, env)})
	must(t, "route table", err)
	rtID := aws.ToString(rt.RouteTable.RouteTableId)
	_, err = ec.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rtID),
		DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igwID)}) // a database table must not have this
	must(t, "route", err)
	for _, sn := range []string{dbA, dbB} {
		_, err = ec.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rtID), SubnetId: aws.String(sn)})
		must(t, "route table association", err)
	}

	sg := func(name string) string {
		g, err := ec.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name),
			Description: aws.String(name), VpcId: aws.String(vpcID),
			TagSpecifications: ec2TagSpec(ec2types.ResourceTypeSecurityGroup, env)})
		must(t, "security group "+name, err)
		return aws.ToString(g.GroupId)
	}
	albSG, appSG := sg("alb"), sg("app")
	_, err = ec.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(appSG),
		IpPermissions: []ec2types.IpPermission{
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8080), ToPort: aws.Int32(8080),
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(albSG)}}},
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
				IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
		}})
	must(t, "app ingress", err)

	km := kms.NewFromConfig(cfg)
	key, err := km.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("ebs"),
		Tags: []kmstypes.Tag{{TagKey: aws.String("Environment"), TagValue: aws.String(env)}}})
	must(t, "kms key", err)
	keyARN := aws.ToString(key.KeyMetadata.Arn)
	_, err = km.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(keyARN)})
	must(t, "key rotation", err)

	lt, err := ec.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{
		LaunchTemplateName: aws.String("verifytest-app"),
		TagSpecifications:  ec2TagSpec(ec2types.ResourceTypeLaunchTemplate, env),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{
			InstanceType: ec2types.InstanceTypeT3Small,
			ImageId:      aws.String("ami-12c6146b"),
			MetadataOptions: &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{
				HttpTokens: ec2types.LaunchTemplateHttpTokensStateRequired, HttpPutResponseHopLimit: aws.Int32(2)},
			NetworkInterfaces: []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{
				DeviceIndex: aws.Int32(0), AssociatePublicIpAddress: aws.Bool(true), Groups: []string{appSG}}},
			BlockDeviceMappings: []ec2types.LaunchTemplateBlockDeviceMappingRequest{{DeviceName: aws.String("/dev/xvda"),
				Ebs: &ec2types.LaunchTemplateEbsBlockDeviceRequest{Encrypted: aws.Bool(true), KmsKeyId: aws.String(keyARN),
					VolumeSize: aws.Int32(20), VolumeType: ec2types.VolumeTypeGp3}}},
		}})
	must(t, "launch template", err)
	ltID := aws.ToString(lt.LaunchTemplate.LaunchTemplateId)

	const group = "/verifytest/vpc-flow-logs"
	lg := cloudwatchlogs.NewFromConfig(cfg)
	_, err = lg.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group),
		KmsKeyId: aws.String(keyARN), Tags: map[string]string{"Environment": env}})
	must(t, "log group", err)
	_, err = ec.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{ResourceIds: []string{vpcID},
		ResourceType: ec2types.FlowLogsResourceTypeVpc, TrafficType: ec2types.TrafficTypeAll,
		LogGroupName: aws.String(group), DeliverLogsPermissionArn: aws.String("arn:aws:iam::123456789012:role/flow-logs"),
		TagSpecifications: ec2TagSpec(ec2types.ResourceTypeVpcFlowLog, env)})
	must(t, "flow log", err)

	im := iam.NewFromConfig(cfg)
	iamTags := []iamtypes.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}
	_, err = im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("verifytest-app"), Tags: iamTags,
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	must(t, "iam role", err)
	_, err = im.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("verifytest-app"), Tags: iamTags})
	must(t, "instance profile", err)

	eb := elbv2.NewFromConfig(cfg)
	lb, err := eb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("verifytest"),
		Subnets: []string{dbA, dbB}, SecurityGroups: []string{albSG}, Scheme: elbv2types.LoadBalancerSchemeEnumInternetFacing,
		Type: elbv2types.LoadBalancerTypeEnumApplication, Tags: []elbv2types.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}})
	must(t, "load balancer", err)
	lbARN := aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)
	_, err = eb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lbARN),
		Attributes: []elbv2types.LoadBalancerAttribute{
			{Key: aws.String("routing.http.drop_invalid_header_fields.enabled"), Value: aws.String("true")},
			{Key: aws.String("routing.http.desync_mitigation_mode"), Value: aws.String("strictest")},
		}})
	must(t, "load balancer attributes", err)
	tg, err := eb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("verifytest"),
		Protocol: elbv2types.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(vpcID),
		HealthCheckPath: aws.String("/health"), Matcher: &elbv2types.Matcher{HttpCode: aws.String("200")},
		Tags: []elbv2types.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}})
	must(t, "target group", err)
	tgARN := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	_, err = eb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(80),
		Protocol: elbv2types.ProtocolEnumHttp, DefaultActions: []elbv2types.Action{{Type: elbv2types.ActionTypeEnumRedirect,
			RedirectConfig: &elbv2types.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"),
				StatusCode: elbv2types.RedirectActionStatusCodeEnumHttp301}}}})
	must(t, "listener", err)
	_, err = autoscaling.NewFromConfig(cfg).CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
		AutoScalingGroupName: aws.String("verifytest-app"), MinSize: aws.Int32(1), MaxSize: aws.Int32(3), DesiredCapacity: aws.Int32(1),
		LaunchTemplate:    &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: aws.String(ltID), Version: aws.String("$Latest")},
		VPCZoneIdentifier: aws.String(dbA + "," + dbB), TargetGroupARNs: []string{tgARN},
		HealthCheckType: aws.String("ELB"), HealthCheckGracePeriod: aws.Int32(120),
		Tags: []asgtypes.Tag{{Key: aws.String("Environment"), Value: aws.String(env), PropagateAtLaunch: aws.Bool(true)}}})
	must(t, "auto scaling group", err)

	// A resource of another environment: Leftovers must not report it.
	_, err = ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16"),
		TagSpecifications: ec2TagSpec(ec2types.ResourceTypeVpc, "other")})
	must(t, "other vpc", err)

	out := Outputs{
		Environment: env, Region: "us-east-1", VPCID: vpcID, VPCCIDRBlock: "10.0.0.0/16",
		AvailabilityZones:    []string{"us-east-1a", "us-east-1b"},
		DatabaseSubnetIDs:    map[string]string{"us-east-1a": dbA, "us-east-1b": dbB},
		DatabaseRouteTableID: rtID,
		ALBSecurityGroupID:   albSG, AppSecurityGroupID: appSG, AppPort: 8080,
		LaunchTemplateID: ltID, EBSKMSKeyARN: keyARN, LogsKMSKeyARN: keyARN, FlowLogGroupName: group,
		InstanceType: "t3.small", ALBARN: lbARN, TargetGroupARN: tgARN, AutoScalingGroupName: "verifytest-app",
		PublicSubnetIDs: map[string]string{"us-east-1a": dbA, "us-east-1b": dbB}, PrivateSubnetIDs: map[string]string{"us-east-1a": dbA, "us-east-1b": dbB},
		ASGMinSize: 1, ASGMaxSize: 3, ASGDesiredCapacity: 1,
	}
	s, err := Collect(ctx, cfg, out)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}

	// Values read back.
	if s.VPC == nil || s.VPC.CIDRBlock != "10.0.0.0/16" || !s.VPC.EnableDNSSupport || !s.VPC.EnableDNSHostnames ||
		s.VPC.Tags["Environment"] != env {
		t.Errorf("VPC = %+v", s.VPC)
	}
	if len(s.Subnets) != 2 || s.Subnets[dbA].AvailabilityZone != "us-east-1a" || s.Subnets[dbA].MapPublicIPOnLaunch ||
		!s.Subnets[dbB].MapPublicIPOnLaunch || s.Subnets[dbB].CIDRBlock != "10.0.21.0/24" {
		t.Errorf("Subnets = %+v", s.Subnets)
	}
	if r, ok := defaultRoute(s.RouteTables[rtID]); !ok || r.GatewayID != igwID || !sameSet(s.RouteTables[rtID].SubnetIDs, []string{dbA, dbB}) {
		t.Errorf("route table %s = %+v", rtID, s.RouteTables[rtID])
	}
	if !slices.Equal(s.InternetGateways, []string{igwID}) {
		t.Errorf("InternetGateways = %v, want [%s]", s.InternetGateways, igwID)
	}
	app := s.SecurityGroups[appSG]
	if len(app.Ingress) != 2 || !slices.ContainsFunc(app.Ingress, func(r Rule) bool {
		return exactly(r, 8080) && slices.Equal(r.SourceGroupIDs, []string{albSG})
	}) || !slices.ContainsFunc(app.Ingress, func(r Rule) bool {
		return exactly(r, 22) && slices.Equal(r.CIDRs, []string{"0.0.0.0/0"})
	}) {
		t.Errorf("app security group ingress = %+v", app.Ingress)
	}
	if s.LaunchTemplate == nil || len(s.LaunchTemplate.Versions) != 1 {
		t.Fatalf("LaunchTemplate = %+v", s.LaunchTemplate)
	}
	v := s.LaunchTemplate.Versions[0]
	if v.InstanceType != "t3.small" || v.HTTPTokens != "required" || v.HTTPPutResponseHopLimit != 2 ||
		len(v.NetworkInterfaces) != 1 || !v.NetworkInterfaces[0].AssociatePublicIPAddress ||
		len(v.BlockDevices) != 1 || !v.BlockDevices[0].Encrypted || KeyID(v.BlockDevices[0].KMSKeyID) != KeyID(keyARN) {
		t.Errorf("launch template version = %+v", v)
	}
	if k := s.KMSKeys[keyARN]; !k.RotationEnabled || k.State != "Enabled" {
		t.Errorf("KMS key = %+v", k)
	}
	if s.LogGroup == nil || KeyID(s.LogGroup.KMSKeyID) != KeyID(keyARN) {
		t.Errorf("LogGroup = %+v", s.LogGroup)
	}
	if len(s.FlowLogs) != 1 || s.FlowLogs[0].LogGroupName != group || s.FlowLogs[0].TrafficType != "ALL" {
		t.Errorf("FlowLogs = %+v", s.FlowLogs)
	}
	if s.NATGateways == nil || len(s.NATGateways) != 0 || len(s.Endpoints) != 0 {
		t.Errorf("NATGateways = %v, Endpoints = %v; want none", s.NATGateways, s.Endpoints)
	}
	if a := s.LoadBalancer; a == nil || a.Scheme != "internet-facing" || a.Type != "application" ||
		!sameSet(a.SubnetIDs, []string{dbA, dbB}) || !slices.Equal(a.SecurityGroupIDs, []string{albSG}) ||
		a.Attributes["routing.http.drop_invalid_header_fields.enabled"] != "true" ||
		a.Attributes["routing.http.desync_mitigation_mode"] != "strictest" || len(a.Listeners) != 1 ||
		a.Listeners[0].Port != 80 || len(a.Listeners[0].DefaultActions) != 1 ||
		!reflect.DeepEqual(a.Listeners[0].DefaultActions[0],
			Action{Type: "redirect", RedirectProtocol: "HTTPS", RedirectPort: "443", RedirectStatus: "HTTP_301"}) {
		t.Errorf("LoadBalancer = %+v", a)
	}
	if g := s.TargetGroup; g == nil || g.Protocol != "HTTP" || g.Port != 8080 || g.HealthCheckPath != "/health" || g.Matcher != "200" ||
		g.VPCID != vpcID {
		t.Errorf("TargetGroup = %+v", g)
	}
	if a := s.AutoScalingGroup; a == nil || a.MinSize != 1 || a.MaxSize != 3 || a.DesiredCapacity != 1 || a.HealthCheckType != "ELB" ||
		a.HealthCheckGracePeriod != 120 || !sameSet(a.SubnetIDs, []string{dbA, dbB}) || !slices.Equal(a.TargetGroupARNs, []string{tgARN}) ||
		a.LaunchTemplateID != ltID || !slices.Contains(a.Tags, ASGTag{Key: "Environment", Value: env, PropagateAtLaunch: true}) {
		t.Errorf("AutoScalingGroup = %+v", a)
	}

	// The planted faults are reported on the live data; the good parts are not.
	failures := Check(s, Expectations{NATMode: NATSingle})
	for _, f := range failures {
		t.Logf("check on moto data: %v", f)
	}
	has := func(check, resource string) bool {
		return slices.ContainsFunc(failures, func(f Failure) bool {
			return f.Check == check && strings.Contains(f.Resource, resource)
		})
	}
	for _, want := range []struct{ check, resource string }{
		{"launch_template.hop_limit", ltID},
		{"launch_template.public_ip", ltID},
		{"sg.app_ssh", appSG},
		{"sg.no_public_admin", appSG},
		{"subnets.map_public_ip", dbB},
		{"routes.database", rtID},
		{"sg.default_empty", "(default)"}, // moto's default SG allows all egress, like AWS
		{"alb.listener_http", "(:80)"},    // redirects, but the expectation says there is no certificate
	} {
		if !has(want.check, want.resource) {
			t.Errorf("Check on moto data: no %s failure on %s", want.check, want.resource)
		}
	}
	for _, clean := range []string{"vpc.", "launch_template.block_devices", "launch_template.http_tokens",
		"launch_template.instance_type", "kms.", "logs.kms", "flow_logs", "asg", "alb.scheme", "alb.subnets",
		"alb.drop_invalid_headers", "alb.desync_mitigation", "target_group"} {
		for _, f := range failures {
			if strings.HasPrefix(f.Check, clean) || f.Check+"." == clean {
				t.Errorf("Check on moto data: unexpected failure %v", f)
			}
		}
	}

	left, err := Leftovers(ctx, cfg, env)
	if err != nil {
		t.Fatalf("Leftovers: %v", err)
	}
	for _, want := range []string{
		"vpc " + vpcID, "subnet " + dbA, "subnet " + dbB, "internet-gateway " + igwID, "route-table " + rtID,
		"security-group " + albSG, "security-group " + appSG, "launch-template " + ltID, "kms-key " + keyARN,
		"log-group " + group, "iam-role verifytest-app", "iam-instance-profile verifytest-app",
		"load-balancer " + lbARN, "target-group " + tgARN, "autoscaling-group verifytest-app",
	} {
		if !slices.Contains(left, want) {
			t.Errorf("Leftovers(%s) misses %q; got %v", env, want, left)
		}
	}
	for _, l := range left {
		if strings.HasPrefix(l, "vpc ") && l != "vpc "+vpcID {
			t.Errorf("Leftovers(%s) reports another environment's %s", env, l)
		}
	}

	t.Logf("leftovers: %v", left)

	// Keys pending deletion are not leftovers; an environment with nothing has none.
	// By key id: moto 5.2.1 answers ScheduleKeyDeletion with a key ARN with HTTP 500.
	_, err = km.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: key.KeyMetadata.KeyId,
		PendingWindowInDays: aws.Int32(7)})
	must(t, "schedule key deletion", err)
	if left, err = Leftovers(ctx, cfg, env); err != nil {
		t.Fatalf("Leftovers after key deletion: %v", err)
	}
	if slices.Contains(left, "kms-key "+keyARN) {
		t.Errorf("Leftovers reports a key pending deletion: %v", left)
	}
	if none, err := Leftovers(ctx, cfg, "staging"); err != nil || len(none) != 0 {
		t.Errorf("Leftovers(staging) = %v, %v; want nothing", none, err)
	}
}

// TestCollectFeaturesMoto creates an encrypted RDS instance, an SNS topic with an alarm, a backup vault and plan,
// a log bucket and an SSM parameter with the SDK (in the test only), reads them back with Collect, checks Check
// on them, and that Leftovers finds them.
func TestCollectFeaturesMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("needs moto: run without -short")
	}
	cfg, ctx := startMoto(t)
	const env = "verifyfeat"
	prefix := NamePrefix(env)

	km := kms.NewFromConfig(cfg)
	key := func(desc string) string {
		k, err := km.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String(desc),
			Tags: []kmstypes.Tag{{TagKey: aws.String("Environment"), TagValue: aws.String(env)}}})
		must(t, "kms key "+desc, err)
		return aws.ToString(k.KeyMetadata.Arn)
	}
	dataKeyARN, snsKeyARN := key("data"), key("sns")
	_, err := km.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/" + prefix + "-sns"), TargetKeyId: aws.String(snsKeyARN)})
	must(t, "kms alias", err)

	// Database: VPC, two subnets, a security group, a subnet group and the instance.
	ec := ec2.NewFromConfig(cfg)
	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, "vpc", err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	subnet := func(cidr, az string) string {
		s, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})
		must(t, "subnet "+cidr, err)
		return aws.ToString(s.Subnet.SubnetId)
	}
	dbA, dbB := subnet("10.0.20.0/24", "us-east-1a"), subnet("10.0.21.0/24", "us-east-1b")
	sg, err := ec.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("db"),
		VpcId: aws.String(vpcID), TagSpecifications: ec2TagSpec(ec2types.ResourceTypeSecurityGroup, env)})
	must(t, "security group", err)
	dbSG := aws.ToString(sg.GroupId)
	rd := rds.NewFromConfig(cfg)
	rdsTags := []rdstypes.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}
	_, err = rd.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String(prefix),
		DBSubnetGroupDescription: aws.String("db"), SubnetIds: []string{dbA, dbB}, Tags: rdsTags})
	must(t, "db subnet group", err)
	_, err = rd.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String(prefix + "-db"), DBInstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
		AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("app"), ManageMasterUserPassword: aws.Bool(true),
		MasterUserSecretKmsKeyId: aws.String(dataKeyARN), StorageEncrypted: aws.Bool(true), KmsKeyId: aws.String(dataKeyARN),
		DBSubnetGroupName: aws.String(prefix), VpcSecurityGroupIds: []string{dbSG}, PubliclyAccessible: aws.Bool(false),
		EnableIAMDatabaseAuthentication: aws.Bool(true), CopyTagsToSnapshot: aws.Bool(true), AutoMinorVersionUpgrade: aws.Bool(true),
		BackupRetentionPeriod: aws.Int32(7), DeletionProtection: aws.Bool(false), EnableCloudwatchLogsExports: []string{"postgresql"},
		Tags: rdsTags})
	must(t, "db instance", err)

	// Alerts: an encrypted topic (by alias) whose policy lets CloudWatch publish, and one warning alarm on it.
	sn := sns.NewFromConfig(cfg)
	topic, err := sn.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(prefix + "-alerts"),
		Attributes: map[string]string{"KmsMasterKeyId": "alias/" + prefix + "-sns",
			"Policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`},
		Tags: []snstypes.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}})
	must(t, "sns topic", err)
	topicARN := aws.ToString(topic.TopicArn)
	alarmName := prefix + "-cpu-warning"
	_, err = newCloudWatch(cfg).PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(alarmName),
		Namespace: aws.String("AWS/EC2"), MetricName: aws.String("CPUUtilization"), Statistic: cwtypes.StatisticAverage,
		Period: aws.Int32(300), EvaluationPeriods: aws.Int32(2), Threshold: aws.Float64(80),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, ActionsEnabled: aws.Bool(true), AlarmActions: []string{topicARN}})
	must(t, "alarm", err)

	// Backup: a vault encrypted with the data key and a plan whose daily rule keeps 7 days (no weekly/monthly).
	bk := backup.NewFromConfig(cfg)
	_, err = bk.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: aws.String(prefix),
		EncryptionKeyArn: aws.String(dataKeyARN), BackupVaultTags: map[string]string{"Environment": env}})
	must(t, "backup vault", err)
	plan, err := bk.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: &backuptypes.BackupPlanInput{
		BackupPlanName: aws.String(prefix), Rules: []backuptypes.BackupRuleInput{{RuleName: aws.String("daily"),
			TargetBackupVaultName: aws.String(prefix), ScheduleExpression: aws.String("cron(0 5 * * ? *)"),
			Lifecycle: &backuptypes.Lifecycle{DeleteAfterDays: aws.Int64(7)}}}}})
	must(t, "backup plan", err)
	planID := aws.ToString(plan.BackupPlanId)

	// A tagged, versioned log bucket without a public access block, and an SSM parameter under the stack's path.
	s3c := newS3(cfg)
	bucket := prefix + "-alb-logs"
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	must(t, "bucket", err)
	_, err = s3c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}}})
	must(t, "bucket tagging", err)
	_, err = s3c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must(t, "bucket versioning", err)
	param := "/" + prefix + "/cloudwatch-agent"
	_, err = ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(param), Value: aws.String("{}"),
		Type: ssmtypes.ParameterTypeString})
	must(t, "ssm parameter", err)

	out := Outputs{Environment: env, DatabaseInstanceID: prefix + "-db", DatabaseSecurityGroupID: dbSG,
		DatabaseSubnetIDs: map[string]string{"us-east-1a": dbA, "us-east-1b": dbB},
		DataKMSKeyARN:     dataKeyARN, SNSKMSKeyARN: snsKeyARN, SNSTopicARN: topicARN,
		AlarmNames:      map[string]string{"cpu_warning": alarmName},
		BackupVaultName: prefix, BackupPlanID: planID, ALBLogsBucket: bucket}
	s, err := Collect(ctx, cfg, out)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}

	// Values read back.
	if d := s.Database; d == nil || d.Engine != "postgres" || !d.StorageEncrypted || KeyID(d.KMSKeyID) != KeyID(dataKeyARN) ||
		d.PubliclyAccessible || !slices.Equal(d.SecurityGroupIDs, []string{dbSG}) || !sameSet(d.SubnetIDs, []string{dbA, dbB}) ||
		!d.IAMAuthentication || !d.CopyTagsToSnapshot || d.BackupRetentionPeriod != 7 || d.MasterUserSecretARN == "" ||
		!slices.Equal(d.LogExports, []string{"postgresql"}) || d.Tags["Environment"] != env {
		t.Errorf("Database = %+v", s.Database)
	}
	if tp := s.Topic; tp == nil || tp.KMSMasterKeyID != "alias/"+prefix+"-sns" || KeyID(tp.KMSKeyARN) != KeyID(snsKeyARN) ||
		!allowsService(tp.Policy, "cloudwatch.amazonaws.com", "sns:Publish") {
		t.Errorf("Topic = %+v", s.Topic)
	}
	if a, ok := s.Alarms[alarmName]; !ok || !a.ActionsEnabled || !slices.Equal(a.AlarmActions, []string{topicARN}) {
		t.Errorf("Alarms = %+v", s.Alarms)
	}
	if v := s.BackupVault; v == nil || v.Name != prefix || v.EncryptionKeyARN != dataKeyARN {
		t.Errorf("BackupVault = %+v", s.BackupVault)
	}
	if p := s.BackupPlan; p == nil || len(p.Rules) != 1 || p.Rules[0].Name != "daily" || p.Rules[0].DeleteAfterDays != 7 ||
		p.Rules[0].TargetVault != prefix {
		t.Errorf("BackupPlan = %+v", s.BackupPlan)
	}
	if b, ok := s.Buckets[bucket]; !ok || b.Versioning != "Enabled" || b.BlockPublicACLs || b.Policy != "" || len(b.Lifecycle) != 0 {
		t.Errorf("Buckets = %+v", s.Buckets)
	}

	// The planted faults are reported on the live data; the good parts are not.
	failures := Check(s, Expectations{Database: &DatabaseExpectations{Engine: "postgres", BackupRetentionDays: 7},
		BackupRetentionDays: 7, Alerts: true, AccessLogs: true})
	has := func(check, resource string) bool {
		return slices.ContainsFunc(failures, func(f Failure) bool { return f.Check == check && strings.Contains(f.Resource, resource) })
	}
	for _, want := range []struct{ check, resource string }{
		{"alerts.topic_policy", topicARN},  // no EventBridge statement
		{"alerts.severity", "alarm_names"}, // no critical alarm
		{"backup.rules", planID},           // no weekly or monthly rule
		{"log_bucket.public_access_block", bucket},
		{"log_bucket.tls_only", bucket},
	} {
		if !has(want.check, want.resource) {
			t.Errorf("Check on moto data: no %s failure on %s", want.check, want.resource)
		}
	}
	for _, clean := range []string{"database.engine", "database.encryption", "database.public", "database.security_group",
		"database.subnets", "database.iam_auth", "database.copy_tags", "database.backup_retention", "database.log_exports",
		"database.multi_az", "database.deletion_protection", "alerts.topic_kms", "alerts.alarm_actions", "backup.vault",
		"backup.vault_kms", "backup.retention", "log_bucket.versioning", "dashboard", "edge", "waf"} {
		for _, f := range failures {
			if f.Check == clean || strings.HasPrefix(f.Check, clean+".") {
				t.Errorf("Check on moto data: unexpected failure %v", f)
			}
		}
	}
	for _, f := range failures {
		t.Logf("check on moto data: %v", f)
	}

	left, err := Leftovers(ctx, cfg, env)
	if err != nil {
		t.Fatalf("Leftovers: %v", err)
	}
	for _, want := range []string{
		"db-instance " + prefix + "-db", "db-subnet-group " + prefix, "sns-topic " + topicARN, "cloudwatch-alarm " + alarmName,
		"backup-vault " + prefix, "backup-plan " + planID, "s3-bucket " + bucket, "ssm-parameter " + param,
	} {
		if !slices.Contains(left, want) {
			t.Errorf("Leftovers(%s) misses %q; got %v", env, want, left)
		}
	}
	if none, err := Leftovers(ctx, cfg, "verifyfea"); err != nil || len(none) != 0 {
		t.Errorf("Leftovers(verifyfea) = %v, %v; want nothing (names are matched on a separator)", none, err)
	}
}
