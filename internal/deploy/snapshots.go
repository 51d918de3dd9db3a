package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// SnapshotCreatorTag marks the EBS snapshots Data Lifecycle Manager takes of the instances' volumes (the backup
// module's tags_to_add). Deleting the lifecycle policy leaves them behind, so a destroy of an environment without
// deletion protection deletes them too; with deletion protection (prod) they are kept, as the final database
// snapshot is.
const SnapshotCreatorTag = "SnapshotCreator"

// DLMSnapshots lists this account's EBS snapshots that DLM took of the environment's volumes: tagged
// SnapshotCreator=dlm plus the volumes' Project and Environment tags (DLM copies them).
func DLMSnapshots(ctx context.Context, cfg aws.Config, project, environment string) ([]string, error) {
	var ids []string
	p := ec2.NewDescribeSnapshotsPaginator(ec2.NewFromConfig(cfg), &ec2.DescribeSnapshotsInput{
		OwnerIds: []string{"self"},
		Filters: []ec2types.Filter{
			{Name: aws.String("tag:" + SnapshotCreatorTag), Values: []string{"dlm"}},
			{Name: aws.String("tag:Project"), Values: []string{project}},
			{Name: aws.String("tag:Environment"), Values: []string{environment}},
		},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list DLM snapshots of %s in %s: %w", environment, cfg.Region, err)
		}
		for _, s := range page.Snapshots {
			ids = append(ids, aws.ToString(s.SnapshotId))
		}
	}
	return ids, nil
}

// DeleteDLMSnapshots deletes what DLMSnapshots lists and returns the IDs it deleted.
func DeleteDLMSnapshots(ctx context.Context, cfg aws.Config, project, environment string) ([]string, error) {
	ids, err := DLMSnapshots(ctx, cfg, project, environment)
	if err != nil {
		return nil, err
	}
	client := ec2.NewFromConfig(cfg)
	for i, id := range ids {
		if _, err := client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)}); err != nil {
			return ids[:i], fmt.Errorf("delete DLM snapshot %s in %s: %w", id, cfg.Region, err)
		}
	}
	return ids, nil
}
