package cost

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// change is one resource change of a plan built in a test: before nil creates, after nil deletes.
type change struct {
	address, typ  string
	before, after map[string]any
}

func planOf(changes ...change) *tfjson.Plan {
	p := &tfjson.Plan{FormatVersion: "1.2", PlannedValues: &tfjson.StateValues{Outputs: map[string]*tfjson.StateOutput{
		"region": {Value: "us-east-1"}, "availability_zones": {Value: []any{"us-east-1a", "us-east-1b"}},
	}}}
	for _, c := range changes {
		module := c.address[:strings.LastIndex(c.address, "."+c.typ+".")]
		actions := tfjson.Actions{tfjson.ActionNoop}
		switch {
		case c.before == nil:
			actions = tfjson.Actions{tfjson.ActionCreate}
		case c.after == nil:
			actions = tfjson.Actions{tfjson.ActionDelete}
		case !sameValues(c.before, c.after):
			actions = tfjson.Actions{tfjson.ActionUpdate}
		}
		var before, after any
		if c.before != nil {
			before = c.before
		}
		if c.after != nil {
			after = c.after
		}
		p.ResourceChanges = append(p.ResourceChanges, &tfjson.ResourceChange{Address: c.address, ModuleAddress: module, Type: c.typ,
			Mode: tfjson.ManagedResourceMode, Change: &tfjson.Change{Actions: actions, Before: before, After: after}})
	}
	return p
}

func sameValues(a, b map[string]any) bool { return reflect.DeepEqual(a, b) }

const compute = "module.stack.module.compute."

// group is an Auto Scaling group with its launch template and, when scheduled, the stack's off-hours schedule.
func group(instanceType string, min, desired, max float64, scheduled bool) []change {
	lt := map[string]any{"instance_type": instanceType, "monitoring": []any{map[string]any{"enabled": false}},
		"block_device_mappings": []any{map[string]any{"ebs": []any{map[string]any{"volume_size": 20.0, "volume_type": "gp3"}}}}}
	out := []change{
		{address: compute + "aws_launch_template.this", typ: "aws_launch_template", after: lt},
		{address: compute + "aws_autoscaling_group.this", typ: "aws_autoscaling_group", after: map[string]any{"min_size": min, "desired_capacity": desired, "max_size": max}},
	}
	if scheduled {
		out = append(out,
			change{address: compute + "aws_autoscaling_schedule.scale_down[0]", typ: "aws_autoscaling_schedule", after: map[string]any{
				"recurrence": "0 20 * * MON-FRI", "time_zone": "UTC", "min_size": 0.0, "desired_capacity": 0.0, "max_size": 1.0}},
			change{address: compute + "aws_autoscaling_schedule.scale_up[0]", typ: "aws_autoscaling_schedule", after: map[string]any{
				"recurrence": "0 7 * * MON-FRI", "time_zone": "UTC", "min_size": min, "desired_capacity": desired, "max_size": max}})
	}
	return out
}

// deployed turns a plan's creations into the state they would leave: every change becomes a no-op with before =
// after, so that a test can then change some values.
func deployed(changes []change) []change {
	out := make([]change, len(changes))
	for i, c := range changes {
		after := map[string]any{}
		for k, v := range c.after {
			after[k] = v
		}
		out[i] = change{address: c.address, typ: c.typ, before: c.after, after: after}
	}
	return out
}

