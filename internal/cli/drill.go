package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/ec2stack/ec2stack/internal/dr"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// drillStep is one step of a drill: what was done, how long it took here, and what it produced.
type drillStep struct {
	Step    string  `json:"step"`
	Seconds float64 `json:"seconds"`
	Result  string  `json:"result"`
	Error   string  `json:"error,omitempty"`
}

// drill rehearses docs/runbooks/region-loss.md on the emulator with ENV applied: the database restored from its
// latest snapshot and to a point in time into new instances, an instance volume restored from a snapshot into
// another zone, the stack brought up from code in the DR region (under its own project name: IAM and S3 names
// are global) and verified, then everything the drill made torn down. It prints each step's measured time and,
// beside them, the estimated real-AWS recovery (`ec2stack dr`) against the objectives.
func (c *command) drill(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("dr drill %s: %w", c.opts.env, err)
	}
	if err := s.init(ctx); err != nil {
		return err
	}
	raw, err := s.runner.Outputs(ctx)
	if err != nil {
		return fmt.Errorf("dr drill %s: %w", s.env.Name, err)
	}
	region, _ := raw["region"].(string)
	drRegion, _ := raw["dr_region"].(string)
	project, _ := raw["project"].(string)
	dbID, _ := raw["database_instance_id"].(string)
	asgName, _ := raw["autoscaling_group_name"].(string)
	if region == "" || drRegion == "" || project == "" {
		return fmt.Errorf("dr drill %s: %s has no region, dr_region or project output: apply it first (`ec2stack up %s`)", s.env.Name, s.describe(), s.env.Name)
	}
	d := &drillRun{c: c, s: s, stamp: time.Now().UTC().Format("20060102150405")}
	cfg, err := s.awsConfig(ctx, region)
	if err != nil {
		return err
	}
	d.tags = map[string]string{"Project": project, "Environment": s.env.Name, "Purpose": "dr-drill"}
	if dbID != "" {
		d.database(ctx, rds.NewFromConfig(cfg), dbID)
	}
	if asgName != "" {
		d.volume(ctx, autoscaling.NewFromConfig(cfg), ec2.NewFromConfig(cfg), asgName)
	}
	d.region(ctx, drRegion, region, drillProject(project))
	d.teardown(ctx)

	estimate, estErr := c.recoveryEstimate(ctx, s)
	if !c.opts.json {
		d.print(estimate, estErr)
	}
	doc := map[string]any{"environment": s.env.Name, "dr_region": drRegion, "steps": d.steps, "measured_seconds": d.total()}
	if estErr == nil {
		doc["estimate"] = estimate
	}
	if err := c.result(doc); err != nil {
		return err
	}
	if failed := d.failed(); len(failed) > 0 {
		return fmt.Errorf("dr drill %s: %d step(s) failed: %s", s.env.Name, len(failed), strings.Join(failed, "; "))
	}
	return estErr
}

// drillProject is the project name the DR stack is built under: the global names (IAM roles, S3 buckets) of the
// lost region's stack still exist.
func drillProject(project string) string {
	if len(project) > 21 {
		project = strings.TrimRight(project[:21], "-")
	}
	return project + "-dr"
}

type drillRun struct {
	c     *command
	s     *session
	stamp string
	tags  map[string]string
	steps []drillStep
	undo  []func(context.Context) error // teardown, last first
}

// step runs fn as a named step and records its time and result; it returns whether it succeeded.
func (d *drillRun) step(name string, fn func() (string, error)) bool {
	d.c.progressf("drill: %s ...", name)
	start := time.Now()
	result, err := fn()
	st := drillStep{Step: name, Seconds: time.Since(start).Seconds(), Result: result}
	if err != nil {
		st.Error = strings.ReplaceAll(err.Error(), "\n", " ")
	}
	d.steps = append(d.steps, st)
	return err == nil
}

