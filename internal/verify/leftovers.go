package verify

import (
	"context"
	"fmt"
	"sort"
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
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
)

// EnvironmentTag is the tag key every resource of a stack carries with the environment name as its value.
const EnvironmentTag = "Environment"

// Leftovers lists what still carries Environment=<environment> in cfg's region (and in IAM, S3, CloudFront,
// Route 53 and CLOUDFRONT-scope WAF), read-only, as sorted "type id" strings. Where a service's list does not
// carry tags cheaply, the stack's naming is used instead: CloudWatch alarms and dashboards, WAF web ACLs and
// backup plans named "ec2stack-<env>...", SSM parameters under "/ec2stack-<env>/". After a destroy the list
// should be empty. Resources in a terminal state (NAT gateways and endpoints deleted, instances terminated, KMS
// keys pending deletion or disabled, secrets scheduled for deletion) are not leftovers.
func Leftovers(ctx context.Context, cfg aws.Config, environment string) ([]string, error) {
	if environment == "" {
		return nil, fmt.Errorf("leftovers: environment is empty")
	}
	l := leftovers{
		env:  environment,
		ec2:  ec2.NewFromConfig(cfg),
		asg:  autoscaling.NewFromConfig(cfg),
		elb:  elbv2.NewFromConfig(cfg),
		logs: cloudwatchlogs.NewFromConfig(cfg),
		iam:  iam.NewFromConfig(cfg),
		kms:  kms.NewFromConfig(cfg),

		region:    cfg.Region,
		rds:       rds.NewFromConfig(cfg),
		sns:       sns.NewFromConfig(cfg),
		cw:        newCloudWatch(cfg),
		backup:    backup.NewFromConfig(cfg),
		s3:        newS3(cfg),
		cf:        cloudfront.NewFromConfig(cfg),
		waf:       wafv2.NewFromConfig(cfg),
		wafGlobal: wafv2.NewFromConfig(usEast1(cfg)),
		r53:       route53.NewFromConfig(cfg),
		ssm:       ssm.NewFromConfig(cfg),
		secrets:   secretsmanager.NewFromConfig(cfg),
	}
	for _, step := range []struct {
		name string
		run  func(context.Context) error
	}{
		{"ec2", l.ec2Resources},
		{"auto scaling groups", l.autoScalingGroups},
		{"load balancers", l.loadBalancers},
		{"log groups", l.logGroups},
		{"iam", l.iamResources},
		{"kms keys", l.kmsKeys},
		{"rds", l.rdsResources},
		{"sns topics", l.topics},
		{"cloudwatch", l.cloudwatch},
		{"backup", l.backupResources},
		{"s3 buckets", l.buckets},
		{"cloudfront distributions", l.distributions},
		{"waf web acls", l.webACLs},
		{"route 53 zones", l.hostedZones},
		{"ssm parameters", l.parameters},
		{"secrets", l.secretList},
	} {
		if err := step.run(ctx); err != nil {
			return nil, fmt.Errorf("leftovers of %s: %s: %w", environment, step.name, err)
		}
	}
	sort.Strings(l.found)
	return l.found, nil
}

type leftovers struct {
	env   string
	found []string
	ec2   *ec2.Client
	asg   *autoscaling.Client
	elb   *elbv2.Client
	logs  *cloudwatchlogs.Client
	iam   *iam.Client
	kms   *kms.Client

	region    string
	rds       *rds.Client
	sns       *sns.Client
	cw        *cloudwatch.Client
	backup    *backup.Client
	s3        *s3.Client
	cf        *cloudfront.Client
	waf       *wafv2.Client
	wafGlobal *wafv2.Client
	r53       *route53.Client
	ssm       *ssm.Client
	secrets   *secretsmanager.Client
}

func (l *leftovers) add(kind, id string) { l.found = append(l.found, kind+" "+id) }

