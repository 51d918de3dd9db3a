package verify

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	waftypes "github.com/aws/aws-sdk-go-v2/service/wafv2/types"
)

// NamePrefix is the prefix of the names the stack gives its resources in environment env.
func NamePrefix(env string) string { return "ec2stack-" + env }

// named reports whether name is the environment's name prefix or starts with it followed by a separator, so
// "ec2stack-dev-alarm" is dev's and "ec2stack-dev2-alarm" is not.
func (l *leftovers) named(name string) bool {
	rest, ok := strings.CutPrefix(name, NamePrefix(l.env))
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	r := []rune(rest)[0]
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func (l *leftovers) tagged(key, value string) bool { return key == EnvironmentTag && value == l.env }

// ---- RDS

func (l *leftovers) rdsTagged(ctx context.Context, arn string) (bool, error) {
	resp, err := l.rds.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	if err != nil {
		return false, fmt.Errorf("list tags of %s: %w", arn, err)
	}
	for _, t := range resp.TagList {
		if l.tagged(aws.ToString(t.Key), aws.ToString(t.Value)) {
			return true, nil
		}
	}
	return false, nil
}

func rdsTagsMatch(l *leftovers, tags []rdstypes.Tag) bool {
	for _, t := range tags {
		if l.tagged(aws.ToString(t.Key), aws.ToString(t.Value)) {
			return true
		}
	}
	return false
}

func (l *leftovers) rdsResources(ctx context.Context) error {
	ip := rds.NewDescribeDBInstancesPaginator(l.rds, &rds.DescribeDBInstancesInput{})
	for ip.HasMorePages() {
		page, err := ip.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe db instances: %w", err)
		}
		for _, d := range page.DBInstances {
			id := aws.ToString(d.DBInstanceIdentifier)
			// DescribeDBInstances carries the tags; where it does not, the identifier decides.
			if rdsTagsMatch(l, d.TagList) || (len(d.TagList) == 0 && l.named(id)) {
				l.add("db-instance", id)
			}
		}
	}
	gp := rds.NewDescribeDBSubnetGroupsPaginator(l.rds, &rds.DescribeDBSubnetGroupsInput{})
	for gp.HasMorePages() {
		page, err := gp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe db subnet groups: %w", err)
		}
		for _, g := range page.DBSubnetGroups {
			name := aws.ToString(g.DBSubnetGroupName)
			hit := l.named(name)
			if arn := aws.ToString(g.DBSubnetGroupArn); !hit && arn != "" {
				if hit, err = l.rdsTagged(ctx, arn); err != nil {
					return fmt.Errorf("db subnet group %s: %w", name, err)
				}
			}
			if hit {
				l.add("db-subnet-group", name)
			}
		}
	}
	pp := rds.NewDescribeDBParameterGroupsPaginator(l.rds, &rds.DescribeDBParameterGroupsInput{})
	for pp.HasMorePages() {
		page, err := pp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe db parameter groups: %w", err)
		}
		for _, g := range page.DBParameterGroups {
			name := aws.ToString(g.DBParameterGroupName)
			if strings.HasPrefix(name, "default.") {
				continue
			}
			hit := l.named(name)
			if arn := aws.ToString(g.DBParameterGroupArn); !hit && arn != "" {
				if hit, err = l.rdsTagged(ctx, arn); err != nil {
					return fmt.Errorf("db parameter group %s: %w", name, err)
				}
			}
			if hit {
				l.add("db-parameter-group", name)
			}
		}
	}
	return nil
}

// ---- SNS, CloudWatch, Backup

func (l *leftovers) topics(ctx context.Context) error {
	p := sns.NewListTopicsPaginator(l.sns, &sns.ListTopicsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list topics: %w", err)
		}
		for _, t := range page.Topics {
			arn := aws.ToString(t.TopicArn)
			tags, err := l.sns.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return fmt.Errorf("list tags of topic %s: %w", arn, err)
			}
			for _, tag := range tags.Tags {
				if l.tagged(aws.ToString(tag.Key), aws.ToString(tag.Value)) {
					l.add("sns-topic", arn)
				}
			}
		}
	}
	return nil
}

func (l *leftovers) cloudwatch(ctx context.Context) error {
	prefix := aws.String(NamePrefix(l.env))
	ap := cloudwatch.NewDescribeAlarmsPaginator(l.cw, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: prefix,
		AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm}})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe alarms: %w", err)
		}
		for _, a := range page.MetricAlarms {
			if l.named(aws.ToString(a.AlarmName)) {
				l.add("cloudwatch-alarm", aws.ToString(a.AlarmName))
			}
		}
		for _, a := range page.CompositeAlarms {
			if l.named(aws.ToString(a.AlarmName)) {
				l.add("cloudwatch-alarm", aws.ToString(a.AlarmName))
			}
		}
	}
	dp := cloudwatch.NewListDashboardsPaginator(l.cw, &cloudwatch.ListDashboardsInput{DashboardNamePrefix: prefix})
	for dp.HasMorePages() {
		page, err := dp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list dashboards: %w", err)
		}
		for _, d := range page.DashboardEntries {
			if l.named(aws.ToString(d.DashboardName)) {
				l.add("cloudwatch-dashboard", aws.ToString(d.DashboardName))
			}
		}
	}
	return nil
}