func (d *drillRun) database(ctx context.Context, client *rds.Client, dbID string) {
	var snapshot string
	if !d.step("database: latest snapshot of "+dbID, func() (string, error) {
		out, err := client.DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{DBInstanceIdentifier: &dbID})
		if err != nil {
			return "", err
		}
		var latest *rdstypes.DBSnapshot
		for i, sn := range out.DBSnapshots {
			if aws.ToString(sn.Status) == "available" && sn.SnapshotCreateTime != nil && (latest == nil || sn.SnapshotCreateTime.After(*latest.SnapshotCreateTime)) {
				latest = &out.DBSnapshots[i]
			}
		}
		if latest != nil {
			snapshot = aws.ToString(latest.DBSnapshotIdentifier)
			return fmt.Sprintf("%s (%s, taken %s)", snapshot, aws.ToString(latest.SnapshotType), latest.SnapshotCreateTime.UTC().Format(time.RFC3339)), nil
		}
		snapshot = dbID + "-drill-" + d.stamp
		if _, err := client.CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{DBInstanceIdentifier: &dbID, DBSnapshotIdentifier: &snapshot, Tags: d.rdsTags()}); err != nil {
			return "", err
		}
		d.undo = append(d.undo, func(ctx context.Context) error {
			_, err := client.DeleteDBSnapshot(ctx, &rds.DeleteDBSnapshotInput{DBSnapshotIdentifier: &snapshot})
			return err
		})
		err = rds.NewDBSnapshotAvailableWaiter(client).Wait(ctx, &rds.DescribeDBSnapshotsInput{DBSnapshotIdentifier: &snapshot}, time.Hour)
		return snapshot + " (none yet: taken now)", err
	}) {
		return
	}
	src, err := client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: &dbID})
	if err != nil || len(src.DBInstances) == 0 {
		d.steps = append(d.steps, drillStep{Step: "database: read " + dbID, Error: fmt.Sprint(err)})
		return
	}
	db := src.DBInstances[0]
	var subnetGroup *string
	if db.DBSubnetGroup != nil {
		subnetGroup = db.DBSubnetGroup.DBSubnetGroupName
	}
	var securityGroups []string
	for _, g := range db.VpcSecurityGroups {
		securityGroups = append(securityGroups, aws.ToString(g.VpcSecurityGroupId))
	}
	restored := func(id string, restore func() error) (string, error) {
		if err := restore(); err != nil {
			return "", err
		}
		d.undo = append(d.undo, func(ctx context.Context) error {
			if _, err := client.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: &id, SkipFinalSnapshot: aws.Bool(true), DeleteAutomatedBackups: aws.Bool(true)}); err != nil {
				return err
			}
			return rds.NewDBInstanceDeletedWaiter(client).Wait(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: &id}, time.Hour)
		})
		if err := rds.NewDBInstanceAvailableWaiter(client).Wait(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: &id}, 2*time.Hour); err != nil {
			return "", err
		}
		out, err := client.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: &id})
		if err != nil || len(out.DBInstances) == 0 {
			return "", fmt.Errorf("reading the restored %s back: %v", id, err)
		}
		r := out.DBInstances[0]
		if aws.ToBool(r.StorageEncrypted) != aws.ToBool(db.StorageEncrypted) {
			return "", fmt.Errorf("the restored %s is encrypted: %v, the source: %v", id, aws.ToBool(r.StorageEncrypted), aws.ToBool(db.StorageEncrypted))
		}
		return fmt.Sprintf("%s %s (%s, encrypted %v)", id, aws.ToString(r.DBInstanceStatus), aws.ToString(r.DBInstanceClass), aws.ToBool(r.StorageEncrypted)), nil
	}
	fromSnapshot := dbID + "-drill-snap"
	d.step("database: restore "+snapshot+" into a new instance", func() (string, error) {
		return restored(fromSnapshot, func() error {
			_, err := client.RestoreDBInstanceFromDBSnapshot(ctx, &rds.RestoreDBInstanceFromDBSnapshotInput{
				DBInstanceIdentifier: &fromSnapshot, DBSnapshotIdentifier: &snapshot, DBInstanceClass: db.DBInstanceClass,
				DBSubnetGroupName: subnetGroup, VpcSecurityGroupIds: securityGroups, MultiAZ: db.MultiAZ,
				PubliclyAccessible: aws.Bool(false), Tags: d.rdsTags(),
			})
			return err
		})
	})
	toPoint := dbID + "-drill-pitr"
	d.step("database: restore "+dbID+" to its latest restorable time", func() (string, error) {
		return restored(toPoint, func() error {
			_, err := client.RestoreDBInstanceToPointInTime(ctx, &rds.RestoreDBInstanceToPointInTimeInput{
				SourceDBInstanceIdentifier: &dbID, TargetDBInstanceIdentifier: &toPoint, UseLatestRestorableTime: aws.Bool(true),
				DBInstanceClass: db.DBInstanceClass, DBSubnetGroupName: subnetGroup, VpcSecurityGroupIds: securityGroups,
				PubliclyAccessible: aws.Bool(false), Tags: d.rdsTags(),
			})
			return err
		})
	})
}