func (l *leftovers) ec2Resources(ctx context.Context) error {
	tag := []ec2types.Filter{filter("tag:"+EnvironmentTag, l.env)}
	vpcs, err := l.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe vpcs: %w", err)
	}
	for _, v := range vpcs.Vpcs {
		l.add("vpc", aws.ToString(v.VpcId))
	}
	subnets, err := l.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe subnets: %w", err)
	}
	for _, s := range subnets.Subnets {
		l.add("subnet", aws.ToString(s.SubnetId))
	}
	sgs, err := l.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe security groups: %w", err)
	}
	for _, g := range sgs.SecurityGroups {
		if aws.ToString(g.GroupName) != "default" { // goes with its VPC
			l.add("security-group", aws.ToString(g.GroupId))
		}
	}
	nats, err := l.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: tag})
	if err != nil {
		return fmt.Errorf("describe nat gateways: %w", err)
	}
	for _, n := range nats.NatGateways {
		if n.State != ec2types.NatGatewayStateDeleted {
			l.add("nat-gateway", aws.ToString(n.NatGatewayId))
		}
	}
	igws, err := l.ec2.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe internet gateways: %w", err)
	}
	for _, g := range igws.InternetGateways {
		l.add("internet-gateway", aws.ToString(g.InternetGatewayId))
	}
	rts, err := l.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe route tables: %w", err)
	}
	for _, rt := range rts.RouteTables {
		l.add("route-table", aws.ToString(rt.RouteTableId))
	}
	acls, err := l.ec2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe network acls: %w", err)
	}
	for _, a := range acls.NetworkAcls {
		if !aws.ToBool(a.IsDefault) { // goes with its VPC
			l.add("network-acl", aws.ToString(a.NetworkAclId))
		}
	}
	eps, err := l.ec2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe vpc endpoints: %w", err)
	}
	for _, e := range eps.VpcEndpoints {
		if s := strings.ToLower(string(e.State)); s != "deleted" && s != "deleting" {
			l.add("vpc-endpoint", aws.ToString(e.VpcEndpointId))
		}
	}
	eips, err := l.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe addresses: %w", err)
	}
	for _, a := range eips.Addresses {
		l.add("elastic-ip", aws.ToString(a.AllocationId))
	}
	flows, err := l.ec2.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{Filter: tag})
	if err != nil {
		return fmt.Errorf("describe flow logs: %w", err)
	}
	for _, f := range flows.FlowLogs {
		l.add("flow-log", aws.ToString(f.FlowLogId))
	}
	lts, err := l.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{Filters: tag})
	if err != nil {
		return fmt.Errorf("describe launch templates: %w", err)
	}
	for _, t := range lts.LaunchTemplates {
		l.add("launch-template", aws.ToString(t.LaunchTemplateId))
	}
	live := filter("instance-state-name", "pending", "running", "stopping", "stopped", "shutting-down")
	ip := ec2.NewDescribeInstancesPaginator(l.ec2, &ec2.DescribeInstancesInput{Filters: append(tag, live)})
	for ip.HasMorePages() {
		page, err := ip.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe instances: %w", err)
		}
		for _, r := range page.Reservations {
			for _, i := range r.Instances {
				l.add("instance", aws.ToString(i.InstanceId))
			}
		}
	}
	return nil
}

func (l *leftovers) autoScalingGroups(ctx context.Context) error {
	p := autoscaling.NewDescribeAutoScalingGroupsPaginator(l.asg, &autoscaling.DescribeAutoScalingGroupsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe auto scaling groups: %w", err)
		}
		for _, g := range page.AutoScalingGroups {
			for _, t := range g.Tags {
				if aws.ToString(t.Key) == EnvironmentTag && aws.ToString(t.Value) == l.env {
					l.add("autoscaling-group", aws.ToString(g.AutoScalingGroupName))
				}
			}
		}
	}
	return nil
}

// taggedELB returns the ARNs among arns whose Environment tag is the environment.
func (l *leftovers) taggedELB(ctx context.Context, arns []string) ([]string, error) {
	var out []string
	for len(arns) > 0 {
		n := min(len(arns), 20) // DescribeTags takes at most 20 ARNs
		resp, err := l.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns[:n]})
		if err != nil {
			return nil, fmt.Errorf("describe tags: %w", err)
		}
		for _, d := range resp.TagDescriptions {
			for _, t := range d.Tags {
				if aws.ToString(t.Key) == EnvironmentTag && aws.ToString(t.Value) == l.env {
					out = append(out, aws.ToString(d.ResourceArn))
				}
			}
		}
		arns = arns[n:]
	}
	return out, nil
}

