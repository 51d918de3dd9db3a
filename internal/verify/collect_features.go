package verify

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	waftypes "github.com/aws/aws-sdk-go-v2/service/wafv2/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// newS3 returns an S3 client; path-style addressing when cfg names an endpoint (the emulator), so bucket
// names need no DNS.
func newS3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = cfg.BaseEndpoint != nil })
}

// newCloudWatch returns a CloudWatch client. The SDK speaks Smithy RPC v2 CBOR to CloudWatch, which moto 5.2.1
// does not understand; when cfg names an endpoint (the emulator) the client speaks AWS Query instead, which
// CloudWatch also serves.
func newCloudWatch(cfg aws.Config) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
		if cfg.BaseEndpoint != nil {
			o.Protocol = awsquery.New(cwschemas.GraniteServiceVersion20100801)
		}
	})
}

// usEast1 is cfg in us-east-1, where CLOUDFRONT-scope WAF resources live.
func usEast1(cfg aws.Config) aws.Config {
	cfg = cfg.Copy()
	cfg.Region = "us-east-1"
	return cfg
}

// apiError reports whether err is an API error with one of the codes (the ways an API says "not found").
func apiError(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}

// ---- database

func (c collector) database(ctx context.Context, s *Snapshot) error {
	for _, x := range []struct {
		id  string
		dst **DBInstance
	}{{s.Outputs.DatabaseInstanceID, &s.Database}, {s.Outputs.DatabaseReplicaID, &s.DatabaseReplica}} {
		if x.id == "" {
			continue
		}
		resp, err := c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(x.id)})
		if apiError(err, "DBInstanceNotFound", "DBInstanceNotFoundFault") {
			continue
		}
		if err != nil {
			return fmt.Errorf("describe db instance %s: %w", x.id, err)
		}
		if len(resp.DBInstances) > 0 {
			*x.dst = dbInstance(resp.DBInstances[0])
		}
	}
	return nil
}

func dbInstance(d rdstypes.DBInstance) *DBInstance {
	db := &DBInstance{
		ID:                        aws.ToString(d.DBInstanceIdentifier),
		ARN:                       aws.ToString(d.DBInstanceArn),
		Status:                    aws.ToString(d.DBInstanceStatus),
		Engine:                    aws.ToString(d.Engine),
		EngineVersion:             aws.ToString(d.EngineVersion),
		StorageEncrypted:          aws.ToBool(d.StorageEncrypted),
		KMSKeyID:                  aws.ToString(d.KmsKeyId),
		PubliclyAccessible:        aws.ToBool(d.PubliclyAccessible),
		IAMAuthentication:         aws.ToBool(d.IAMDatabaseAuthenticationEnabled),
		CopyTagsToSnapshot:        aws.ToBool(d.CopyTagsToSnapshot),
		AutoMinorVersionUpgrade:   aws.ToBool(d.AutoMinorVersionUpgrade),
		BackupRetentionPeriod:     aws.ToInt32(d.BackupRetentionPeriod),
		MultiAZ:                   aws.ToBool(d.MultiAZ),
		DeletionProtection:        aws.ToBool(d.DeletionProtection),
		LogExports:                d.EnabledCloudwatchLogsExports,
		PerformanceInsights:       aws.ToBool(d.PerformanceInsightsEnabled),
		PerformanceInsightsKMSKey: aws.ToString(d.PerformanceInsightsKMSKeyId),
		MonitoringInterval:        aws.ToInt32(d.MonitoringInterval),
		MonitoringRoleARN:         aws.ToString(d.MonitoringRoleArn),
		ReplicaSourceID:           aws.ToString(d.ReadReplicaSourceDBInstanceIdentifier),
		Tags:                      map[string]string{},
	}
	for _, g := range d.VpcSecurityGroups {
		db.SecurityGroupIDs = append(db.SecurityGroupIDs, aws.ToString(g.VpcSecurityGroupId))
	}
	if g := d.DBSubnetGroup; g != nil {
		db.SubnetGroupName = aws.ToString(g.DBSubnetGroupName)
		for _, sn := range g.Subnets {
			db.SubnetIDs = append(db.SubnetIDs, aws.ToString(sn.SubnetIdentifier))
		}
		sort.Strings(db.SubnetIDs)
	}
	if m := d.MasterUserSecret; m != nil {
		db.MasterUserSecretARN = aws.ToString(m.SecretArn)
		db.MasterUserSecretKMSKeyID = aws.ToString(m.KmsKeyId)
	}
	for _, t := range d.TagList {
		db.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return db
}

// ---- AWS Backup

func (c collector) backupVault(ctx context.Context, s *Snapshot) error {
	name := s.Outputs.BackupVaultName
	v, err := c.backup.DescribeBackupVault(ctx, &backup.DescribeBackupVaultInput{BackupVaultName: aws.String(name)})
	if apiError(err, "ResourceNotFoundException", "AccessDeniedException") { // AWS answers a missing vault with either
		return nil
	}
	if err != nil {
		return fmt.Errorf("describe backup vault %s: %w", name, err)
	}
	s.BackupVault = &BackupVault{Name: aws.ToString(v.BackupVaultName), ARN: aws.ToString(v.BackupVaultArn),
		EncryptionKeyARN: aws.ToString(v.EncryptionKeyArn)}
	return nil
}

func (c collector) backupPlan(ctx context.Context, s *Snapshot) error {
	id := s.Outputs.BackupPlanID
	p, err := c.backup.GetBackupPlan(ctx, &backup.GetBackupPlanInput{BackupPlanId: aws.String(id)})
	if apiError(err, "ResourceNotFoundException") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get backup plan %s: %w", id, err)
	}
	plan := &BackupPlan{ID: aws.ToString(p.BackupPlanId)}
	if p.BackupPlan != nil {
		plan.Name = aws.ToString(p.BackupPlan.BackupPlanName)
		for _, r := range p.BackupPlan.Rules {
			rule := BackupRule{Name: aws.ToString(r.RuleName), Schedule: aws.ToString(r.ScheduleExpression),
				TargetVault: aws.ToString(r.TargetBackupVaultName)}
			if r.Lifecycle != nil {
				rule.DeleteAfterDays = aws.ToInt64(r.Lifecycle.DeleteAfterDays)
			}
			plan.Rules = append(plan.Rules, rule)
		}
	}
	s.BackupPlan = plan
	return nil
}

