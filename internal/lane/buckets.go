package lane

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// EmptyBucket deletes every object version and delete marker in bucket, after checking that the bucket carries
// Project=<project>: the stack's log buckets are versioned and do not force_destroy, so `terraform destroy`
// cannot delete them once the load balancer or CloudFront has written a log, and the lane empties them first.
// A bucket that is already gone is not an error. It returns how many versions it deleted.
func EmptyBucket(ctx context.Context, cfg aws.Config, bucket, project string) (int, error) {
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = cfg.BaseEndpoint != nil })
	tags, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(bucket)})
	if notFound(err) || apiCode(err) == "NoSuchBucket" {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading the tags of bucket %s: %w", bucket, err)
	}
	owner := ""
	for _, t := range tags.TagSet {
		if aws.ToString(t.Key) == "Project" {
			owner = aws.ToString(t.Value)
		}
	}
	if owner != project {
		return 0, fmt.Errorf("bucket %s carries Project=%q, not the run's %q: not emptying it", bucket, owner, project)
	}
	deleted := 0
	p := s3.NewListObjectVersionsPaginator(c, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return deleted, fmt.Errorf("listing bucket %s: %w", bucket, err)
		}
		var ids []s3types.ObjectIdentifier
		for _, v := range page.Versions {
			ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range page.DeleteMarkers {
			ids = append(ids, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		if len(ids) == 0 {
			continue
		}
		out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket),
			Delete: &s3types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			return deleted, fmt.Errorf("emptying bucket %s: %w", bucket, err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return deleted, fmt.Errorf("emptying bucket %s: %s: %s (%d errors)", bucket, aws.ToString(e.Key), aws.ToString(e.Message), len(out.Errors))
		}
		deleted += len(ids)
	}
	return deleted, nil
}
