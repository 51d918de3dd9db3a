package emulator

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// TestShimRDSResourceIDs: each DB instance has a resource ID of its own, and the provider's lookup by it (the
// dbi-resource-id filter) finds exactly that instance, as on AWS.
func TestShimRDSResourceIDs(t *testing.T) {
	requireMoto(t)
	ctx := context.Background()
	s, err := Start(ctx, StartOptions{ShimDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	cfg, err := s.AWSConfig(ctx, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	client := rds.NewFromConfig(cfg)
	ids := map[string]string{}
	for _, name := range []string{"ec2stack-dev-db", "ec2stack-staging-db"} {
		out, err := client.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String(name), DBInstanceClass: aws.String("db.t3.micro"),
			Engine: aws.String("postgres"), MasterUsername: aws.String("app"), MasterUserPassword: aws.String("password-password"), AllocatedStorage: aws.Int32(20)})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = aws.ToString(out.DBInstance.DbiResourceId)
	}
	if ids["ec2stack-dev-db"] == ids["ec2stack-staging-db"] {
		t.Fatalf("two instances share the resource ID %s", ids["ec2stack-dev-db"])
	}
	for name, id := range ids {
		out, err := client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{Filters: []rdstypes.Filter{{Name: aws.String("dbi-resource-id"), Values: []string{id}}}})
		if err != nil || len(out.DBInstances) != 1 || aws.ToString(out.DBInstances[0].DBInstanceIdentifier) != name {
			t.Errorf("lookup of %s by %s: %v %v", name, id, out, err)
		}
	}
}