// ---- alerts, alarms, dashboard

func (c collector) topic(ctx context.Context, s *Snapshot) error {
	arn := s.Outputs.SNSTopicARN
	a, err := c.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if apiError(err, "NotFound", "NotFoundException") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get topic attributes %s: %w", arn, err)
	}
	t := &Topic{ARN: arn, KMSMasterKeyID: a.Attributes["KmsMasterKeyId"], Policy: a.Attributes["Policy"]}
	if t.KMSMasterKeyID != "" {
		d, err := c.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(t.KMSMasterKeyID)})
		switch {
		case apiError(err, "NotFoundException"):
		case err != nil:
			return fmt.Errorf("describe key %s of topic %s: %w", t.KMSMasterKeyID, arn, err)
		case d.KeyMetadata != nil:
			t.KMSKeyARN = aws.ToString(d.KeyMetadata.Arn)
		}
	}
	s.Topic = t
	return nil
}

func (c collector) alarms(ctx context.Context, s *Snapshot) error {
	s.Alarms = map[string]Alarm{}
	names := sortedValues(s.Outputs.AlarmNames)
	for len(names) > 0 {
		n := min(len(names), 100) // DescribeAlarms takes at most 100 names
		p := cloudwatch.NewDescribeAlarmsPaginator(c.cw, &cloudwatch.DescribeAlarmsInput{AlarmNames: names[:n],
			AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("describe alarms %v: %w", names[:n], err)
			}
			for _, a := range page.MetricAlarms {
				s.Alarms[aws.ToString(a.AlarmName)] = Alarm{Name: aws.ToString(a.AlarmName), ActionsEnabled: aws.ToBool(a.ActionsEnabled),
					AlarmActions: a.AlarmActions, OKActions: a.OKActions}
			}
			for _, a := range page.CompositeAlarms {
				s.Alarms[aws.ToString(a.AlarmName)] = Alarm{Name: aws.ToString(a.AlarmName), ActionsEnabled: aws.ToBool(a.ActionsEnabled),
					AlarmActions: a.AlarmActions, OKActions: a.OKActions}
			}
		}
		names = names[n:]
	}
	return nil
}

