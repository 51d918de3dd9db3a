package report

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// AlarmsAPI is what the report reads of CloudWatch.
type AlarmsAPI interface {
	DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)
}

// BackupAPI is what the report reads of AWS Backup.
type BackupAPI interface {
	ListRecoveryPointsByBackupVault(ctx context.Context, in *backup.ListRecoveryPointsByBackupVaultInput, optFns ...func(*backup.Options)) (*backup.ListRecoveryPointsByBackupVaultOutput, error)
}

// RDSAPI is what the report reads of RDS.
type RDSAPI interface {
	DescribeDBSnapshots(ctx context.Context, in *rds.DescribeDBSnapshotsInput, optFns ...func(*rds.Options)) (*rds.DescribeDBSnapshotsOutput, error)
}

// EC2API is what the report reads of EC2.
type EC2API interface {
	DescribeSnapshots(ctx context.Context, in *ec2.DescribeSnapshotsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSnapshotsOutput, error)
	DescribeImages(ctx context.Context, in *ec2.DescribeImagesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error)
	DescribeLaunchTemplateVersions(ctx context.Context, in *ec2.DescribeLaunchTemplateVersionsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeLaunchTemplateVersionsOutput, error)
	DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
}

// Alarms reads the named alarms (the root's alarm_names) and keeps those in ALARM or INSUFFICIENT_DATA,
// ALARM first, then by name.
func Alarms(ctx context.Context, api AlarmsAPI, names []string) ([]Alarm, error) {
	out := []Alarm{}
	for start := 0; start < len(names); start += 100 { // DescribeAlarms takes at most 100 names
		end := min(start+100, len(names))
		in := &cloudwatch.DescribeAlarmsInput{AlarmNames: names[start:end], AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm}}
		for {
			page, err := api.DescribeAlarms(ctx, in)
			if err != nil {
				return nil, err
			}
			add := func(name *string, state cwtypes.StateValue, reason *string, since *time.Time) {
				if state == cwtypes.StateValueOk {
					return
				}
				out = append(out, Alarm{Name: aws.ToString(name), State: string(state), Reason: aws.ToString(reason), Since: aws.ToTime(since)})
			}
			for _, a := range page.MetricAlarms {
				add(a.AlarmName, a.StateValue, a.StateReason, a.StateUpdatedTimestamp)
			}
			for _, a := range page.CompositeAlarms {
				add(a.AlarmName, a.StateValue, a.StateReason, a.StateUpdatedTimestamp)
			}
			if aws.ToString(page.NextToken) == "" {
				break
			}
			in.NextToken = page.NextToken
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].State == "ALARM") != (out[j].State == "ALARM") {
			return out[i].State == "ALARM"
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// latest keeps, per kind and resource, the newest backup and the count.
type latest map[[2]string]*Backup

func (l latest) add(b Backup) {
	k := [2]string{b.Kind, b.Resource}
	cur, ok := l[k]
	if !ok {
		b.Count = 1
		l[k] = &b
		return
	}
	cur.Count++
	if b.Created.After(cur.Created) {
		b.Count = cur.Count
		*cur = b
	}
}

func (l latest) list() []Backup {
	out := []Backup{}
	for _, b := range l {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Resource < out[j].Resource
	})
	return out
}