func TestOffHoursShare(t *testing.T) {
	// Mon-Thu nights 20:00-07:00 (4 x 11 h) and the weekend from Friday 20:00 to Monday 07:00 (59 h): 103 of 168.
	share, err := offHoursShare("0 20 * * MON-FRI", "0 7 * * MON-FRI")
	if err != nil || !near(share, 103.0/168) {
		t.Errorf("share = %v, %v; want 103/168", share, err)
	}
	if share, err := offHoursShare("30 18 * * 1-5", "30 8 * * 1-5"); err != nil || !near(share, (4*14+62)/168.0) {
		t.Errorf("numeric days: %v, %v", share, err)
	}
	for _, bad := range []string{"0 20 * *", "0 20 1 * MON", "0 25 * * *", "x 20 * * *", "0 20 * * FRI-MON"} {
		if _, err := offHoursShare(bad, "0 7 * * MON-FRI"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestScheduleAndDiff: the off-hours schedule is counted in hours; changing the instance type or the minimum
// size of a deployed group changes the diff and the total by exactly the instances' price.
func TestScheduleAndDiff(t *testing.T) {
	const h = 730.0
	share := 103.0 / 168
	r := estimate(t, planOf(group("t3.large", 3, 3, 10, true)...), Usage{}, nil)
	got := line(t, r, compute+"aws_autoscaling_group.this", "t3.large on-demand instances")
	want := Amount{3 * (1 - share) * h * 0.0832, 3 * (1 - share) * h * 0.0832, (10*(1-share) + 1*share) * h * 0.0832}
	if !near(got.Monthly.Low, want.Low) || !near(got.Monthly.Expected, want.Expected) || !near(got.Monthly.High, want.High) {
		t.Errorf("scheduled group: %+v, want %+v", got.Monthly, want)
	}
	if !strings.Contains(got.Note, "off hours 61 % of the week") {
		t.Errorf("note %q", got.Note)
	}

	// Deployed always on (prod): nothing changes, then a bigger type, then a larger minimum.
	base := deployed(group("t3.large", 3, 3, 10, false))
	r = estimate(t, planOf(base...), Usage{}, nil)
	if len(r.Changes) != 0 || !near(r.Before.Expected, r.Total.Expected) {
		t.Fatalf("an unchanged plan: %d changes, %v -> %v", len(r.Changes), r.Before, r.Total)
	}
	bigger := deployed(group("t3.large", 3, 3, 10, false))
	bigger[0].after["instance_type"] = "t3.medium"
	r2 := estimate(t, planOf(bigger...), Usage{}, nil)
	if len(r2.Changes) != 2 {
		t.Fatalf("a new instance type: changes %+v, want the old line removed and the new one added", r2.Changes)
	}
	if d := r2.Total.Expected - r.Total.Expected; !near(d, 3*h*(0.0416-0.0832)) {
		t.Errorf("t3.large -> t3.medium changes the total by %.4f, want %.4f", d, 3*h*(0.0416-0.0832))
	}
	larger := deployed(group("t3.large", 3, 3, 10, false))
	larger[1].after["min_size"], larger[1].after["desired_capacity"] = 5.0, 5.0
	r3 := estimate(t, planOf(larger...), Usage{}, nil)
	var instances Change
	for _, ch := range r3.Changes {
		if ch.What == "t3.large on-demand instances" {
			instances = ch
		}
	}
	if !near(instances.Delta.Expected, 2*h*0.0832) || !near(instances.Delta.Low, 2*h*0.0832) || instances.Delta.High != 0 {
		t.Errorf("min 3 -> 5: %+v", instances)
	}
	if !near(r3.Total.Expected-r3.Before.Expected, 2*h*0.0832+2*20*0.08) {
		t.Errorf("min 3 -> 5 changes the total by %.4f", r3.Total.Expected-r3.Before.Expected)
	}
}

// TestStatefulPricing: log groups, log buckets, backup plans and snapshot policies, from retention and the
// usage's data sizes.
func TestStatefulPricing(t *testing.T) {
	u := Usage{LogGBPerDay: 2, AccessLogGBPerMonth: 30.4166666667, DatabaseDataGB: 100, VolumeDataGB: 10, DailyChangePercent: 5}
	const m = "module.stack.module."
	days := 730.0 / 24
	changes := append(group("t3.small", 2, 2, 2, false),
		change{address: m + "network.aws_cloudwatch_log_group.flow_logs", typ: "aws_cloudwatch_log_group", after: map[string]any{"retention_in_days": 30.0}},
		change{address: m + `monitoring.aws_cloudwatch_log_group.this["app"]`, typ: "aws_cloudwatch_log_group", after: map[string]any{"retention_in_days": 0.0}},
		change{address: m + `logs.aws_s3_bucket.this["alb"]`, typ: "aws_s3_bucket", after: map[string]any{}},
		change{address: m + `logs.aws_s3_bucket_lifecycle_configuration.this["alb"]`, typ: "aws_s3_bucket_lifecycle_configuration", after: map[string]any{"rule": []any{map[string]any{
			"status": "Enabled", "expiration": []any{map[string]any{"days": 365.0}},
			"transition": []any{map[string]any{"days": 30.0, "storage_class": "STANDARD_IA"}, map[string]any{"days": 90.0, "storage_class": "GLACIER"}}}}}},
		change{address: m + "database[0].aws_db_instance.this", typ: "aws_db_instance", after: map[string]any{
			"engine": "postgres", "instance_class": "db.t3.micro", "allocated_storage": 20.0, "backup_retention_period": 7.0}},
		change{address: m + "backup[0].aws_backup_selection.this[0]", typ: "aws_backup_selection", after: map[string]any{}},
		change{address: m + "backup[0].aws_backup_plan.this", typ: "aws_backup_plan", after: map[string]any{"rule": []any{
			map[string]any{"rule_name": "daily", "schedule": "cron(0 5 * * ? *)", "lifecycle": []any{map[string]any{"delete_after": 30.0}},
				"copy_action": []any{map[string]any{"lifecycle": []any{map[string]any{"delete_after": 30.0}}}}},
			map[string]any{"rule_name": "weekly", "schedule": "cron(0 5 ? * SUN *)", "lifecycle": []any{map[string]any{"delete_after": 35.0}}},
			map[string]any{"rule_name": "monthly", "schedule": "cron(0 5 1 * ? *)", "lifecycle": []any{map[string]any{"delete_after": 365.0}}},
		}}},
		change{address: m + "backup[0].aws_db_instance_automated_backups_replication.this[0]", typ: "aws_db_instance_automated_backups_replication", after: map[string]any{"retention_period": 7.0}},
		change{address: m + "backup[0].aws_dlm_lifecycle_policy.ebs[0]", typ: "aws_dlm_lifecycle_policy", after: map[string]any{"policy_details": []any{map[string]any{
			"schedule": []any{map[string]any{"name": "daily", "create_rule": []any{map[string]any{"interval": 24.0}},
				"retain_rule": []any{map[string]any{"count": 7.0}}}}}}}},
	)
	r := estimate(t, planOf(changes...), u, nil)
	for _, c := range []struct {
		address, what string
		want          float64
	}{
		{m + "network.aws_cloudwatch_log_group.flow_logs", "log ingestion", 1 * days * 0.50},
		{m + "network.aws_cloudwatch_log_group.flow_logs", "log storage", 1 * 30 * 0.03},
		{m + `monitoring.aws_cloudwatch_log_group.this["app"]`, "log storage", 1 * 365 * 0.03}, // never expires: a year
		{m + `logs.aws_s3_bucket.this["alb"]`, "log storage, Standard", 1 * 30 * 0.023},        // 1 GB a day
		{m + `logs.aws_s3_bucket.this["alb"]`, "log storage, Standard-IA", 1 * 60 * 0.0125},
		{m + `logs.aws_s3_bucket.this["alb"]`, "log storage, Glacier", 1 * 275 * 0.0036},
		// a full copy and 6 daily changes of 5 % of 100 GB; free up to 20 GB
		{m + "database[0].aws_db_instance.this", "automated backups beyond the free allowance", (100*(1+0.05*6) - 20) * 0.095},
		{m + "backup[0].aws_backup_plan.this", "daily recovery points", 100 * (1 + 0.05*29) * 0.095},
		{m + "backup[0].aws_backup_plan.this", "daily copies in the DR region", 100 * (1 + 0.05*29) * 0.095},
		{m + "backup[0].aws_backup_plan.this", "daily copy transfer", 100 * 0.05 * days * 0.02},
		{m + "backup[0].aws_backup_plan.this", "weekly recovery points", 100 * (1 + 0.35*4) * 0.095},
		{m + "backup[0].aws_backup_plan.this", "monthly recovery points", 100 * (1 + 1*(math.Floor(365/days)-1)) * 0.095},
		{m + "backup[0].aws_dlm_lifecycle_policy.ebs[0]", "daily snapshots", 2 * 10 * (1 + 0.05*6) * 0.05},
		// in the DR region: all of it billed (a full copy and 6 daily changes), the daily changes transferred
		{m + "backup[0].aws_db_instance_automated_backups_replication.this[0]", "replicated automated backups in the DR region", 100 * (1 + 0.05*6) * 0.095},
		{m + "backup[0].aws_db_instance_automated_backups_replication.this[0]", "replication transfer", 100 * 0.05 * days * 0.02},
	} {
		if got := line(t, r, c.address, c.what).Monthly.Expected; math.Abs(got-c.want) > 1e-3 {
			t.Errorf("%s %s = %.4f, want %.4f", c.address, c.what, got, c.want)
		}
	}
	levers := map[string]Lever{}
	for _, l := range r.Levers {
		levers[l.Name] = l
	}
	if l := levers["log retention"]; !l.InUse || !near(l.MonthlyUSD, 1*(365-30)*0.03) {
		t.Errorf("log retention lever: %+v", l)
	}
	if l := levers["S3 lifecycle to Standard-IA and Glacier"]; !l.InUse || math.Abs(l.MonthlyUSD-(60*(0.023-0.0125)+275*(0.023-0.0036))) > 1e-3 {
		t.Errorf("S3 lifecycle lever: %+v", l)
	}
	if l := levers["backup retention"]; !l.InUse || l.MonthlyUSD <= 0 {
		t.Errorf("backup retention lever: %+v", l)
	}
	if l := levers["Spot instead of on-demand instances"]; l.InUse || !near(l.MonthlyUSD, 2*730*0.0208*0.65) {
		t.Errorf("Spot lever of an on-demand group: %+v", l)
	}
	if l := levers["scheduled scale-down out of hours"]; l.InUse || !near(l.MonthlyUSD, 2*103.0/168*730*0.0208) {
		t.Errorf("scale-down lever of an always-on group: %+v", l)
	}
}

// TestUsageFiles: each environment's committed usage file states every key; --usage overrides key by key; bad
// values are refused naming the key and the rule.
func TestUsageFiles(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		u, err := LoadUsage(home, env, "")
		if err != nil {
			t.Fatal(err)
		}
		if u.Path() != filepath.Join("terraform", "envs", env, "usage.yaml") || u.DailyChangePercent == 0 || u.NATDataGB == 0 {
			t.Errorf("%s: %+v", env, u)
		}
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base, _ := LoadUsage(home, "prod", "")
	u, err := LoadUsage(home, "prod", write("o.yaml", "nat_data_gb: 0\nspot_discount_percent: [50, 55]\n"))
	if err != nil || u.NATDataGB != 0 || u.ALBDataGB != base.ALBDataGB || u.SpotDiscountPercent[1] != 55 || !strings.HasSuffix(u.Path(), "o.yaml") {
		t.Errorf("override: %+v, %v", u, err)
	}
	for body, want := range map[string]string{
		"nat_data_gb: -1\n":                 "nat_data_gb = -1: must be 0 or more",
		"natdata: 1\n":                      "field natdata not found",
		"daily_change_percent: 101\n":       "daily_change_percent = 101: must be at most 100",
		"spot_discount_percent: [70, 60]\n": "spot_discount_percent = [70 60]: must be [low, high]",
		"nat_data_gb: lots\n":               "cannot unmarshal",
	} {
		if _, err := LoadUsage(home, "prod", write("bad.yaml", body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
	if _, err := LoadUsage(home, "prod", filepath.Join(dir, "none.yaml")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a missing override: %v", err)
	}
	// A committed file must state every key.
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "terraform", "envs", "dev"), 0o755)
	os.WriteFile(filepath.Join(root, UsageFile("dev")), []byte("nat_data_gb: 1\n"), 0o644)
	if _, err := LoadUsage(root, "dev", ""); err == nil || !strings.Contains(err.Error(), "states no value for endpoint_data_gb") {
		t.Errorf("an incomplete committed file: %v", err)
	}
}
