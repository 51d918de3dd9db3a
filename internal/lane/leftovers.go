package lane

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingschemas "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/schemas"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// Leftovers lists, read-only, what of environment env of run project still exists: everything the Resource
// Groups Tagging API finds tagged Project=<project> and Environment=<env> in each of regions, and, where tags
// are not listed that way, what carries the run's name prefix <project>-<env>: IAM roles, instance profiles and
// policies, CloudWatch dashboards, and log groups that services recreate untagged (RDS's exported logs under
// /aws/rds/instance/<project>-<env>..., the stack's /<project>-<env>/... and aws-waf-logs-<project>-<env>...). Resources the tagging API still lists in a terminal state (instances
// terminated, NAT gateways and endpoints deleted, volumes gone, KMS keys pending deletion, secrets scheduled for
// deletion) are not leftovers. It returns sorted ARNs.
//
// internal/verify's Leftovers is not used: it selects by the Environment tag alone and by the fixed name prefix
// ec2stack-<env>, so in an account that also runs the environment itself it would report that environment's
// resources, and it would miss the run's named resources (<project>-<env>-...).
func Leftovers(ctx context.Context, cfg aws.Config, regions []string, project, env string) ([]string, error) {
	if project == "" || env == "" {
		return nil, errors.New("leftovers: project and environment are required")
	}
	f := &finder{prefix: project + "-" + env}
	seen := map[string]bool{}
	for i, region := range regions {
		if region == "" || seen[region] {
			continue
		}
		seen[region] = true
		rc := cfg.Copy()
		rc.Region = region
		if err := f.tagged(ctx, rc, project, env); err != nil {
			return nil, fmt.Errorf("leftovers in %s: %w", region, err)
		}
		if err := f.named(ctx, rc, i == 0); err != nil {
			return nil, fmt.Errorf("leftovers in %s: %w", region, err)
		}
	}
	sort.Strings(f.found)
	return slices.Compact(f.found), nil
}

type finder struct {
	prefix string
	found  []string
}

// ours reports whether name is the run's prefix or starts with it and a hyphen or slash.
func (f *finder) ours(name string) bool {
	rest, ok := strings.CutPrefix(name, f.prefix)
	return ok && (rest == "" || rest[0] == '-' || rest[0] == '/')
}

func (f *finder) tagged(ctx context.Context, cfg aws.Config, project, env string) error {
	p := tagging.NewGetResourcesPaginator(newTagging(cfg), &tagging.GetResourcesInput{
		TagFilters: []taggingtypes.TagFilter{{Key: aws.String("Project"), Values: []string{project}},
			{Key: aws.String("Environment"), Values: []string{env}}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("tagging GetResources: %w", err)
		}
		for _, m := range page.ResourceTagMappingList {
			a := aws.ToString(m.ResourceARN)
			gone, err := terminal(ctx, cfg, a)
			if err != nil {
				return fmt.Errorf("%s: %w", a, err)
			}
			if !gone {
				f.found = append(f.found, a)
			}
		}
	}
	return nil
}

// named finds what the tagging API does not list by tag; IAM (global) only when global is set.
func (f *finder) named(ctx context.Context, cfg aws.Config, global bool) error {
	if global {
		c := iam.NewFromConfig(cfg)
		roles := iam.NewListRolesPaginator(c, &iam.ListRolesInput{})
		for roles.HasMorePages() {
			page, err := roles.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("iam ListRoles: %w", err)
			}
			for _, r := range page.Roles {
				if f.ours(aws.ToString(r.RoleName)) {
					f.found = append(f.found, aws.ToString(r.Arn))
				}
			}
		}
		profiles := iam.NewListInstanceProfilesPaginator(c, &iam.ListInstanceProfilesInput{})
		for profiles.HasMorePages() {
			page, err := profiles.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("iam ListInstanceProfiles: %w", err)
			}
			for _, p := range page.InstanceProfiles {
				if f.ours(aws.ToString(p.InstanceProfileName)) {
					f.found = append(f.found, aws.ToString(p.Arn))
				}
			}
		}
		policies := iam.NewListPoliciesPaginator(c, &iam.ListPoliciesInput{Scope: "Local"})
		for policies.HasMorePages() {
			page, err := policies.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("iam ListPolicies: %w", err)
			}
			for _, p := range page.Policies {
				if f.ours(aws.ToString(p.PolicyName)) {
					f.found = append(f.found, aws.ToString(p.Arn))
				}
			}
		}
	}
	dash := cloudwatch.NewListDashboardsPaginator(newCloudWatch(cfg), &cloudwatch.ListDashboardsInput{DashboardNamePrefix: aws.String(f.prefix)})
	for dash.HasMorePages() {
		page, err := dash.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("cloudwatch ListDashboards: %w", err)
		}
		for _, d := range page.DashboardEntries {
			if f.ours(aws.ToString(d.DashboardName)) {
				f.found = append(f.found, aws.ToString(d.DashboardArn))
			}
		}
	}
	// Log groups that services and agents (re)create themselves, untagged: RDS's exported logs, and the stack's
	// own groups when the CloudWatch agent or WAF logging writes to them again after destroy deleted them.
	logs := cloudwatchlogs.NewFromConfig(cfg)
	for _, p := range []struct{ prefix, strip string }{
		{"/aws/rds/instance/" + f.prefix, "/aws/rds/instance/"},
		{"/" + f.prefix + "/", "/"},
		{"aws-waf-logs-" + f.prefix, "aws-waf-logs-"},
	} {
		groups := cloudwatchlogs.NewDescribeLogGroupsPaginator(logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(p.prefix)})
		for groups.HasMorePages() {
			page, err := groups.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("logs DescribeLogGroups: %w", err)
			}
			for _, g := range page.LogGroups {
				if f.ours(strings.TrimPrefix(aws.ToString(g.LogGroupName), p.strip)) {
					f.found = append(f.found, strings.TrimSuffix(aws.ToString(g.Arn), ":*"))
				}
			}
		}
	}
	return nil
}