// RecoveryPoints is the last completed recovery point of each resource in the vault.
func RecoveryPoints(ctx context.Context, api BackupAPI, vault string) ([]Backup, error) {
	l := latest{}
	in := &backup.ListRecoveryPointsByBackupVaultInput{BackupVaultName: aws.String(vault)}
	for {
		page, err := api.ListRecoveryPointsByBackupVault(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, p := range page.RecoveryPoints {
			if p.Status != backuptypes.RecoveryPointStatusCompleted {
				continue
			}
			created := aws.ToTime(p.CompletionDate)
			if created.IsZero() {
				created = aws.ToTime(p.CreationDate)
			}
			l.add(Backup{Kind: KindRecoveryPoint, Resource: aws.ToString(p.ResourceArn), ID: aws.ToString(p.RecoveryPointArn), Created: created})
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	return l.list(), nil
}

// DBSnapshots is the last available automated and manual snapshot of the database.
func DBSnapshots(ctx context.Context, api RDSAPI, db string) ([]Backup, error) {
	l := latest{}
	in := &rds.DescribeDBSnapshotsInput{DBInstanceIdentifier: aws.String(db)}
	for {
		page, err := api.DescribeDBSnapshots(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, s := range page.DBSnapshots {
			if aws.ToString(s.Status) != "available" {
				continue
			}
			kind := KindRDSManual
			if aws.ToString(s.SnapshotType) == "automated" {
				kind = KindRDSAutomated
			}
			l.add(Backup{Kind: kind, Resource: db, ID: aws.ToString(s.DBSnapshotIdentifier), Created: aws.ToTime(s.SnapshotCreateTime)})
		}
		if aws.ToString(page.Marker) == "" {
			break
		}
		in.Marker = page.Marker
	}
	return l.list(), nil
}

// EBSSnapshots is the last completed snapshot of each volume, among this account's snapshots tagged with the
// project and environment.
func EBSSnapshots(ctx context.Context, api EC2API, project, environment string) ([]Backup, error) {
	l := latest{}
	in := &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: []ec2types.Filter{
		{Name: aws.String("tag:Project"), Values: []string{project}},
		{Name: aws.String("tag:Environment"), Values: []string{environment}},
	}}
	for {
		page, err := api.DescribeSnapshots(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, s := range page.Snapshots {
			if s.State != ec2types.SnapshotStateCompleted {
				continue
			}
			l.add(Backup{Kind: KindEBS, Resource: aws.ToString(s.VolumeId), ID: aws.ToString(s.SnapshotId), Created: aws.ToTime(s.StartTime)})
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	return l.list(), nil
}

// Images is the image of the launch template's default version and of the auto scaling group's running
// instances, each with its age in days at now.
func Images(ctx context.Context, api EC2API, launchTemplateID, asgName string, now time.Time) ([]Image, error) {
	users := map[string][]string{} // image ID -> what uses it
	var ids []string
	use := func(image, by string) {
		if image == "" {
			return
		}
		if _, ok := users[image]; !ok {
			ids = append(ids, image)
		}
		users[image] = append(users[image], by)
	}
	if launchTemplateID != "" {
		v, err := api.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(launchTemplateID), Versions: []string{"$Default"}})
		if err != nil {
			return nil, fmt.Errorf("launch template %s: %w", launchTemplateID, err)
		}
		for _, ver := range v.LaunchTemplateVersions {
			if ver.LaunchTemplateData != nil {
				use(aws.ToString(ver.LaunchTemplateData.ImageId), launchTemplateID)
			}
		}
	}
	if asgName != "" {
		in := &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
			{Name: aws.String("tag:aws:autoscaling:groupName"), Values: []string{asgName}},
			{Name: aws.String("instance-state-name"), Values: []string{"pending", "running"}},
		}}
		for {
			page, err := api.DescribeInstances(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("instances of %s: %w", asgName, err)
			}
			for _, res := range page.Reservations {
				for _, i := range res.Instances {
					use(aws.ToString(i.ImageId), aws.ToString(i.InstanceId))
				}
			}
			if aws.ToString(page.NextToken) == "" {
				break
			}
			in.NextToken = page.NextToken
		}
	}
	out := []Image{}
	if len(ids) == 0 {
		return out, nil
	}
	d, err := api.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: ids})
	if err != nil {
		return nil, err
	}
	found := map[string]ec2types.Image{}
	for _, im := range d.Images {
		found[aws.ToString(im.ImageId)] = im
	}
	for _, id := range ids {
		im, ok := found[id]
		if !ok {
			return nil, fmt.Errorf("image %s (used by %v) is not found: deregistered?", id, users[id])
		}
		created, err := time.Parse(time.RFC3339, aws.ToString(im.CreationDate))
		if err != nil {
			return nil, fmt.Errorf("image %s: creation date %q: %w", id, aws.ToString(im.CreationDate), err)
		}
		for _, by := range users[id] {
			out = append(out, Image{ID: id, Name: aws.ToString(im.Name), UsedBy: by, Created: created, AgeDays: int(now.Sub(created).Hours() / 24)})
		}
	}
	return out, nil
}
