package emulator

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// AWSConfig returns an AWS SDK configuration pointed at this server with fake credentials and few retries
// (MaxAttempts), for the state bucket and for reading resources back (verify).
func (s *Server) AWSConfig(ctx context.Context, region string) (aws.Config, error) {
	retries := config.WithRetryMaxAttempts(s.MaxAttempts())
	if s.Faults != nil {
		// Behind a fault proxy: more attempts, and no retry token bucket (as the provider has none), whose 500
		// tokens a run's injected faults would spend ("retry quota exceeded").
		retries = config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = s.MaxAttempts()
				o.RateLimiter = ratelimit.None
			})
		})
	}
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion(region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithSharedConfigProfile(""),
		config.WithBaseEndpoint(s.Endpoint),
		retries,
	)
	if err != nil {
		return aws.Config{}, fmt.Errorf("aws config for emulator: %w", err)
	}
	return cfg, nil
}

// S3Client returns an S3 client pointed at this server (path-style addressing).
func (s *Server) S3Client(ctx context.Context, region string) (*s3.Client, error) {
	cfg, err := s.AWSConfig(ctx, region)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }), nil
}

// EnsureStateBucket creates the state bucket inside moto unless it exists.
func (s *Server) EnsureStateBucket(ctx context.Context, name, region string) error {
	client, err := s.S3Client(ctx, region)
	if err != nil {
		return err
	}
	if _, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name)}); err == nil {
		return nil
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	_, err = client.CreateBucket(ctx, in)
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return fmt.Errorf("creating state bucket %s in emulator: %w", name, err)
	}
	return nil
}
