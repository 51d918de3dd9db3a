package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/contract"
	"github.com/ec2stack/ec2stack/internal/policy"
	"github.com/ec2stack/ec2stack/internal/scan"
)

var update = flag.Bool("update", false, "rewrite the plan sections of "+scan.ReportFile+" and the cost golden files in testdata/cost")

// checkPlan gates an environment's real-settings plan: trivy finds nothing HIGH or CRITICAL (MEDIUM/LOW are
// tracked in docs/security-scan.md), the committed code passes every `ec2stack check` rule (with the committed
// exceptions, none of which may be stale), and breaking a baseline row in the plan is caught, naming the resource.
func checkPlan(t *testing.T, envName, planFile string) {
	t.Helper()
	trivyPlan(t, envName, planFile)
	raw, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	c, err := contract.LoadHome(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	engine, err := policy.Load(c, filepath.Join(repoRoot(t), "policy"))
	if err != nil {
		t.Fatal(err)
	}
	exceptions, err := policy.LoadExceptions(filepath.Join(repoRoot(t), "policy", "exceptions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(plan []byte) *policy.Report {
		t.Helper()
		got, findings, err := engine.Evaluate(context.Background(), plan)
		if err != nil {
			t.Fatal(err)
		}
		if got != envName {
			t.Fatalf("the plan of %s says it is for %q", envName, got)
		}
		return policy.Apply(envName, engine.Rules(), findings, exceptions, time.Now())
	}

	report := evaluate(raw)
	for _, f := range report.Findings {
		t.Errorf("ec2stack check %s: %s %s %s: %s (value %s)", envName, f.Severity, f.RuleID, f.Address, f.Message, f.Value)
	}

	// Break one baseline or contract row at a time in this very plan; the check must name the rule and the
	// resource. (These are the per-environment rules the environment contract holds: a plan that breaks one never
	// gets applied, because apply and up refuse a plan that has not passed check.)
	const m = "module.stack.module."
	type breakRow struct {
		name, rule, address string
		edit                func(after, unknown map[string]any)
	}
	set := func(attr string, v any) func(a, _ map[string]any) { return func(a, _ map[string]any) { a[attr] = v } }
	breaks := []breakRow{
		{"hop limit 2", "EC2S-301", m + "compute.aws_launch_template.this[\"blue\"]", func(a, _ map[string]any) {
			dig(a, "metadata_options", 0).(map[string]any)["http_put_response_hop_limit"] = 2
		}},
		{"unencrypted log group", "EC2S-701", m + "network.aws_cloudwatch_log_group.flow_logs", func(a, u map[string]any) { // no key at all, not one created by the plan
			a["kms_key_id"], u["kms_key_id"] = nil, false
		}},
		{"logs kept a day", "EC2S-702", m + "network.aws_cloudwatch_log_group.flow_logs", set("retention_in_days", 1)},
		{"another VPC CIDR", "EC2S-801", m + "network.aws_vpc.this", set("cidr_block", "10.9.0.0/16")},
		{"another instance type", "EC2S-802", m + "compute.aws_launch_template.this[\"blue\"]", set("instance_type", "m5.24xlarge")},
		{"max size 50", "EC2S-802", m + "compute.aws_autoscaling_group.this[\"blue\"]", set("max_size", 50)},
		{"another database class", "EC2S-803", m + "database[0].aws_db_instance.this", set("instance_class", "db.r6g.16xlarge")},
	}
	switch envName {
	case "staging":
		breaks = append(breaks, breakRow{"Spot in staging", "EC2S-802", m + "compute.aws_autoscaling_group.this[\"blue\"]", set("mixed_instances_policy",
			[]any{map[string]any{"instances_distribution": []any{map[string]any{"on_demand_percentage_above_base_capacity": 0}}}})})
	case "prod":
		breaks = append(breaks,
			breakRow{"single-AZ database", "EC2S-503", m + "database[0].aws_db_instance.this", set("multi_az", false)},
			breakRow{"deletable database", "EC2S-503", m + "database[0].aws_db_instance.this", set("deletion_protection", false)},
			breakRow{"database backups 14 days", "EC2S-502", m + "database[0].aws_db_instance.this", set("backup_retention_period", 14)},
			breakRow{"deletable load balancer", "EC2S-320", m + "compute.aws_lb.this", set("enable_deletion_protection", false)},
			breakRow{"one instance", "EC2S-802", m + "compute.aws_autoscaling_group.this[\"blue\"]", set("min_size", 1)},
			breakRow{"key deletion window 7 days", "EC2S-512", m + `security.aws_kms_key.this["data"]`, set("deletion_window_in_days", 7)},
			breakRow{"backups kept 14 days", "EC2S-705", m + "backup[0].aws_backup_plan.this", func(a, _ map[string]any) {
				dig(a, "rule", 0, "lifecycle", 0).(map[string]any)["delete_after"] = 14
			}},
			breakRow{"no copies to the DR region", "EC2S-804", m + "backup[0].aws_backup_plan.this", func(a, _ map[string]any) {
				for _, r := range a["rule"].([]any) {
					r.(map[string]any)["copy_action"] = []any{}
				}
			}},
		)
		// Resources the contract requires, removed from the plan: the finding names what is missing.
		for _, gone := range []struct{ name, rule, address, finding string }{
			{"one NAT gateway fewer", "EC2S-106", m + `network.aws_nat_gateway.this["us-east-1a"]`, m + "network.aws_vpc.this"},
			{"no composite alarm", "EC2S-806", m + "monitoring.aws_cloudwatch_composite_alarm.service_down[0]", "aws_cloudwatch_composite_alarm"},
			{"no AWS Backup plan", "EC2S-804", m + "backup[0].aws_backup_plan.this", "aws_backup_plan"},
		} {
			if report := evaluate(removeResource(t, raw, gone.address)); !hasFinding(report, gone.rule, gone.finding) {
				t.Errorf("%s: %q left no %s finding on %s; findings: %v", envName, gone.name, gone.rule, gone.finding, report.Findings)
			}
		}
	}
	for _, b := range breaks {
		report := evaluate(editPlan(t, raw, b.address, b.edit))
		if !hasFinding(report, b.rule, b.address) {
			t.Errorf("%s: breaking %q left no %s finding on %s; findings: %v", envName, b.name, b.rule, b.address, report.Findings)
		}
	}
	// An open SSH rule added to the plan (what a hand-edited module would produce).
	ssh := addResource(t, raw, map[string]any{
		"address": m + "security.aws_vpc_security_group_ingress_rule.ssh_anywhere", "module_address": m[:len(m)-1] + "security",
		"mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "ssh_anywhere",
		"change": map[string]any{"actions": []string{"create"}, "after": map[string]any{
			"cidr_ipv4": "0.0.0.0/0", "from_port": 22, "to_port": 22, "ip_protocol": "tcp", "description": "debug"}, "after_unknown": map[string]any{}},
	})
	if !hasFinding(evaluate(ssh), "EC2S-202", m+"security.aws_vpc_security_group_ingress_rule.ssh_anywhere") {
		t.Errorf("%s: SSH from 0.0.0.0/0 was not caught by EC2S-202", envName)
	}
	if envName == "prod" { // a scheduled scale-down where the contract forbids it
		schedule := addResource(t, raw, map[string]any{
			"address": m + "compute.aws_autoscaling_schedule.night", "module_address": m[:len(m)-1] + "compute",
			"mode": "managed", "type": "aws_autoscaling_schedule", "name": "night",
			"change": map[string]any{"actions": []string{"create"}, "after": map[string]any{
				"min_size": 0, "max_size": 1, "desired_capacity": 0, "recurrence": "0 20 * * *"}, "after_unknown": map[string]any{}},
		})
		if !hasFinding(evaluate(schedule), "EC2S-802", m+"compute.aws_autoscaling_schedule.night") {
			t.Errorf("prod: an out-of-hours scale-down was not caught by EC2S-802")
		}
	}
}

func hasFinding(r *policy.Report, rule, address string) bool {
	for _, f := range r.Findings {
		if f.RuleID == rule && f.Address == address {
			return true
		}
	}
	return false
}

// editPlan returns the plan JSON with edit applied to the planned values (and their unknown-until-apply
// marks) of the resource at address.
func editPlan(t *testing.T, raw []byte, address string, edit func(after, unknown map[string]any)) []byte {
	t.Helper()
	var plan map[string]any
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rc := range plan["resource_changes"].([]any) {
		rc := rc.(map[string]any)
		if rc["address"] == address {
			change := rc["change"].(map[string]any)
			edit(change["after"].(map[string]any), change["after_unknown"].(map[string]any))
			found = true
		}
	}
	if !found {
		t.Fatalf("the plan has no %s", address)
	}
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// removeResource returns the plan JSON without the resource change at address.
func removeResource(t *testing.T, raw []byte, address string) []byte {
	t.Helper()
	var plan map[string]any
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, rc := range plan["resource_changes"].([]any) {
		if rc.(map[string]any)["address"] != address {
			kept = append(kept, rc)
		}
	}
	if len(kept) == len(plan["resource_changes"].([]any)) {
		t.Fatalf("the plan has no %s", address)
	}
	plan["resource_changes"] = kept
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// addResource returns the plan JSON with one more resource change.
func addResource(t *testing.T, raw []byte, rc map[string]any) []byte {
	t.Helper()
	var plan map[string]any
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	plan["resource_changes"] = append(plan["resource_changes"].([]any), rc)
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// trivyPlan scans the plan with the pinned trivy (`make tools`) and its ignore file.
func trivyPlan(t *testing.T, envName, planFile string) {
	t.Helper()
	tools, err := scan.FindTools()
	if err != nil {
		t.Fatal(err)
	}
	findings, err := scan.TrivyPlan(context.Background(), tools, envName, planFile)
	var unused *scan.UnusedIgnoresError
	if errors.As(err, &unused) {
		t.Error(err)
	} else if err != nil {
		t.Fatal(err)
	}
	for _, f := range scan.Filter(findings, scan.Finding.Gating) {
		t.Errorf("trivy on the %s plan: %s", envName, f)
	}
	if err := scan.CheckReport(tools, envName, findings, *update); err != nil {
		t.Error(err)
	}
}
