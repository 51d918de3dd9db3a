package emulator

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// shimmedMoto starts a moto through the shim for one test and returns an SDK configuration for it.
func shimmedMoto(t *testing.T) aws.Config {
	t.Helper()
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
	return cfg
}

// TestShimRDSResourceIDs: each DB instance has a resource ID of its own, and the provider's lookup by it (the
// dbi-resource-id filter) finds exactly that instance, as on AWS.
func TestShimRDSResourceIDs(t *testing.T) {
	ctx := context.Background()
	cfg := shimmedMoto(t)
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

// TestShimNATGatewayTagFilters: DescribeNatGateways answers only the gateways whose tags match, as on AWS.
func TestShimNATGatewayTagFilters(t *testing.T) {
	ctx := context.Background()
	cfg := shimmedMoto(t)
	client := ec2.NewFromConfig(cfg)
	vpc, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	subnet, err := client.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.9.0.0/24")})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, env := range []string{"dev", "prod"} {
		eip, err := client.AllocateAddress(ctx, &ec2.AllocateAddressInput{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := client.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: subnet.Subnet.SubnetId, AllocationId: eip.AllocationId,
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeNatgateway, Tags: []ec2types.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}}}})
		if err != nil {
			t.Fatal(err)
		}
		ids[env] = aws.ToString(out.NatGateway.NatGatewayId)
	}
	for _, f := range []ec2types.Filter{{Name: aws.String("tag:Environment"), Values: []string{"prod"}}} {
		out, err := client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []ec2types.Filter{f}})
		if err != nil || len(out.NatGateways) != 1 || aws.ToString(out.NatGateways[0].NatGatewayId) != ids["prod"] {
			t.Errorf("NAT gateways tagged Environment=prod: %v %v (want %s only)", out, err, ids["prod"])
		}
	}
	out, err := client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []ec2types.Filter{{Name: aws.String("tag-key"), Values: []string{"Owner"}}}})
	if err != nil || len(out.NatGateways) != 0 {
		t.Errorf("NAT gateways with an Owner tag: %v %v (want none)", out, err)
	}
}

// TestShimBackupPlanNameAfterDelete: a deleted backup plan's name can be used again, as on AWS; a plan that
// exists still keeps its name to itself.
func TestShimBackupPlanNameAfterDelete(t *testing.T) {
	ctx := context.Background()
	client := backup.NewFromConfig(shimmedMoto(t))
	plan := func() (*backup.CreateBackupPlanOutput, error) {
		return client.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: &backuptypes.BackupPlanInput{
			BackupPlanName: aws.String("ec2stack-dr-prod-plan"),
			Rules:          []backuptypes.BackupRuleInput{{RuleName: aws.String("daily"), TargetBackupVaultName: aws.String("v"), ScheduleExpression: aws.String("cron(0 5 * * ? *)")}},
		}})
	}
	first, err := plan()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan(); err == nil {
		t.Fatal("a second plan of the same name was created while the first exists")
	}
	if _, err := client.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: first.BackupPlanId}); err != nil {
		t.Fatal(err)
	}
	if _, err := plan(); err != nil {
		t.Errorf("the name of a deleted plan cannot be used again: %v", err)
	}
}
