package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// planWithRealSettings plans an environment root with emulator_mode = false (what AWS gets), using moto only
// to answer the data sources, and returns the plan, parsed and as the file of its JSON, and the root's
// `terraform graph`. It covers what the emulator switch changes.
func planWithRealSettings(t *testing.T, envName string, vars map[string]string) (*tfjson.Plan, string, []byte) {
	t.Helper()
	tool := requireTerraform(t)
	moto := startMoto(t)
	ctx := context.Background()
	home := t.TempDir()
	rc, err := terraform.PrepareCLIConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	if err := moto.PrepareAccount(ctx, region); err != nil {
		t.Fatal(err)
	}
	vars["emulator_mode"] = "false"
	r, err := terraform.New(terraform.Options{
		Tool: tool, Home: home, Root: filepath.Join(repoRoot(t), "terraform", "envs", envName),
		Target: "real-settings", Env: envName, CLIConfig: rc, ExtraEnv: moto.Env(region),
		Vars: vars,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Init(ctx, emulator.BackendConfig(envName, region)); err != nil {
		t.Fatalf("init %s: %v", envName, err)
	}
	if _, err := r.Plan(ctx, nil); err != nil {
		t.Fatalf("plan %s with emulator_mode=false: %v", envName, err)
	}
	raw, err := r.PlanJSON(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), envName+".json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	var plan tfjson.Plan
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	dot, err := r.Graph(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &plan, path, dot
}

// planned returns the planned values of the resource at address, failing the test when it is not planned.
func planned(t *testing.T, plan *tfjson.Plan, address string) map[string]any {
	t.Helper()
	for _, rc := range plan.ResourceChanges {
		if rc.Address == address && rc.Change != nil {
			if after, ok := rc.Change.After.(map[string]any); ok {
				return after
			}
		}
	}
	t.Fatalf("%s is not in the plan", address)
	return nil
}

// absent fails the test when any planned resource's address starts with prefix.
func absent(t *testing.T, plan *tfjson.Plan, prefix string) {
	t.Helper()
	for _, rc := range plan.ResourceChanges {
		if strings.HasPrefix(rc.Address, prefix) {
			t.Errorf("%s is planned, want nothing under %s in this environment", rc.Address, prefix)
		}
	}
}

// dig walks nested plan values: string keys index objects, ints index lists. nil when the path is missing.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// providerOf is the provider configuration key of a resource in the stack's edge module (e.g. "aws.us_east_1").
func providerOf(plan *tfjson.Plan, module, resource string) string {
	stack := plan.Config.RootModule.ModuleCalls["stack"].Module
	for _, r := range stack.ModuleCalls[module].Module.Resources {
		if r.Address == resource {
			return r.ProviderConfigKey
		}
	}
	return ""
}

// TestPlanWithRealSettings proves, on the plan AWS would get (emulator_mode = false), every value the emulator
// switch replaces and every feature it switches off, per environment.
func TestPlanWithRealSettings(t *testing.T) {
	t.Parallel()
	const m = "module.stack.module."
	for _, tc := range []struct {
		env                      string
		spot, prod, backup, edge bool
	}{
		{env: "dev", spot: true},
		{env: "staging", backup: true, edge: true},
		{env: "prod", prod: true, backup: true, edge: true},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			// The committed roots as they are: staging and prod with their placeholder domains.
			plan, planFile, graph := planWithRealSettings(t, tc.env, map[string]string{})
			checkPlan(t, tc.env, planFile)
			checkTiming(t, tc.env, plan, graph)
			checkRecovery(t, tc.env, planFile, graph)
			checkCost(t, tc.env, planFile)
			checkDiagram(t, tc.env, planFile)
			if tc.prod {
				checkCostDiff(t, planFile)
			}
			name := "ec2stack-" + tc.env

			// Compute: capacity wait, Spot only in dev, ALB deletion protection in prod.
			asg := planned(t, plan, m+"compute.aws_autoscaling_group.this[\"blue\"]")
			if got := asg["wait_for_capacity_timeout"]; got != "10m" {
				t.Errorf("ASG wait_for_capacity_timeout = %v, want 10m (terraform waits for healthy capacity on AWS)", got)
			}
			if got := dig(asg, "instance_refresh", 0, "strategy"); got != "Rolling" {
				t.Errorf("ASG instance_refresh strategy = %v, want Rolling (a new launch template rolls through the group)", got)
			}
			if tc.prod {
				pref := dig(asg, "instance_refresh", 0, "preferences", 0)
				for attr, want := range map[string]any{"min_healthy_percentage": float64(100), "max_healthy_percentage": float64(150), "auto_rollback": true, "checkpoint_delay": "600", "instance_warmup": "300"} {
					if got := dig(pref, attr); got != want {
						t.Errorf("prod instance refresh %s = %v, want %v (terraform/envs/prod/main.tf rollout)", attr, got, want)
					}
				}
				if got := fmt.Sprint(dig(pref, "checkpoint_percentages"), dig(pref, "alarm_specification", 0, "alarms")); got != "[34 67 100] ["+name+"-unhealthy-hosts-critical "+name+"-alb-target-5xx-critical "+name+"-alb-elb-5xx-critical]" {
					t.Errorf("prod instance refresh checkpoints and rollback alarms = %s", got)
				}
			}
			if got := dig(asg, "mixed_instances_policy", 0, "instances_distribution", 0, "on_demand_percentage_above_base_capacity"); (got == float64(0)) != tc.spot {
				t.Errorf("%s on-demand percentage above base = %v; all Spot wanted: %v", tc.env, got, tc.spot)
			}
			if got := planned(t, plan, m+"compute.aws_lb.this")["enable_deletion_protection"]; got != tc.prod {
				t.Errorf("ALB enable_deletion_protection = %v, want %v", got, tc.prod)
			}

			// Database: TLS-only parameter group, Performance Insights and enhanced monitoring (moto returns none
			// of them), Multi-AZ and deletion protection in prod.
			db := planned(t, plan, m+"database[0].aws_db_instance.this")
			for attr, want := range map[string]any{
				"performance_insights_enabled": true, "monitoring_interval": float64(60), "storage_encrypted": true,
				"multi_az": tc.prod, "deletion_protection": tc.prod, "publicly_accessible": false,
			} {
				if db[attr] != want {
					t.Errorf("RDS %s = %v, want %v", attr, db[attr], want)
				}
			}
			params, _ := planned(t, plan, m+"database[0].aws_db_parameter_group.this")["parameter"].([]any)
			if len(params) != 1 || dig(params[0], "name") != "rds.force_ssl" || dig(params[0], "value") != "1" {
				t.Errorf("RDS parameter group parameters = %v, want rds.force_ssl = 1", params)
			}

			// Destroy: without deletion protection the log buckets empty themselves and the vault goes with its
			// recovery points; prod keeps both (destroy refuses there, on purpose).
			for _, kind := range []string{"alb"} {
				if got := planned(t, plan, m+`logs.aws_s3_bucket.this["`+kind+`"]`)["force_destroy"]; got != !tc.prod {
					t.Errorf("%s log bucket force_destroy = %v, want %v", kind, got, !tc.prod)
				}
			}
			if tc.backup {
				if got := planned(t, plan, m+"backup[0].aws_backup_vault.this")["force_destroy"]; got != !tc.prod {
					t.Errorf("backup vault force_destroy = %v, want %v", got, !tc.prod)
				}
				sel := planned(t, plan, m+"backup[0].aws_backup_selection.this[0]")
				if got := fmt.Sprint(sel["resources"]); got != "[arn:aws:rds:*:*:db:*]" {
					t.Errorf("backup selection resources = %s, want the RDS instances only", got)
				}
			}

			// Monitoring: the composite alarm and ASG notifications only in prod (on call).
			if tc.prod {
				planned(t, plan, m+"monitoring.aws_cloudwatch_composite_alarm.service_down[0]")
				planned(t, plan, m+"monitoring.aws_autoscaling_notification.this[0]")
			} else {
				absent(t, plan, m+"monitoring.aws_cloudwatch_composite_alarm")
				absent(t, plan, m+"monitoring.aws_autoscaling_notification")
			}

			// Backup: selection by the environment's tags; DLM snapshots of exactly the volumes the ASG tags;
			// encrypted cross-region copies in prod; nothing in dev.
			if !tc.backup {
				absent(t, plan, m+"backup")
			} else {
				sel := planned(t, plan, m+"backup[0].aws_backup_selection.this[0]")
				conditions := map[any]any{}
				for _, c := range dig(sel, "condition", 0, "string_equals").([]any) {
					conditions[dig(c, "key")] = dig(c, "value")
				}
				want := map[any]any{"aws:ResourceTag/Environment": tc.env, "aws:ResourceTag/Project": "ec2stack"}
				if fmt.Sprint(conditions) != fmt.Sprint(want) {
					t.Errorf("backup selection conditions = %v, want %v", conditions, want)
				}
				dlm := planned(t, plan, m+"backup[0].aws_dlm_lifecycle_policy.ebs[0]")
				targets, _ := dig(dlm, "policy_details", 0, "target_tags").(map[string]any)
				volumeTags := map[string]any{}
				for _, spec := range planned(t, plan, m+"compute.aws_launch_template.this[\"blue\"]")["tag_specifications"].([]any) {
					if dig(spec, "resource_type") == "volume" {
						volumeTags, _ = dig(spec, "tags").(map[string]any)
					}
				}
				if len(targets) != 1 || targets["Name"] != name || volumeTags["Name"] != name {
					t.Errorf("DLM target tags %v must be the volumes' Name tag (launch template puts %v)", targets, volumeTags)
				}
				if got := dig(dlm, "policy_details", 0, "schedule", 0, "retain_rule", 0, "count"); got != float64(7) {
					t.Errorf("DLM retains %v snapshots, want 7", got)
				}
				copyRule := dig(dlm, "policy_details", 0, "schedule", 0, "cross_region_copy_rule", 0)
				if (copyRule != nil) != tc.prod || (copyRule != nil && dig(copyRule, "encrypted") != true) {
					t.Errorf("DLM cross-region copy = %v; wanted (encrypted) in prod only", copyRule)
				}
			}

			// Edge: the custom response-headers policy with HSTS (moto has no API for it), the custom certificate
			// with TLSv1.2_2021, no forwarded_values, and the CLOUDFRONT web ACL in us-east-1.
			if !tc.edge {
				absent(t, plan, m+"edge")
				return
			}
			headers := planned(t, plan, m+"edge.aws_cloudfront_response_headers_policy.this[0]")
			if got := dig(headers, "security_headers_config", 0, "strict_transport_security", 0, "access_control_max_age_sec"); got != float64(31536000) {
				t.Errorf("HSTS max-age = %v, want 31536000", got)
			}
			cf := planned(t, plan, m+"edge.aws_cloudfront_distribution.this[0]")
			for path, want := range map[string]any{
				"minimum_protocol_version": "TLSv1.2_2021", "ssl_support_method": "sni-only", "cloudfront_default_certificate": false,
			} {
				if got := dig(cf, "viewer_certificate", 0, path); got != want {
					t.Errorf("CloudFront viewer_certificate.%s = %v, want %v", path, got, want)
				}
			}
			if got := dig(cf, "default_cache_behavior", 0, "forwarded_values"); got != nil && len(got.([]any)) > 0 {
				t.Errorf("CloudFront sends forwarded_values %v next to a cache policy (AWS rejects that)", got)
			}
			for _, r := range []string{"aws_wafv2_web_acl.cloudfront", "aws_acm_certificate.cloudfront"} {
				if got := providerOf(plan, "edge", r); !strings.HasSuffix(got, "aws.us_east_1") {
					t.Errorf("%s is configured with provider %q, want aws.us_east_1", r, got)
				}
			}
		})
	}
}
