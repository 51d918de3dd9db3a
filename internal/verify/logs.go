package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Logs (terraform/modules/logs): the hardened log buckets and the ALB access logs written to one; Leftovers also
// looks here for the CloudWatch log groups of every module.

var logsDomain = domain{
	name: "logs",
	collect: []collectStep{
		{"log buckets", func(o Outputs) bool { return o.ALBLogsBucket != "" || o.CloudFrontLogsBucket != "" }, (*clients).buckets},
	},
	check:     []func(*checker){(*checker).accessLogs},
	leftovers: logsLeftovers,
}

// LogsSnapshot is the log buckets part of a Snapshot.
type LogsSnapshot struct {
	Buckets map[string]Bucket // the log buckets named in the outputs, keyed by bucket name
}

// Bucket is an S3 bucket with its hardening settings.
type Bucket struct {
	Name                  string
	BlockPublicACLs       bool
	IgnorePublicACLs      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
	Versioning            string   // Enabled | Suspended | "" (never enabled)
	Encryption            []string // default encryption algorithms (AES256, aws:kms, ...); empty = none
	Lifecycle             []LifecycleRule
	Policy                string // the bucket policy JSON; "" = none
}

// LifecycleRule is one S3 lifecycle rule.
type LifecycleRule struct {
	ID                        string
	Enabled                   bool
	AbortIncompleteUploadDays int32 // 0 = no AbortIncompleteMultipartUpload
}

// ---- collect

func (c *clients) buckets(ctx context.Context, s *Snapshot) error {
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

func (c *clients) bucket(ctx context.Context, name string) (*Bucket, error) {
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

// ---- check

func (c *checker) accessLogs() {
	const enabled, bucket = "access_logs.s3.enabled", "access_logs.s3.bucket"
	lb := c.s.LoadBalancer
	if !c.w.AccessLogs {
		c.checks("access_logs.absent")
		if c.o.ALBLogsBucket != "" || (lb != nil && lb.Attributes[enabled] == "true") {
			res := c.o.ALBLogsBucket
			if lb != nil {
				res = lb.ARN
			}
			c.fail("access_logs.absent", res, fmt.Sprintf("alb_logs_bucket=%q %s=%s", c.o.ALBLogsBucket, enabled, attr(lb, enabled)),
				"ALB access logs off in this environment")
		}
		return
	}
	c.checks("access_logs.alb")
	if lb != nil {
		if v := lb.Attributes[enabled]; v != "true" {
			c.fail("access_logs.alb", lb.ARN, enabled+"="+v, enabled+"=true")
		}
		if v := lb.Attributes[bucket]; c.o.ALBLogsBucket == "" || v != c.o.ALBLogsBucket {
			c.fail("access_logs.alb", lb.ARN, bucket+"="+v, bucket+"="+c.o.ALBLogsBucket)
		}
	}
	c.logBucket(c.o.ALBLogsBucket, "alb_logs_bucket")
}

func attr(lb *LoadBalancer, key string) string {
	if lb == nil {
		return ""
	}
	return lb.Attributes[key]
}

// logBucket checks the hardening of a log bucket named by output.
func (c *checker) logBucket(name, output string) {
	c.checks("log_bucket", "log_bucket.public_access_block", "log_bucket.versioning", "log_bucket.encryption", "log_bucket.lifecycle", "log_bucket.tls_only")
	res := name + " (" + output + ")"
	if name == "" {
		res = "(no " + output + " output)"
	}
	b, ok := c.s.Buckets[name]
	if c.missing("log_bucket", res, ok && name != "") {
		return
	}
	if !b.BlockPublicACLs || !b.IgnorePublicACLs || !b.BlockPublicPolicy || !b.RestrictPublicBuckets {
		c.fail("log_bucket.public_access_block", res, fmt.Sprintf("BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t RestrictPublicBuckets=%t",
			b.BlockPublicACLs, b.IgnorePublicACLs, b.BlockPublicPolicy, b.RestrictPublicBuckets), "all four public access blocks true")
	}
	if b.Versioning != "Enabled" {
		c.fail("log_bucket.versioning", res, "versioning "+strconv.Quote(b.Versioning), "versioning Enabled")
	}
	if len(b.Encryption) == 0 {
		c.fail("log_bucket.encryption", res, "no default encryption", "default encryption")
	}
	if !slices.ContainsFunc(b.Lifecycle, func(r LifecycleRule) bool { return r.Enabled && r.AbortIncompleteUploadDays > 0 }) {
		var rules []string
		for _, r := range b.Lifecycle {
			rules = append(rules, fmt.Sprintf("%s(enabled=%t abort=%d)", r.ID, r.Enabled, r.AbortIncompleteUploadDays))
		}
		c.fail("log_bucket.lifecycle", res, "lifecycle rules "+list(rules), "an enabled rule with AbortIncompleteMultipartUpload")
	}
	if !deniesInsecureTransport(b.Policy) {
		got := "no bucket policy"
		if b.Policy != "" {
			got = "no Deny on aws:SecureTransport=false"
		}
		c.fail("log_bucket.tls_only", res, got, "a Deny on aws:SecureTransport=false")
	}
}

// ---- leftovers

func logsLeftovers(ctx context.Context, l *leftovers) {
	in := &s3.ListBucketsInput{}
	if l.region != "" {
		in.BucketRegion = aws.String(l.region)
	}
	find(ctx, l, "s3-bucket", s3.NewListBucketsPaginator(l.s3, in),
		func(o *s3.ListBucketsOutput) []s3types.Bucket { return o.Buckets },
		func(b s3types.Bucket) (string, bool, error) {
			name := aws.ToString(b.Name)
			if r := aws.ToString(b.BucketRegion); r != "" && l.region != "" && r != l.region {
				return name, false, nil
			}
			tags, err := l.s3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
			if apiError(err, "NoSuchTagSet", "NoSuchBucket", "PermanentRedirect") { // untagged, just deleted, elsewhere
				return name, false, nil
			}
			if err != nil {
				return name, false, fmt.Errorf("get bucket tagging %s: %w", name, err)
			}
			return name, l.ours(tagMap(tags.TagSet, func(t s3types.Tag) (*string, *string) { return t.Key, t.Value })), nil
		})
	find(ctx, l, "log-group", cloudwatchlogs.NewDescribeLogGroupsPaginator(l.logs, &cloudwatchlogs.DescribeLogGroupsInput{}),
		func(o *cloudwatchlogs.DescribeLogGroupsOutput) []logstypes.LogGroup { return o.LogGroups },
		func(g logstypes.LogGroup) (string, bool, error) {
			name, arn := aws.ToString(g.LogGroupName), aws.ToString(g.LogGroupArn)
			if arn == "" {
				arn = strings.TrimSuffix(aws.ToString(g.Arn), ":*")
			}
			tags, err := l.logs.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return name, false, fmt.Errorf("list tags of log group %s: %w", name, err)
			}
			return name, l.ours(tags.Tags), nil
		})
}