func (c collector) dashboard(ctx context.Context, s *Snapshot) error {
	name := s.Outputs.DashboardName
	p := cloudwatch.NewListDashboardsPaginator(c.cw, &cloudwatch.ListDashboardsInput{DashboardNamePrefix: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list dashboards %s: %w", name, err)
		}
		for _, d := range page.DashboardEntries {
			if aws.ToString(d.DashboardName) == name {
				s.Dashboard = &Dashboard{Name: name, ARN: aws.ToString(d.DashboardArn)}
				return nil
			}
		}
	}
	return nil
}

// ---- log buckets

func (c collector) buckets(ctx context.Context, s *Snapshot) error {
	s.Buckets = map[string]Bucket{}
	for _, name := range []string{s.Outputs.ALBLogsBucket, s.Outputs.CloudFrontLogsBucket} {
		if name == "" {
			continue
		}
		if _, done := s.Buckets[name]; done {
			continue
		}
		b, err := c.bucket(ctx, name)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", name, err)
		}
		if b != nil {
			s.Buckets[name] = *b
		}
	}
	return nil
}

func (c collector) bucket(ctx context.Context, name string) (*Bucket, error) {
	in := aws.String(name)
	if _, err := c.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: in}); err != nil {
		if apiError(err, "NotFound", "NoSuchBucket") {
			return nil, nil
		}
		return nil, fmt.Errorf("head bucket: %w", err)
	}
	b := &Bucket{Name: name}
	pab, err := c.s3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: in})
	switch {
	case apiError(err, "NoSuchPublicAccessBlockConfiguration"):
	case err != nil:
		return nil, fmt.Errorf("get public access block: %w", err)
	case pab.PublicAccessBlockConfiguration != nil:
		p := pab.PublicAccessBlockConfiguration
		b.BlockPublicACLs, b.IgnorePublicACLs = aws.ToBool(p.BlockPublicAcls), aws.ToBool(p.IgnorePublicAcls)
		b.BlockPublicPolicy, b.RestrictPublicBuckets = aws.ToBool(p.BlockPublicPolicy), aws.ToBool(p.RestrictPublicBuckets)
	}
	ver, err := c.s3.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: in})
	if err != nil {
		return nil, fmt.Errorf("get bucket versioning: %w", err)
	}
	b.Versioning = string(ver.Status)
	enc, err := c.s3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: in})
	switch {
	case apiError(err, "ServerSideEncryptionConfigurationNotFoundError"):
	case err != nil:
		return nil, fmt.Errorf("get bucket encryption: %w", err)
	case enc.ServerSideEncryptionConfiguration != nil:
		for _, r := range enc.ServerSideEncryptionConfiguration.Rules {
			if d := r.ApplyServerSideEncryptionByDefault; d != nil {
				b.Encryption = append(b.Encryption, string(d.SSEAlgorithm))
			}
		}
	}
	lc, err := c.s3.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: in})
	switch {
	case apiError(err, "NoSuchLifecycleConfiguration"):
	case err != nil:
		return nil, fmt.Errorf("get bucket lifecycle configuration: %w", err)
	default:
		for _, r := range lc.Rules {
			rule := LifecycleRule{ID: aws.ToString(r.ID), Enabled: r.Status == "Enabled"}
			if r.AbortIncompleteMultipartUpload != nil {
				rule.AbortIncompleteUploadDays = aws.ToInt32(r.AbortIncompleteMultipartUpload.DaysAfterInitiation)
			}
			b.Lifecycle = append(b.Lifecycle, rule)
		}
	}
	pol, err := c.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: in})
	switch {
	case apiError(err, "NoSuchBucketPolicy"):
	case err != nil:
		return nil, fmt.Errorf("get bucket policy: %w", err)
	default:
		b.Policy = aws.ToString(pol.Policy)
	}
	return b, nil
}

// ---- edge: CloudFront, WAF, Route 53

