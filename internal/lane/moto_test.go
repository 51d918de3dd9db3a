package lane

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ec2stack/ec2stack/internal/emulator"
)

// startMoto starts a private moto on a free loopback port for the test and stops it (by its PID) afterwards.
func startMoto(t *testing.T) *emulator.Server {
	t.Helper()
	if testing.Short() {
		t.Skip("needs moto; run without -short")
	}
	dir := t.TempDir()
	s, err := emulator.Start(context.Background(), emulator.StartOptions{ShimDir: dir, LogFile: filepath.Join(dir, "moto.log")})
	if err != nil {
		t.Fatalf("this test needs moto 5.2.1: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stopping moto (pid %d): %v", s.PID, err)
		}
	})
	return s
}

func motoConfig(t *testing.T, s *emulator.Server) aws.Config {
	t.Helper()
	cfg, err := s.AWSConfig(context.Background(), "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func tagSpec(kind ec2types.ResourceType, project, env string) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: kind, Tags: []ec2types.Tag{
		{Key: aws.String("Project"), Value: aws.String(project)}, {Key: aws.String("Environment"), Value: aws.String(env)}}}}
}

// TestLeftoversOnMoto: Leftovers finds what carries the run's Project and Environment tags or its name prefix,
// and nothing of another run, another environment or one whose name only starts the same; terminated instances
// and keys pending deletion are not leftovers.
func TestLeftoversOnMoto(t *testing.T) {
	moto := startMoto(t)
	cfg := motoConfig(t, moto)
	ctx := context.Background()
	const run = "ec2t-test01"
	regions := []string{"us-east-1", "us-east-1", "us-west-2"}
	if left, err := Leftovers(ctx, cfg, regions, run, "dev"); err != nil || len(left) != 0 {
		t.Fatalf("leftovers of a fresh account: %v, %v", left, err)
	}

	e := ec2.NewFromConfig(cfg)
	ours := must[*ec2.CreateVpcOutput](t)(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16"), TagSpecifications: tagSpec(ec2types.ResourceTypeVpc, run, "dev")}))
	must[*ec2.CreateVpcOutput](t)(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.8.0.0/16"), TagSpecifications: tagSpec(ec2types.ResourceTypeVpc, "ec2t-other1", "dev")}))
	must[*ec2.CreateVpcOutput](t)(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.7.0.0/16"), TagSpecifications: tagSpec(ec2types.ResourceTypeVpc, run, "staging")}))
	images := must[*ec2.DescribeImagesOutput](t)(e.DescribeImages(ctx, &ec2.DescribeImagesInput{}))
	if len(images.Images) == 0 {
		t.Fatal("moto has no AMIs")
	}
	instance := must[*ec2.RunInstancesOutput](t)(e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: images.Images[0].ImageId, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Small, TagSpecifications: tagSpec(ec2types.ResourceTypeInstance, run, "dev")}))
	must[*ec2.TerminateInstancesOutput](t)(e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(instance.Instances[0].InstanceId)}}))

	k := kms.NewFromConfig(cfg)
	tags := []kmstypes.Tag{{TagKey: aws.String("Project"), TagValue: aws.String(run)}, {TagKey: aws.String("Environment"), TagValue: aws.String("dev")}}
	kept := must[*kms.CreateKeyOutput](t)(k.CreateKey(ctx, &kms.CreateKeyInput{Tags: tags}))
	pending := must[*kms.CreateKeyOutput](t)(k.CreateKey(ctx, &kms.CreateKeyInput{Tags: tags}))
	must[*kms.ScheduleKeyDeletionOutput](t)(k.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: pending.KeyMetadata.KeyId, PendingWindowInDays: aws.Int32(7)}))

	i := iam.NewFromConfig(cfg)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	role := must[*iam.CreateRoleOutput](t)(i.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(run + "-dev-instance"), AssumeRolePolicyDocument: aws.String(trust)}))
	must[*iam.CreateRoleOutput](t)(i.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(run + "-dev2-instance"), AssumeRolePolicyDocument: aws.String(trust)}))
	profile := must[*iam.CreateInstanceProfileOutput](t)(i.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(run + "-dev-instance")}))

	must[*cloudwatch.PutDashboardOutput](t)(newCloudWatch(cfg).PutDashboard(ctx, &cloudwatch.PutDashboardInput{DashboardName: aws.String(run + "-dev"),
		DashboardBody: aws.String(`{"widgets":[]}`)}))
	logs := cloudwatchlogs.NewFromConfig(cfg)
	must[*cloudwatchlogs.CreateLogGroupOutput](t)(logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/aws/rds/instance/" + run + "-dev-db/postgresql")}))
	must[*cloudwatchlogs.CreateLogGroupOutput](t)(logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/aws/rds/instance/ec2stack-dev-db/postgresql")}))
	must[*cloudwatchlogs.CreateLogGroupOutput](t)(logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/" + run + "-dev/system")}))
	must[*cloudwatchlogs.CreateLogGroupOutput](t)(logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/" + run + "-dev2/system")}))

	// The tagging API still lists the terminated instance and the key pending deletion: Leftovers must see past them.
	raw := must[*tagging.GetResourcesOutput](t)(newTagging(cfg).GetResources(ctx, &tagging.GetResourcesInput{}))
	listed := func(suffix string) bool {
		return slices.ContainsFunc(raw.ResourceTagMappingList, func(m taggingtypes.ResourceTagMapping) bool {
			return strings.HasSuffix(aws.ToString(m.ResourceARN), suffix)
		})
	}
	if !listed(aws.ToString(instance.Instances[0].InstanceId)) || !listed(aws.ToString(pending.KeyMetadata.KeyId)) {
		t.Errorf("moto's tagging API no longer lists the terminated instance and the key pending deletion: this test proves nothing about skipping them")
	}

	left, err := Leftovers(ctx, cfg, regions, run, "dev")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"vpc/" + aws.ToString(ours.Vpc.VpcId),
		"key/" + aws.ToString(kept.KeyMetadata.KeyId),
		aws.ToString(role.Role.Arn),
		aws.ToString(profile.InstanceProfile.Arn),
		"dashboard/" + run + "-dev",
		"log-group:/aws/rds/instance/" + run + "-dev-db/postgresql",
		"log-group:/" + run + "-dev/system",
	}
	for _, w := range want {
		if !slices.ContainsFunc(left, func(l string) bool { return strings.HasSuffix(l, w) }) {
			t.Errorf("Leftovers lacks %s: %v", w, left)
		}
	}
	if len(left) != len(want) {
		t.Errorf("Leftovers found %d, want %d (not another run's, staging's, dev2's, a terminated instance or a key pending deletion):\n%s",
			len(left), len(want), strings.Join(left, "\n"))
	}
}

// TestEmptyBucketOnMoto: EmptyBucket deletes every version and delete marker of the run's bucket, refuses a
// bucket of another project, and takes a missing bucket for an empty one.
func TestEmptyBucketOnMoto(t *testing.T) {
	moto := startMoto(t)
	cfg := motoConfig(t, moto)
	ctx := context.Background()
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	mk := func(name, project string) {
		must[*s3.CreateBucketOutput](t)(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}))
		must[*s3.PutBucketVersioningOutput](t)(c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name),
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}))
		must[*s3.PutBucketTaggingOutput](t)(c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(name),
			Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("Project"), Value: aws.String(project)}}}}))
		for _, key := range []string{"AWSLogs/a.log", "AWSLogs/a.log", "AWSLogs/b.log", "ELBAccessLogTestFile"} {
			must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(key), Body: strings.NewReader("x")}))
		}
		must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(name), Key: aws.String("AWSLogs/b.log")}))
	}
	mk("ec2t-test01-dev-alb-logs-123456789012", "ec2t-test01")
	mk("ec2stack-dev-alb-logs-123456789012", "ec2stack")

	n, err := EmptyBucket(ctx, cfg, "ec2t-test01-dev-alb-logs-123456789012", "ec2t-test01")
	if err != nil || n != 5 { // 4 versions and 1 delete marker
		t.Errorf("EmptyBucket: %d, %v; want 5 versions deleted", n, err)
	}
	out := must[*s3.ListObjectVersionsOutput](t)(c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("ec2t-test01-dev-alb-logs-123456789012")}))
	if len(out.Versions)+len(out.DeleteMarkers) != 0 {
		t.Errorf("after EmptyBucket: %d versions, %d delete markers", len(out.Versions), len(out.DeleteMarkers))
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("ec2t-test01-dev-alb-logs-123456789012")}); err != nil {
		t.Errorf("the emptied bucket cannot be deleted: %v", err)
	}

	if n, err := EmptyBucket(ctx, cfg, "ec2stack-dev-alb-logs-123456789012", "ec2t-test01"); err == nil || n != 0 || !strings.Contains(err.Error(), `carries Project="ec2stack"`) {
		t.Errorf("EmptyBucket of another project's bucket: %d, %v", n, err)
	}
	out = must[*s3.ListObjectVersionsOutput](t)(c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("ec2stack-dev-alb-logs-123456789012")}))
	if len(out.Versions) != 4 {
		t.Errorf("another project's bucket was touched: %d versions left", len(out.Versions))
	}
	if n, err := EmptyBucket(ctx, cfg, "ec2t-test01-dev-alb-logs-123456789012", "ec2t-test01"); err != nil || n != 0 {
		t.Errorf("EmptyBucket of a deleted bucket: %d, %v", n, err)
	}
}