func (d *drillRun) volume(ctx context.Context, asg *autoscaling.Client, client *ec2.Client, group string) {
	var volume ec2types.Volume
	if !d.step("volume: find an instance volume of "+group, func() (string, error) {
		out, err := asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{group}})
		if err != nil {
			return "", err
		}
		var ids []string
		for _, g := range out.AutoScalingGroups {
			for _, i := range g.Instances {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		if len(ids) == 0 {
			return "", fmt.Errorf("%s has no instances", group)
		}
		vols, err := client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.instance-id"), Values: ids}}})
		if err != nil {
			return "", err
		}
		if len(vols.Volumes) == 0 {
			return "", fmt.Errorf("the instances of %s have no volumes", group)
		}
		volume = vols.Volumes[0]
		return fmt.Sprintf("%s in %s", aws.ToString(volume.VolumeId), aws.ToString(volume.AvailabilityZone)), nil
	}) {
		return
	}
	var snapshot string
	if !d.step("volume: snapshot "+aws.ToString(volume.VolumeId), func() (string, error) {
		out, err := client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: volume.VolumeId, Description: aws.String("ec2stack dr drill"), TagSpecifications: d.ec2Tags(ec2types.ResourceTypeSnapshot)})
		if err != nil {
			return "", err
		}
		snapshot = aws.ToString(out.SnapshotId)
		d.undo = append(d.undo, func(ctx context.Context) error {
			_, err := client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: &snapshot})
			return err
		})
		return snapshot, ec2.NewSnapshotCompletedWaiter(client).Wait(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{snapshot}}, 2*time.Hour)
	}) {
		return
	}
	d.step("volume: restore "+snapshot+" into another zone", func() (string, error) {
		zones, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
		if err != nil {
			return "", err
		}
		zone := aws.ToString(volume.AvailabilityZone)
		for _, z := range zones.AvailabilityZones {
			if aws.ToString(z.ZoneName) != zone {
				zone = aws.ToString(z.ZoneName)
				break
			}
		}
		out, err := client.CreateVolume(ctx, &ec2.CreateVolumeInput{SnapshotId: &snapshot, AvailabilityZone: &zone, VolumeType: volume.VolumeType, TagSpecifications: d.ec2Tags(ec2types.ResourceTypeVolume)})
		if err != nil {
			return "", err
		}
		id := aws.ToString(out.VolumeId)
		d.undo = append(d.undo, func(ctx context.Context) error {
			_, err := client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: &id})
			return err
		})
		if err := ec2.NewVolumeAvailableWaiter(client).Wait(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{id}}, time.Hour); err != nil {
			return "", err
		}
		if aws.ToBool(out.Encrypted) != aws.ToBool(volume.Encrypted) {
			return "", fmt.Errorf("the restored %s is encrypted: %v, the source: %v", id, aws.ToBool(out.Encrypted), aws.ToBool(volume.Encrypted))
		}
		return fmt.Sprintf("%s in %s (%d GiB, encrypted %v)", id, zone, aws.ToInt32(out.Size), aws.ToBool(out.Encrypted)), nil
	})
}

// region brings the stack up from code in the DR region (the region-loss runbook's step), verifies it, and
// leaves it for the teardown.
func (d *drillRun) region(ctx context.Context, drRegion, region, project string) {
	var dr *session
	if !d.step(fmt.Sprintf("region: plan %s in %s from code (project %s)", d.s.env.Name, drRegion, project), func() (string, error) {
		var err error
		if dr, err = d.c.drillSession(ctx, d.s, drRegion, region, project); err != nil {
			return "", err
		}
		if err := dr.init(ctx); err != nil {
			return "", err
		}
		sum, err := dr.runner.Plan(ctx, nil)
		return fmt.Sprintf("%d to add", sum.Add), err
	}) {
		return
	}
	d.undo = append(d.undo, func(ctx context.Context) error { return dr.runner.Destroy(ctx, nil) })
	if !d.step("region: apply in "+drRegion, func() (string, error) {
		return "applied", dr.runner.Apply(ctx, d.c.progress(0))
	}) {
		return
	}
	d.step("region: verify in "+drRegion, func() (string, error) {
		r, err := d.c.readBack(ctx, dr)
		if err != nil {
			return "", err
		}
		if f := r.Failures(); len(f) > 0 {
			return "", fmt.Errorf("%d difference(s), the first: %v", len(f), f[0])
		}
		return fmt.Sprintf("%d checks hold", r.Checks()), nil
	})
}