func (c collector) distribution(ctx context.Context, s *Snapshot) error {
	id := s.Outputs.CloudFrontDistributionID
	resp, err := c.cf.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String(id)})
	if apiError(err, "NoSuchDistribution") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get distribution %s: %w", id, err)
	}
	if resp.Distribution == nil {
		return nil
	}
	d := resp.Distribution
	dist := &Distribution{ID: aws.ToString(d.Id), ARN: aws.ToString(d.ARN), DomainName: aws.ToString(d.DomainName),
		ResponseHeadersPolicies: map[string]ResponseHeadersPolicy{}}
	if cfg := d.DistributionConfig; cfg != nil {
		dist.Enabled = aws.ToBool(cfg.Enabled)
		dist.WebACLID = aws.ToString(cfg.WebACLId)
		if cfg.Aliases != nil {
			dist.Aliases = cfg.Aliases.Items
		}
		if l := cfg.Logging; l != nil {
			dist.LoggingEnabled, dist.LoggingBucket = aws.ToBool(l.Enabled), aws.ToString(l.Bucket)
		}
		if b := cfg.DefaultCacheBehavior; b != nil {
			dist.Behaviors = append(dist.Behaviors, CacheBehavior{TargetOriginID: aws.ToString(b.TargetOriginId),
				ViewerProtocolPolicy: string(b.ViewerProtocolPolicy), ResponseHeadersPolicyID: aws.ToString(b.ResponseHeadersPolicyId)})
		}
		if cfg.CacheBehaviors != nil {
			for _, b := range cfg.CacheBehaviors.Items {
				dist.Behaviors = append(dist.Behaviors, CacheBehavior{PathPattern: aws.ToString(b.PathPattern),
					TargetOriginID: aws.ToString(b.TargetOriginId), ViewerProtocolPolicy: string(b.ViewerProtocolPolicy),
					ResponseHeadersPolicyID: aws.ToString(b.ResponseHeadersPolicyId)})
			}
		}
		if cfg.Origins != nil {
			for _, o := range cfg.Origins.Items {
				dist.Origins = append(dist.Origins, origin(o))
			}
		}
		if v := cfg.ViewerCertificate; v != nil {
			dist.Certificate = ViewerCertificate{CloudFrontDefault: aws.ToBool(v.CloudFrontDefaultCertificate),
				ACMCertificateARN: aws.ToString(v.ACMCertificateArn), SSLSupportMethod: string(v.SSLSupportMethod),
				MinimumProtocolVersion: string(v.MinimumProtocolVersion)}
		}
	}
	for _, b := range dist.Behaviors {
		pid := b.ResponseHeadersPolicyID
		if _, done := dist.ResponseHeadersPolicies[pid]; pid == "" || done {
			continue
		}
		// A policy that cannot be read (not found, or an emulator without the API) stays absent: the check
		// then reports it, naming the policy ID.
		p, err := c.cf.GetResponseHeadersPolicy(ctx, &cloudfront.GetResponseHeadersPolicyInput{Id: aws.String(pid)})
		if err != nil || p.ResponseHeadersPolicy == nil {
			continue
		}
		rhp := ResponseHeadersPolicy{ID: pid}
		if pc := p.ResponseHeadersPolicy.ResponseHeadersPolicyConfig; pc != nil {
			rhp.Name = aws.ToString(pc.Name)
			if sh := pc.SecurityHeadersConfig; sh != nil && sh.StrictTransportSecurity != nil {
				rhp.StrictTransportSecurity = true
				rhp.HSTSMaxAgeSeconds = aws.ToInt32(sh.StrictTransportSecurity.AccessControlMaxAgeSec)
			}
		}
		dist.ResponseHeadersPolicies[pid] = rhp
	}
	s.Distribution = dist
	return nil
}

func origin(o cftypes.Origin) Origin {
	out := Origin{ID: aws.ToString(o.Id), DomainName: aws.ToString(o.DomainName)}
	if co := o.CustomOriginConfig; co != nil {
		out.Custom = true
		out.OriginProtocolPolicy = string(co.OriginProtocolPolicy)
		if co.OriginSslProtocols != nil {
			for _, p := range co.OriginSslProtocols.Items {
				out.SSLProtocols = append(out.SSLProtocols, string(p))
			}
		}
	}
	return out
}

