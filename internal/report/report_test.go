package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/release"
)

var t0 = time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)

type fakeCW struct {
	pages [][]cwtypes.MetricAlarm
	names [][]string
}

func (f *fakeCW) DescribeAlarms(_ context.Context, in *cloudwatch.DescribeAlarmsInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error) {
	f.names = append(f.names, in.AlarmNames)
	i := 0
	if in.NextToken != nil {
		i = 1
	}
	out := &cloudwatch.DescribeAlarmsOutput{MetricAlarms: f.pages[i]}
	if i+1 < len(f.pages) {
		out.NextToken = aws.String("next")
	}
	return out, nil
}

func TestAlarms(t *testing.T) {
	cw := &fakeCW{pages: [][]cwtypes.MetricAlarm{
		{{AlarmName: aws.String("dev-cpu"), StateValue: cwtypes.StateValueOk},
			{AlarmName: aws.String("dev-db-storage"), StateValue: cwtypes.StateValueInsufficientData, StateReason: aws.String("Unchecked: Initial alarm creation"), StateUpdatedTimestamp: aws.Time(t0)}},
		{{AlarmName: aws.String("dev-alb-5xx"), StateValue: cwtypes.StateValueAlarm, StateReason: aws.String("Threshold Crossed"), StateUpdatedTimestamp: aws.Time(t0.Add(time.Hour))}},
	}}
	got, err := Alarms(context.Background(), cw, []string{"dev-alb-5xx", "dev-cpu", "dev-db-storage"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Alarm{
		{Name: "dev-alb-5xx", State: "ALARM", Reason: "Threshold Crossed", Since: t0.Add(time.Hour)},
		{Name: "dev-db-storage", State: "INSUFFICIENT_DATA", Reason: "Unchecked: Initial alarm creation", Since: t0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Alarms = %+v, want %+v (OK dropped, ALARM first, both pages read)", got, want)
	}
	if len(cw.names) != 2 || len(cw.names[0]) != 3 {
		t.Errorf("asked for %v, want the 3 names on each page", cw.names)
	}
	if got, err := Alarms(context.Background(), cw, nil); err != nil || len(got) != 0 || len(cw.names) != 2 {
		t.Errorf("no names: %v, %v; want no call (a call without names lists every alarm of the account)", got, err)
	}
}

type fakeBackup struct {
	points []backuptypes.RecoveryPointByBackupVault
}

func (f fakeBackup) ListRecoveryPointsByBackupVault(_ context.Context, in *backup.ListRecoveryPointsByBackupVaultInput, _ ...func(*backup.Options)) (*backup.ListRecoveryPointsByBackupVaultOutput, error) {
	if aws.ToString(in.BackupVaultName) != "dev-vault" {
		return nil, errors.New("ResourceNotFoundException: vault " + aws.ToString(in.BackupVaultName))
	}
	return &backup.ListRecoveryPointsByBackupVaultOutput{RecoveryPoints: f.points}, nil
}

func TestRecoveryPoints(t *testing.T) {
	rp := func(arn, res string, status backuptypes.RecoveryPointStatus, at time.Time) backuptypes.RecoveryPointByBackupVault {
		return backuptypes.RecoveryPointByBackupVault{RecoveryPointArn: aws.String(arn), ResourceArn: aws.String(res), Status: status, CreationDate: aws.Time(at), CompletionDate: aws.Time(at.Add(time.Minute))}
	}
	f := fakeBackup{points: []backuptypes.RecoveryPointByBackupVault{
		rp("rp-1", "arn:db", backuptypes.RecoveryPointStatusCompleted, t0),
		rp("rp-2", "arn:db", backuptypes.RecoveryPointStatusCompleted, t0.Add(24*time.Hour)),
		rp("rp-3", "arn:db", backuptypes.RecoveryPointStatusPartial, t0.Add(48*time.Hour)),
		rp("rp-4", "arn:vol", backuptypes.RecoveryPointStatusCompleted, t0),
	}}
	got, err := RecoveryPoints(context.Background(), f, "dev-vault")
	if err != nil {
		t.Fatal(err)
	}
	want := []Backup{
		{Kind: KindRecoveryPoint, Resource: "arn:db", ID: "rp-2", Created: t0.Add(24*time.Hour + time.Minute), Count: 2},
		{Kind: KindRecoveryPoint, Resource: "arn:vol", ID: "rp-4", Created: t0.Add(time.Minute), Count: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("RecoveryPoints = %+v, want %+v", got, want)
	}
	if _, err := RecoveryPoints(context.Background(), f, "other"); err == nil {
		t.Error("a missing vault read without error")
	}
}

type fakeRDS struct{ snaps []rdstypes.DBSnapshot }

func (f fakeRDS) DescribeDBSnapshots(_ context.Context, in *rds.DescribeDBSnapshotsInput, _ ...func(*rds.Options)) (*rds.DescribeDBSnapshotsOutput, error) {
	var out []rdstypes.DBSnapshot
	for _, s := range f.snaps {
		if aws.ToString(s.DBInstanceIdentifier) == aws.ToString(in.DBInstanceIdentifier) {
			out = append(out, s)
		}
	}
	return &rds.DescribeDBSnapshotsOutput{DBSnapshots: out}, nil
}

func TestDBSnapshots(t *testing.T) {
	snap := func(id, db, typ, status string, at time.Time) rdstypes.DBSnapshot {
		return rdstypes.DBSnapshot{DBSnapshotIdentifier: aws.String(id), DBInstanceIdentifier: aws.String(db), SnapshotType: aws.String(typ), Status: aws.String(status), SnapshotCreateTime: aws.Time(at)}
	}
	f := fakeRDS{snaps: []rdstypes.DBSnapshot{
		snap("rds:dev-db-1", "dev-db", "automated", "available", t0),
		snap("rds:dev-db-2", "dev-db", "automated", "available", t0.Add(24*time.Hour)),
		snap("dev-db-final", "dev-db", "manual", "available", t0.Add(time.Hour)),
		snap("dev-db-now", "dev-db", "manual", "creating", t0.Add(72*time.Hour)),
		snap("other", "prod-db", "manual", "available", t0.Add(96*time.Hour)),
	}}
	got, err := DBSnapshots(context.Background(), f, "dev-db")
	if err != nil {
		t.Fatal(err)
	}
	want := []Backup{
		{Kind: KindRDSAutomated, Resource: "dev-db", ID: "rds:dev-db-2", Created: t0.Add(24 * time.Hour), Count: 2},
		{Kind: KindRDSManual, Resource: "dev-db", ID: "dev-db-final", Created: t0.Add(time.Hour), Count: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DBSnapshots = %+v, want %+v", got, want)
	}
}

type fakeEC2 struct {
	snaps     []ec2types.Snapshot
	filters   []ec2types.Filter
	template  string // image of the launch template
	instances []ec2types.Instance
	images    []ec2types.Image
}

func (f *fakeEC2) DescribeSnapshots(_ context.Context, in *ec2.DescribeSnapshotsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSnapshotsOutput, error) {
	f.filters = in.Filters
	return &ec2.DescribeSnapshotsOutput{Snapshots: f.snaps}, nil
}

func (f *fakeEC2) DescribeImages(_ context.Context, in *ec2.DescribeImagesInput, _ ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error) {
	var out []ec2types.Image
	for _, im := range f.images {
		for _, id := range in.ImageIds {
			if aws.ToString(im.ImageId) == id {
				out = append(out, im)
			}
		}
	}
	return &ec2.DescribeImagesOutput{Images: out}, nil
}

func (f *fakeEC2) DescribeLaunchTemplateVersions(_ context.Context, in *ec2.DescribeLaunchTemplateVersionsInput, _ ...func(*ec2.Options)) (*ec2.DescribeLaunchTemplateVersionsOutput, error) {
	if aws.ToString(in.LaunchTemplateId) != "lt-1" {
		return nil, errors.New("InvalidLaunchTemplateId.NotFound")
	}
	return &ec2.DescribeLaunchTemplateVersionsOutput{LaunchTemplateVersions: []ec2types.LaunchTemplateVersion{{LaunchTemplateData: &ec2types.ResponseLaunchTemplateData{ImageId: aws.String(f.template)}}}}, nil
}

func (f *fakeEC2) DescribeInstances(_ context.Context, _ *ec2.DescribeInstancesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error) {
	return &ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{{Instances: f.instances}}}, nil
}

func TestEBSSnapshots(t *testing.T) {
	f := &fakeEC2{snaps: []ec2types.Snapshot{
		{SnapshotId: aws.String("snap-1"), VolumeId: aws.String("vol-1"), State: ec2types.SnapshotStateCompleted, StartTime: aws.Time(t0)},
		{SnapshotId: aws.String("snap-2"), VolumeId: aws.String("vol-1"), State: ec2types.SnapshotStatePending, StartTime: aws.Time(t0.Add(time.Hour))},
	}}
	got, err := EBSSnapshots(context.Background(), f, "ec2stack", "dev")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Backup{{Kind: KindEBS, Resource: "vol-1", ID: "snap-1", Created: t0, Count: 1}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("EBSSnapshots = %+v, want %+v", got, want)
	}
	if len(f.filters) != 2 || f.filters[0].Values[0] != "ec2stack" || f.filters[1].Values[0] != "dev" {
		t.Errorf("filters %+v, want tag:Project=ec2stack and tag:Environment=dev", f.filters)
	}
}

func TestImages(t *testing.T) {
	f := &fakeEC2{template: "ami-new", instances: []ec2types.Instance{{InstanceId: aws.String("i-1"), ImageId: aws.String("ami-old")}},
		images: []ec2types.Image{
			{ImageId: aws.String("ami-new"), Name: aws.String("al2023-new"), CreationDate: aws.String("2026-11-21T06:00:00.000Z")},
			{ImageId: aws.String("ami-old"), Name: aws.String("al2023-old"), CreationDate: aws.String("2026-06-04T06:00:00.000Z")},
		}}
	got, err := Images(context.Background(), f, "lt-1", "dev-asg", t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "ami-new" || got[0].UsedBy != "lt-1" || got[0].AgeDays != 10 || got[1].ID != "ami-old" || got[1].UsedBy != "i-1" || got[1].AgeDays != 180 {
		t.Fatalf("Images = %+v, want ami-new (lt-1, 10 days) and ami-old (i-1, 180 days)", got)
	}
	f.images = f.images[:1]
	if _, err := Images(context.Background(), f, "lt-1", "dev-asg", t0); err == nil || !strings.Contains(err.Error(), "ami-old") {
		t.Errorf("a deregistered image: %v, want an error naming it", err)
	}
	if _, err := Images(context.Background(), f, "lt-x", "", t0); err == nil || !strings.Contains(err.Error(), "lt-x") {
		t.Errorf("a missing launch template: %v", err)
	}
}

func TestGather(t *testing.T) {
	ok := Source{Name: "alarms", Gather: func(_ context.Context, r *Report) error {
		r.Alarms = append(r.Alarms, Alarm{Name: "a", State: "ALARM"})
		return nil
	}}
	bad := Source{Name: "RDS snapshots of dev-db", Gather: func(context.Context, *Report) error { return errors.New("AccessDenied") }}
	r := Report{Environment: "dev"}
	if err := Gather(context.Background(), &r, []Source{ok, bad}); err != nil {
		t.Fatal(err)
	}
	if len(r.Alarms) != 1 || !reflect.DeepEqual(r.Unread, []string{"could not read RDS snapshots of dev-db: AccessDenied"}) {
		t.Fatalf("report %+v: want the alarm and one unread line", r)
	}
	if r.Backups == nil || r.Images == nil || r.Pending == nil {
		t.Error("empty lists must be [] in JSON, not null")
	}
	r = Report{}
	if err := Gather(context.Background(), &r, []Source{bad, bad}); !errors.Is(err, ErrNothingRead) || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("every source failing: %v, want ErrNothingRead with the reasons", err)
	}
}

func sample() Report {
	budget := 120.0
	return Report{Environment: "dev", Target: "emulator", GeneratedAt: t0,
		Alarms:  []Alarm{{Name: "dev-alb-5xx", State: "ALARM", Reason: "Threshold | Crossed", Since: t0}, {Name: "dev-cpu", State: "INSUFFICIENT_DATA", Reason: "Unchecked"}},
		Backups: []Backup{{Kind: KindRDSAutomated, Resource: "dev-db", ID: "rds:dev-db-2026-12-01", Created: t0, Count: 3}},
		Drift:   &Drift{Clean: false, Resources: []string{"module.stack.aws_security_group.app"}},
		Cost:    &Cost{Plan: true, ExpectedUSD: 98.5, LowUSD: 90, HighUSD: 130, BudgetUSD: &budget},
		Images:  []Image{{ID: "ami-1", Name: "al2023", UsedBy: "lt-1", Created: t0.Add(-240 * time.Hour), AgeDays: 10}},
		Pending: []Pending{{Kind: PendingPromotion, What: "release abc1234 is deployed and verified in dev, not yet in staging", Action: "ec2stack promote staging"}},
		Unread:  []string{"could not read EBS snapshots: AccessDenied"},
	}
}

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	WriteTable(&b, sample())
	out := b.String()
	for _, want := range []string{
		"Report of dev on emulator, 2026-12-01 06:00 UTC: 1 alarm(s) in ALARM, 1 INSUFFICIENT_DATA, 1 drifted, 1 pending, 1 source(s) not read",
		"dev-alb-5xx", "ALARM", "INSUFFICIENT_DATA", "rds-automated", "rds:dev-db-2026-12-01",
		"Drift: 1 resource(s) changed outside terraform: module.stack.aws_security_group.app",
		"Cost: USD 98.50 a month expected (90.00-130.00), within the budget of 120.00",
		"ami-1", "promotion: release abc1234", "(run `ec2stack promote staging`)",
		"could not read EBS snapshots: AccessDenied",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	WriteTable(&b, Report{Environment: "prod", Target: "aws", Drift: &Drift{Clean: true}, Cost: &Cost{Note: "no saved plan of prod on aws"}})
	for _, want := range []string{"Alarms not OK:\n  none", "Drift: none", "Cost: no plan (no saved plan of prod on aws)", "Pending:\n  nothing"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("empty table lacks %q:\n%s", want, b.String())
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	WriteMarkdown(&b, sample())
	out := b.String()
	for _, want := range []string{
		"### Report of `dev` on emulator, 2026-12-01 06:00 UTC",
		"| `dev-alb-5xx` | ALARM | 2026-12-01 06:00 UTC | Threshold \\| Crossed |",
		"| `dev-cpu` | INSUFFICIENT_DATA | - | Unchecked |",
		"| rds-automated | `dev-db` | 2026-12-01 06:00 UTC | `rds:dev-db-2026-12-01` | 3 |",
		"**Drift:** 1 resource(s) changed outside terraform",
		"**Cost:** USD 98.50 a month expected",
		"| `ami-1` | al2023 | `lt-1` | 2026-11-21 06:00 UTC | 10 |",
		"- promotion: release abc1234 is deployed and verified in dev, not yet in staging (`ec2stack promote staging`)",
		"#### Not read\n\n- could not read EBS snapshots: AccessDenied",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	js, err := json.Marshal(sample())
	if err != nil || !strings.Contains(string(js), `"drift":{"clean":false,"resources":["module.stack.aws_security_group.app"]}`) {
		t.Errorf("JSON: %s, %v", js, err)
	}
}

func TestApproval(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "dev.tfplan")
	const planCmd, approveCmd = "ec2stack plan prod", "ec2stack approve prod"
	if p, err := Approval(plan, "prod", true, planCmd, approveCmd); err != nil || len(p) != 0 {
		t.Fatalf("no saved plan: %v, %v; want nothing pending", p, err)
	}
	if err := os.WriteFile(plan, []byte("plan"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := Approval(plan, "prod", true, planCmd, approveCmd); err != nil || len(p) != 0 {
		t.Fatalf("unchecked plan: %v, %v; want nothing pending (it waits for a check)", p, err)
	}
	if err := deploy.RecordGate(deploy.Gate{Environment: "prod", PlanFile: plan, CheckedPlan: plan, Clean: true}); err != nil {
		t.Fatal(err)
	}
	p, err := Approval(plan, "prod", true, planCmd, approveCmd)
	if err != nil || len(p) != 1 || p[0].Kind != PendingApproval || p[0].Action != approveCmd {
		t.Fatalf("checked, unapproved: %+v, %v; want one pending approval", p, err)
	}
	if p, _ := Approval(plan, "dev", false, planCmd, approveCmd); len(p) != 0 {
		t.Errorf("no approval required: %+v", p)
	}
	if _, err := deploy.RecordApproval(plan, "prod", "ana"); err != nil {
		t.Fatal(err)
	}
	if p, err := Approval(plan, "prod", true, planCmd, approveCmd); err != nil || len(p) != 0 {
		t.Errorf("approved: %+v, %v; want nothing pending", p, err)
	}
}

func TestPromotion(t *testing.T) {
	relA := release.Release{Commit: strings.Repeat("a", 40)}
	relB := release.Release{Commit: strings.Repeat("b", 40)}
	good := func(rel release.Release) history.Record {
		return history.Record{Action: "up", Release: rel, Verify: &history.Verify{Holds: true}, Drift: &history.Drift{Clean: true}}
	}
	if p := Promotion("staging", "dev", []history.Record{good(relB)}, []history.Record{good(relA)}, "ec2stack promote staging"); len(p) != 1 || !strings.Contains(p[0].What, release.Short(relB.Commit)) || p[0].Kind != PendingPromotion {
		t.Fatalf("upstream ahead: %+v, want release %s pending", p, release.Short(relB.Commit))
	}
	if p := Promotion("staging", "dev", []history.Record{good(relB)}, []history.Record{good(relB)}, "x"); len(p) != 0 {
		t.Errorf("same release: %+v", p)
	}
	unverified := good(relB)
	unverified.Verify = nil
	if p := Promotion("staging", "dev", []history.Record{unverified}, nil, "x"); len(p) != 0 {
		t.Errorf("upstream not verified: %+v, want nothing promotable", p)
	}
	if p := Promotion("staging", "dev", []history.Record{good(relB)}, nil, "x"); len(p) != 1 {
		t.Errorf("nothing deployed here yet: %+v", p)
	}
}

func TestDriftOf(t *testing.T) {
	ro := `{"resource_drift":[
	 {"address":"aws_security_group.app","mode":"managed","type":"aws_security_group","change":{"actions":["update"],"before":{"description":"app"},"after":{"description":"changed"}}},
	 {"address":"aws_db_instance.main","mode":"managed","type":"aws_db_instance","change":{"actions":["update"],"before":{"latest_restorable_time":"1"},"after":{"latest_restorable_time":"2"}}}]}`
	d, err := DriftOf([]byte(ro))
	if err != nil || d.Clean || !reflect.DeepEqual(d.Resources, []string{"aws_security_group.app"}) {
		t.Fatalf("DriftOf = %+v, %v; want the security group only (AWS moves the restorable time itself)", d, err)
	}
	d, err = DriftOf([]byte(`{"resource_drift":[]}`))
	if err != nil || !d.Clean || d.Resources == nil {
		t.Fatalf("no drift: %+v, %v", d, err)
	}
	if _, err := DriftOf([]byte("not json")); err == nil {
		t.Error("bad JSON read")
	}
}