// terminal reports whether the resource at a (listed by the tagging API, which lags behind deletions) is in a
// state that is no longer a leftover.
func terminal(ctx context.Context, cfg aws.Config, a string) (bool, error) {
	parsed, err := arn.Parse(a)
	if err != nil {
		return false, nil
	}
	kind, id, _ := strings.Cut(parsed.Resource, "/")
	if parsed.Service == "secretsmanager" { // arn:...:secret:NAME-XXXXXX
		kind = "secret"
	}
	switch parsed.Service + ":" + kind {
	case "ec2:instance":
		out, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		if notFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				if i.State == nil || i.State.Name != ec2types.InstanceStateNameTerminated {
					return false, nil
				}
			}
		}
		return true, nil
	case "ec2:natgateway":
		out, err := ec2.NewFromConfig(cfg).DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
		if notFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		for _, n := range out.NatGateways {
			if n.State != ec2types.NatGatewayStateDeleted && n.State != ec2types.NatGatewayStateFailed {
				return false, nil
			}
		}
		return true, nil
	case "ec2:vpc-endpoint":
		out, err := ec2.NewFromConfig(cfg).DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
		if notFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		for _, v := range out.VpcEndpoints {
			if s := strings.ToLower(string(v.State)); s != "deleted" && s != "failed" {
				return false, nil
			}
		}
		return true, nil
	case "ec2:volume":
		_, err := ec2.NewFromConfig(cfg).DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{id}})
		if notFound(err) {
			return true, nil
		}
		return false, err
	case "kms:key":
		out, err := kms.NewFromConfig(cfg).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(a)})
		if notFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		s := out.KeyMetadata.KeyState
		return s == kmstypes.KeyStatePendingDeletion || s == kmstypes.KeyStatePendingReplicaDeletion, nil
	case "secretsmanager:secret":
		out, err := secretsmanager.NewFromConfig(cfg).DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(a)})
		if notFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		return out.DeletedDate != nil, nil
	}
	return false, nil
}

// notFound reports whether err is an API's way of saying the resource does not exist.
func notFound(err error) bool {
	c := apiCode(err)
	return c != "" && (strings.HasSuffix(c, ".NotFound") || strings.HasSuffix(c, "NotFoundException") || c == "NoSuchEntity")
}

// apiCode is the error code of an API error ("" for other errors).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// newTagging is a Resource Groups Tagging API client; against an endpoint (moto) it speaks AWS JSON 1.1, the
// service's protocol before the SDK's default CBOR, which moto 5.2.1 does not understand.
func newTagging(cfg aws.Config) *tagging.Client {
	return tagging.NewFromConfig(cfg, func(o *tagging.Options) {
		if cfg.BaseEndpoint != nil {
			o.Protocol = awsjson.New11(taggingschemas.ResourceGroupsTaggingAPI_20170126)
		}
	})
}

// newCloudWatch is a CloudWatch client; against an endpoint (moto) it speaks AWS Query, which moto 5.2.1 serves
// and the SDK's default CBOR protocol it does not (as internal/verify does).
func newCloudWatch(cfg aws.Config) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
		if cfg.BaseEndpoint != nil {
			o.Protocol = awsquery.New(cwschemas.GraniteServiceVersion20100801)
		}
	})
}