func (l *leftovers) backupResources(ctx context.Context) error {
	vp := backup.NewListBackupVaultsPaginator(l.backup, &backup.ListBackupVaultsInput{})
	for vp.HasMorePages() {
		page, err := vp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list backup vaults: %w", err)
		}
		for _, v := range page.BackupVaultList {
			name := aws.ToString(v.BackupVaultName)
			hit := l.named(name)
			if !hit {
				tags, err := l.backup.ListTags(ctx, &backup.ListTagsInput{ResourceArn: v.BackupVaultArn})
				if err != nil {
					return fmt.Errorf("list tags of backup vault %s: %w", name, err)
				}
				hit = tags.Tags[EnvironmentTag] == l.env
			}
			if hit {
				l.add("backup-vault", name)
			}
		}
	}
	pp := backup.NewListBackupPlansPaginator(l.backup, &backup.ListBackupPlansInput{})
	for pp.HasMorePages() {
		page, err := pp.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list backup plans: %w", err)
		}
		for _, p := range page.BackupPlansList {
			if l.named(aws.ToString(p.BackupPlanName)) {
				l.add("backup-plan", aws.ToString(p.BackupPlanId))
			}
		}
	}
	return nil
}

// ---- S3, CloudFront, WAF, Route 53

func (l *leftovers) buckets(ctx context.Context) error {
	in := &s3.ListBucketsInput{}
	if l.region != "" {
		in.BucketRegion = aws.String(l.region)
	}
	p := s3.NewListBucketsPaginator(l.s3, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list buckets: %w", err)
		}
		for _, b := range page.Buckets {
			name := aws.ToString(b.Name)
			if r := aws.ToString(b.BucketRegion); r != "" && l.region != "" && r != l.region {
				continue
			}
			tags, err := l.s3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
			if apiError(err, "NoSuchTagSet", "NoSuchBucket", "PermanentRedirect") { // untagged, just deleted, elsewhere
				continue
			}
			if err != nil {
				return fmt.Errorf("get bucket tagging %s: %w", name, err)
			}
			for _, t := range tags.TagSet {
				if l.tagged(aws.ToString(t.Key), aws.ToString(t.Value)) {
					l.add("s3-bucket", name)
				}
			}
		}
	}
	return nil
}

func (l *leftovers) distributions(ctx context.Context) error {
	p := cloudfront.NewListDistributionsPaginator(l.cf, &cloudfront.ListDistributionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list distributions: %w", err)
		}
		if page.DistributionList == nil {
			continue
		}
		for _, d := range page.DistributionList.Items {
			tags, err := l.cf.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: d.ARN})
			if err != nil {
				return fmt.Errorf("list tags of distribution %s: %w", aws.ToString(d.Id), err)
			}
			if tags.Tags == nil {
				continue
			}
			for _, t := range tags.Tags.Items {
				if l.tagged(aws.ToString(t.Key), aws.ToString(t.Value)) {
					l.add("cloudfront-distribution", aws.ToString(d.Id))
				}
			}
		}
	}
	return nil
}

func (l *leftovers) webACLs(ctx context.Context) error {
	for _, x := range []struct {
		scope  waftypes.Scope
		client *wafv2.Client
	}{{waftypes.ScopeRegional, l.waf}, {waftypes.ScopeCloudfront, l.wafGlobal}} {
		var marker *string
		for {
			resp, err := x.client.ListWebACLs(ctx, &wafv2.ListWebACLsInput{Scope: x.scope, Limit: aws.Int32(100), NextMarker: marker})
			if err != nil {
				return fmt.Errorf("list web acls (%s): %w", x.scope, err)
			}
			for _, w := range resp.WebACLs {
				if l.named(aws.ToString(w.Name)) {
					l.add("waf-web-acl", aws.ToString(w.ARN))
				}
			}
			if aws.ToString(resp.NextMarker) == "" || len(resp.WebACLs) == 0 {
				break
			}
			marker = resp.NextMarker
		}
	}
	return nil
}

func (l *leftovers) hostedZones(ctx context.Context) error {
	var ids []string
	p := route53.NewListHostedZonesPaginator(l.r53, &route53.ListHostedZonesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list hosted zones: %w", err)
		}
		for _, z := range page.HostedZones {
			ids = append(ids, zoneID(aws.ToString(z.Id)))
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), 10) // ListTagsForResources takes at most 10 IDs
		resp, err := l.r53.ListTagsForResources(ctx, &route53.ListTagsForResourcesInput{
			ResourceType: r53types.TagResourceTypeHostedzone, ResourceIds: ids[:n]})
		if err != nil {
			return fmt.Errorf("list tags of hosted zones %v: %w", ids[:n], err)
		}
		for _, rs := range resp.ResourceTagSets {
			for _, t := range rs.Tags {
				if l.tagged(aws.ToString(t.Key), aws.ToString(t.Value)) {
					l.add("route53-zone", zoneID(aws.ToString(rs.ResourceId)))
				}
			}
		}
		ids = ids[n:]
	}
	return nil
}

// ---- SSM parameters and secrets

func (l *leftovers) parameters(ctx context.Context) error {
	p := ssm.NewDescribeParametersPaginator(l.ssm, &ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{{
		Key: aws.String("Path"), Option: aws.String("Recursive"), Values: []string{"/" + NamePrefix(l.env)}}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe parameters: %w", err)
		}
		for _, prm := range page.Parameters {
			if name := aws.ToString(prm.Name); strings.HasPrefix(name, "/"+NamePrefix(l.env)+"/") {
				l.add("ssm-parameter", name)
			}
		}
	}
	return nil
}

func (l *leftovers) secretList(ctx context.Context) error {
	p := secretsmanager.NewListSecretsPaginator(l.secrets, &secretsmanager.ListSecretsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list secrets: %w", err)
		}
		for _, s := range page.SecretList {
			if s.DeletedDate != nil {
				continue
			}
			for _, t := range s.Tags {
				if l.tagged(aws.ToString(t.Key), aws.ToString(t.Value)) {
					l.add("secret", aws.ToString(s.ARN))
				}
			}
		}
	}
	return nil
}