// teardown undoes what the drill made, last first, as one step.
func (d *drillRun) teardown(ctx context.Context) {
	d.step("teardown: everything the drill made", func() (string, error) {
		var errs []error
		for i := len(d.undo) - 1; i >= 0; i-- {
			if err := d.undo[i](ctx); err != nil {
				errs = append(errs, err)
			}
		}
		return fmt.Sprintf("%d removal(s)", len(d.undo)), errors.Join(errs...)
	})
}

// drillSession is s's environment planned in region (dr_region: the region it was in), under project, with a
// state of its own: the DR stack the region-loss runbook brings up.
func (c *command) drillSession(ctx context.Context, s *session, region, drRegion, project string) (*session, error) {
	_, e, tool, rc, err := c.locate(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.moto.PrepareAccount(ctx, region); err != nil {
		return nil, err
	}
	e.Region = region
	d := &session{home: s.home, env: e, target: s.target, moto: s.moto}
	extra := s.moto.Env(region)
	extra["TF_VAR_"+EmulatorSwitch] = "true"
	extra["TF_VAR_region"], extra["TF_VAR_dr_region"], extra["TF_VAR_project"] = region, drRegion, project
	d.backend = emulator.BackendConfig(e.Name+"-drill", s.backend["region"])
	d.runner, err = terraform.New(terraform.Options{Tool: tool, Home: s.home, Root: e.Root, Target: "emulator-drill", Env: e.Name, CLIConfig: rc, ExtraEnv: extra})
	return d, err
}

// recoveryEstimate is `ec2stack dr`'s estimate of s's environment: the plan with real settings and its graph.
func (c *command) recoveryEstimate(ctx context.Context, s *session) (dr.Report, error) {
	p := c.realSettingsPlan(ctx, nil)
	if p.err != nil || p.inputs != nil {
		return dr.Report{}, fmt.Errorf("estimate: no plan with real settings: %v", p.err)
	}
	rs, err := c.prepareSession(ctx, true)
	if err != nil {
		return dr.Report{}, err
	}
	return c.assess(ctx, rs, p.json)
}

func (d *drillRun) total() float64 {
	t := 0.0
	for _, s := range d.steps {
		t += s.Seconds
	}
	return t
}

func (d *drillRun) failed() []string {
	var out []string
	for _, s := range d.steps {
		if s.Error != "" {
			out = append(out, s.Step+": "+s.Error)
		}
	}
	return out
}

func (d *drillRun) print(r dr.Report, estErr error) {
	w := d.c.stdout
	fmt.Fprintf(w, "DR drill of %s on the emulator (docs/runbooks/region-loss.md):\n\n", d.s.env.Name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tSECONDS\tRESULT")
	for _, s := range d.steps {
		res := s.Result
		if s.Error != "" {
			res = "FAILED: " + s.Error
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%s\n", s.Step, s.Seconds, res)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nMeasured on the emulator: %.0f s (moto answers at once: real AWS waits for instances, restores and copies).\n", d.total())
	if estErr != nil {
		fmt.Fprintf(w, "Estimated on AWS: not computed: %v\n", estErr)
		return
	}
	for _, e := range r.Estimates {
		if e.Disruption == dr.Region && e.Judged {
			rpo := "data lost"
			if e.RPO != nil {
				rpo = dr.Format(*e.RPO)
			}
			fmt.Fprintf(w, "Estimated on AWS, region loss, %s: RTO %s (objective %s), RPO %s (objective %s).\n", e.Store, dr.Format(e.RTO), formatObjective(r.RTO), rpo, formatObjective(r.RPO))
		}
	}
}

func (d *drillRun) rdsTags() []rdstypes.Tag {
	var out []rdstypes.Tag
	for k, v := range d.tags {
		out = append(out, rdstypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return out
}

func (d *drillRun) ec2Tags(t ec2types.ResourceType) []ec2types.TagSpecification {
	var tags []ec2types.Tag
	for k, v := range d.tags {
		tags = append(tags, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return []ec2types.TagSpecification{{ResourceType: t, Tags: tags}}
}
