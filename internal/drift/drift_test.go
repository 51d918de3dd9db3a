package drift

import (
	"encoding/json"
	"strings"
	"testing"
)

func plan(t *testing.T, key string, changes ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"format_version": "1.2", key: changes})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rc(address, typ string, actions []string, before, after map[string]any) map[string]any {
	mode := "managed"
	if strings.HasPrefix(address, "data.") {
		mode = "data"
	}
	return map[string]any{"address": address, "type": typ, "mode": mode,
		"change": map[string]any{"actions": actions, "before": before, "after": after}}
}

func TestAnalyze(t *testing.T) {
	const (
		asg   = "module.stack.module.compute.aws_autoscaling_group.app"
		sg    = "module.stack.module.security.aws_security_group.app"
		alarm = "module.stack.module.monitoring.aws_cloudwatch_metric_alarm.cpu_high"
		vpc   = "module.stack.module.network.aws_vpc.this"
		db    = "module.stack.module.database.aws_db_instance.this"
		lt    = "module.stack.module.compute.aws_launch_template.app"
	)
	update, del, create, replace := []string{"update"}, []string{"delete"}, []string{"create"}, []string{"delete", "create"}
	refreshOnly := plan(t, "resource_drift",
		rc(asg, "aws_autoscaling_group", update, map[string]any{"max_size": 3, "min_size": 1}, map[string]any{"max_size": 7, "min_size": 1}),
		rc(sg, "aws_security_group", update, map[string]any{"ingress": []any{}}, map[string]any{"ingress": []any{map[string]any{"cidr_blocks": []any{"0.0.0.0/0"}}}}),
		rc(alarm, "aws_cloudwatch_metric_alarm", del, map[string]any{"alarm_name": "cpu"}, nil),
		rc(vpc, "aws_vpc", update, map[string]any{"tags": map[string]any{"Name": "dev", "Owner": "team"}}, map[string]any{"tags": map[string]any{"Name": "dev"}}),
		rc(db, "aws_db_instance", update, map[string]any{"storage_type": "gp3"}, map[string]any{"storage_type": "gp2"}),
		rc("data.aws_region.current", "aws_region", update, nil, nil),
		rc("module.stack.module.database.aws_db_instance.replica", "aws_db_instance", update, map[string]any{"latest_restorable_time": "13:01:02Z"}, map[string]any{"latest_restorable_time": "13:01:22Z"}),
	)
	normal := plan(t, "resource_changes",
		rc(asg, "aws_autoscaling_group", update, map[string]any{"max_size": 7, "min_size": 1}, map[string]any{"max_size": 3, "min_size": 1}),
		rc(sg, "aws_security_group", []string{"no-op"}, nil, nil),
		rc(alarm, "aws_cloudwatch_metric_alarm", create, nil, map[string]any{"alarm_name": "cpu"}),
		rc(vpc, "aws_vpc", update, map[string]any{"tags": map[string]any{"Name": "dev"}}, map[string]any{"tags": map[string]any{"Name": "dev", "Owner": "team"}}),
		rc(db, "aws_db_instance", replace, map[string]any{"storage_type": "gp2"}, map[string]any{"storage_type": "gp3"}),
		rc(lt, "aws_launch_template", update, map[string]any{"user_data": "A"}, map[string]any{"user_data": "B"}),
	)
	r, err := Analyze(refreshOnly, normal)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Resource{}
	for _, res := range r.Resources {
		got[res.Address] = res
	}
	want := map[string]struct {
		repair  string
		drifted bool
		attr    Attribute
	}{
		asg:   {Revert, true, Attribute{Path: "max_size", Expected: "3", Actual: "7", Repair: Revert}},
		sg:    {Accept, true, Attribute{Path: "ingress", Expected: "[]", Actual: `[{"cidr_blocks":["0.0.0.0/0"]}]`, Repair: Accept}},
		alarm: {Recreate, true, Attribute{Path: "(resource)", Expected: "exists", Actual: "deleted", Repair: Recreate}},
		vpc:   {Revert, true, Attribute{Path: "tags.Owner", Expected: "team", Actual: "(none)", Repair: Revert}},
		db:    {Replace, true, Attribute{Path: "storage_type", Expected: "gp3", Actual: "gp2", Repair: Replace}},
		lt:    {Apply, false, Attribute{Path: "user_data", Expected: "B", Actual: "A", Repair: Apply}},
	}
	if len(r.Resources) != len(want) {
		t.Errorf("%d resources, want %d: %+v", len(r.Resources), len(want), r.Resources)
	}
	for addr, w := range want {
		res := got[addr]
		if res.Repair != w.repair || res.Drifted != w.drifted || len(res.Attributes) != 1 || res.Attributes[0] != w.attr {
			t.Errorf("%s: %+v, want repair %s drifted %t %+v", addr, res, w.repair, w.drifted, w.attr)
		}
	}
	if r.Clean() || r.Drifted() != 5 || !r.Replaces() {
		t.Errorf("clean %t drifted %d replaces %t", r.Clean(), r.Drifted(), r.Replaces())
	}
	if clean, err := Analyze(plan(t, "resource_drift"), plan(t, "resource_changes", rc(sg, "aws_security_group", []string{"no-op"}, nil, nil))); err != nil || !clean.Clean() {
		t.Errorf("no drift: %+v %v", clean, err)
	}
	if _, err := Analyze([]byte("{"), normal); err == nil {
		t.Error("a broken plan was read")
	}
}