func (l *leftovers) loadBalancers(ctx context.Context) error {
	var lbs, tgs []string
	lp := elbv2.NewDescribeLoadBalancersPaginator(l.elb, &elbv2.DescribeLoadBalancersInput{})
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe load balancers: %w", err)
		}
		for _, lb := range page.LoadBalancers {
			lbs = append(lbs, aws.ToString(lb.LoadBalancerArn))
		}
	}
	tp := elbv2.NewDescribeTargetGroupsPaginator(l.elb, &elbv2.DescribeTargetGroupsInput{})
	for tp.HasMorePages() {
		page, err := tp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe target groups: %w", err)
		}
		for _, tg := range page.TargetGroups {
			tgs = append(tgs, aws.ToString(tg.TargetGroupArn))
		}
	}
	tagged, err := l.taggedELB(ctx, lbs)
	if err != nil {
		return fmt.Errorf("load balancers: %w", err)
	}
	for _, arn := range tagged {
		l.add("load-balancer", arn)
	}
	if tagged, err = l.taggedELB(ctx, tgs); err != nil {
		return fmt.Errorf("target groups: %w", err)
	}
	for _, arn := range tagged {
		l.add("target-group", arn)
	}
	return nil
}

func (l *leftovers) logGroups(ctx context.Context) error {
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(l.logs, &cloudwatchlogs.DescribeLogGroupsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe log groups: %w", err)
		}
		for _, g := range page.LogGroups {
			arn := aws.ToString(g.LogGroupArn)
			if arn == "" {
				arn = strings.TrimSuffix(aws.ToString(g.Arn), ":*")
			}
			tags, err := l.logs.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return fmt.Errorf("list tags of log group %s: %w", aws.ToString(g.LogGroupName), err)
			}
			if tags.Tags[EnvironmentTag] == l.env {
				l.add("log-group", aws.ToString(g.LogGroupName))
			}
		}
	}
	return nil
}

func (l *leftovers) iamResources(ctx context.Context) error {
	rp := iam.NewListRolesPaginator(l.iam, &iam.ListRolesInput{})
	for rp.HasMorePages() {
		page, err := rp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list roles: %w", err)
		}
		for _, r := range page.Roles {
			if strings.HasPrefix(aws.ToString(r.Path), "/aws-service-role/") {
				continue
			}
			tp := iam.NewListRoleTagsPaginator(l.iam, &iam.ListRoleTagsInput{RoleName: r.RoleName})
			for tp.HasMorePages() {
				tags, err := tp.NextPage(ctx)
				if err != nil {
					return fmt.Errorf("list tags of role %s: %w", aws.ToString(r.RoleName), err)
				}
				for _, t := range tags.Tags {
					if aws.ToString(t.Key) == EnvironmentTag && aws.ToString(t.Value) == l.env {
						l.add("iam-role", aws.ToString(r.RoleName))
					}
				}
			}
		}
	}
	pp := iam.NewListInstanceProfilesPaginator(l.iam, &iam.ListInstanceProfilesInput{})
	for pp.HasMorePages() {
		page, err := pp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list instance profiles: %w", err)
		}
		for _, p := range page.InstanceProfiles {
			tags := p.Tags
			if len(tags) == 0 { // ListInstanceProfiles does not return tags on AWS; GetInstanceProfile does
				got, err := l.iam.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: p.InstanceProfileName})
				if err != nil {
					return fmt.Errorf("get instance profile %s: %w", aws.ToString(p.InstanceProfileName), err)
				}
				if got.InstanceProfile != nil {
					tags = got.InstanceProfile.Tags
				}
			}
			for _, t := range tags {
				if aws.ToString(t.Key) == EnvironmentTag && aws.ToString(t.Value) == l.env {
					l.add("iam-instance-profile", aws.ToString(p.InstanceProfileName))
				}
			}
		}
	}
	return nil
}

func (l *leftovers) kmsKeys(ctx context.Context) error {
	p := kms.NewListKeysPaginator(l.kms, &kms.ListKeysInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list keys: %w", err)
		}
		for _, k := range page.Keys {
			id := aws.ToString(k.KeyId)
			d, err := l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
			if err != nil {
				return fmt.Errorf("describe key %s: %w", id, err)
			}
			m := d.KeyMetadata
			if m == nil || m.KeyState != kmstypes.KeyStateEnabled || m.KeyManager != kmstypes.KeyManagerTypeCustomer {
				continue
			}
			tp := kms.NewListResourceTagsPaginator(l.kms, &kms.ListResourceTagsInput{KeyId: k.KeyId})
			for tp.HasMorePages() {
				tags, err := tp.NextPage(ctx)
				if err != nil {
					return fmt.Errorf("list tags of key %s: %w", id, err)
				}
				for _, t := range tags.Tags {
					if aws.ToString(t.TagKey) == EnvironmentTag && aws.ToString(t.TagValue) == l.env {
						l.add("kms-key", aws.ToString(m.Arn))
					}
				}
			}
		}
	}
	return nil
}