// parseWebACLARN splits arn:aws:wafv2:<region>:<account>:<global|regional>/webacl/<name>/<id>.
func parseWebACLARN(arn string) (scope waftypes.Scope, name, id string, ok bool) {
	i := strings.Index(arn, ":global/webacl/")
	scope = waftypes.ScopeCloudfront
	if i < 0 {
		i = strings.Index(arn, ":regional/webacl/")
		scope = waftypes.ScopeRegional
	}
	if i < 0 {
		return "", "", "", false
	}
	rest := arn[i+1:]
	parts := strings.Split(rest, "/")
	if len(parts) != 4 || parts[2] == "" || parts[3] == "" {
		return "", "", "", false
	}
	return scope, parts[2], parts[3], true
}

func (c collector) webACLs(ctx context.Context, s *Snapshot) error {
	s.WebACLs = map[string]WebACL{}
	for _, arn := range []string{s.Outputs.CloudFrontWebACLARN, s.Outputs.RegionalWebACLARN} {
		if arn == "" {
			continue
		}
		scope, name, id, ok := parseWebACLARN(arn)
		if !ok {
			return fmt.Errorf("web acl %s: not a WAFv2 web ACL ARN", arn)
		}
		client := c.waf
		if scope == waftypes.ScopeCloudfront {
			client = c.wafGlobal
		}
		resp, err := client.GetWebACL(ctx, &wafv2.GetWebACLInput{Name: aws.String(name), Id: aws.String(id), Scope: scope})
		if apiError(err, "WAFNonexistentItemException") {
			continue
		}
		if err != nil {
			return fmt.Errorf("get web acl %s: %w", arn, err)
		}
		if resp.WebACL == nil {
			continue
		}
		w := resp.WebACL
		acl := WebACL{ARN: aws.ToString(w.ARN), Name: aws.ToString(w.Name), Scope: string(scope)}
		if w.DefaultAction != nil {
			switch {
			case w.DefaultAction.Allow != nil:
				acl.DefaultAction = "allow"
			case w.DefaultAction.Block != nil:
				acl.DefaultAction = "block"
			}
		}
		for _, r := range w.Rules {
			rule := WAFRule{Name: aws.ToString(r.Name), Priority: r.Priority}
			if st := r.Statement; st != nil {
				if m := st.ManagedRuleGroupStatement; m != nil {
					rule.ManagedGroup = aws.ToString(m.VendorName) + "/" + aws.ToString(m.Name)
				}
				if rb := st.RateBasedStatement; rb != nil {
					rule.RateBased, rule.RateLimit = true, aws.ToInt64(rb.Limit)
				}
			}
			if r.OverrideAction != nil && r.OverrideAction.None != nil {
				rule.OverrideNone = true
			}
			if r.Action != nil && r.Action.Block != nil {
				rule.ActionBlocked = true
			}
			acl.Rules = append(acl.Rules, rule)
		}
		s.WebACLs[arn] = acl
	}
	return nil
}

// zoneID strips the /hostedzone/ prefix Route 53 puts on zone IDs.
func zoneID(id string) string { return strings.TrimPrefix(id, "/hostedzone/") }

// dnsName normalises a DNS name: lower case, no trailing dot.
func dnsName(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

func (c collector) hostedZone(ctx context.Context, s *Snapshot) error {
	id := zoneID(s.Outputs.HostedZoneID)
	z, err := c.r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)})
	if apiError(err, "NoSuchHostedZone") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get hosted zone %s: %w", id, err)
	}
	hz := &HostedZone{ID: id}
	if z.HostedZone != nil {
		hz.Name = dnsName(aws.ToString(z.HostedZone.Name))
	}
	if fqdn := dnsName(s.Outputs.FQDN); fqdn != "" {
		// Records are listed in name order from StartRecordName: the fqdn's records come first if it has any.
		page, err := c.r53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{
			HostedZoneId: aws.String(id), StartRecordName: aws.String(fqdn)})
		if err != nil {
			return fmt.Errorf("list records of %s from %s: %w", id, fqdn, err)
		}
		for _, r := range page.ResourceRecordSets {
			if dnsName(aws.ToString(r.Name)) != fqdn {
				continue
			}
			rec := DNSRecord{Name: fqdn, Type: string(r.Type)}
			if a := r.AliasTarget; a != nil {
				rec.AliasDNSName, rec.AliasZoneID = dnsName(aws.ToString(a.DNSName)), aws.ToString(a.HostedZoneId)
			}
			hz.Records = append(hz.Records, rec)
		}
	}
	s.HostedZone = hz
	return nil
}
