package e2e

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// TestStackInputValidation breaks one input of the stack at a time and proves that the plan fails with the
// input's one-sentence rule, and that nothing was created. The fixture root exposes every stack input as a
// variable with good dev values (testdata/stack-inputs).
func TestStackInputValidation(t *testing.T) {
	tool := requireTerraform(t)
	moto := startMoto(t)
	home := t.TempDir()
	rc, err := terraform.PrepareCLIConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(repoRoot(t), "test", "e2e", "testdata", "stack-inputs")
	ctx := context.Background()

	cases := []struct {
		name, variable, value, message string
	}{
		{"malformed vpc cidr", "vpc_cidr", "10.0.0.0/33", `vpc_cidr must be an IPv4 network address in CIDR notation such as 10.0.0.0/16; got "10.0.0.0/33".`},
		{"vpc cidr with host bits", "vpc_cidr", "10.0.0.1/16", `vpc_cidr must be an IPv4 network address in CIDR notation such as 10.0.0.0/16; got "10.0.0.1/16".`},
		{"vpc cidr too large", "vpc_cidr", "10.0.0.0/8", `vpc_cidr must have a prefix length between /16 and /24`},
		{"subnets do not fit the vpc", "vpc_cidr", "10.0.0.0/24", `subnets do not fit the VPC: vpc_cidr 10.0.0.0/24 plus subnet_newbits 8 gives subnets smaller than /28, the smallest AWS allows.`},
		{"one availability zone", "availability_zone_count", "1", `availability_zone_count must be 2 or 3; got 1.`},
		{"four availability zones", "availability_zone_count", "4", `availability_zone_count must be 2 or 3; got 4.`},
		{"min above max", "asg_min_size", "4", `asg_min_size (4) must not be greater than asg_max_size (3).`},
		{"desired above max", "asg_desired_capacity", "5", `asg_desired_capacity (5) must lie between asg_min_size (1) and asg_max_size (3).`},
		{"invalid instance type", "instance_type", "t3small", `instance_type must be an EC2 instance type name such as t3.small (family, generation, ".", size); got "t3small".`},
		{"unknown environment", "environment", "qa", `environment must be one of dev, staging, prod; got "qa".`},
		{"ssh from the internet", "ssh_authorized_cidrs", `["0.0.0.0/0"]`, `ssh_authorized_cidrs must not open SSH to the whole internet: remove 0.0.0.0/0`},
		{"malformed ssh cidr", "ssh_authorized_cidrs", `["203.0.113.0/33"]`, `ssh_authorized_cidrs must hold IPv4 network addresses in CIDR notation`},
		{"unknown nat mode", "nat_gateway_mode", "none", `nat_gateway_mode must be "single" or "per_az"; got "none".`},
		{"unknown operating system", "operating_system", "windows", `operating_system must be "al2023" or "ubuntu-22.04"; got "windows".`},
		{"invalid database class", "database", `{instance_class = "t3.micro"}`, `instance_class must look like db.<family>.<size>, e.g. db.t3.micro; got "t3.micro".`},
		{"database backups too short", "database", `{backup_retention_days = 0}`, `backup_retention_days must be a whole number from 1 to 35; got 0.`},
		{"multi-az without a week of backups", "database", `{multi_az = true, backup_retention_days = 3}`, `backup_retention_days must be at least 7 when multi_az is true; got 3.`},
		{"aws backup retention too short", "backup_retention_days", "3", `retention_days must be a whole number from 7 to 35000; got 3.`},
		{"malformed alarm email", "alarm_emails", `["ops-at-example.com"]`, `alarm_emails must hold email addresses such as ops@example.com; got [ops-at-example.com].`},
		{"off-hours sizes out of order", "off_hours_schedule", `{min_size = 2, desired = 1, max_size = 1}`, `off_hours_schedule needs min_size <= desired <= max_size; got 2 <= 1 <= 1.`},
	}

	// One initialised runner per case (own TF_DATA_DIR), all against the same moto.
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				r, err := terraform.New(terraform.Options{
					Tool: tool, Home: home, Root: root, Target: "validation", Env: strings.ReplaceAll(tc.name, " ", "-"),
					CLIConfig: rc, ExtraEnv: moto.Env(region), Vars: map[string]string{tc.variable: tc.value},
				})
				if err != nil {
					t.Fatal(err)
				}
				if err := r.Init(ctx, map[string]string{"path": filepath.Join(r.DataDir(), "terraform.tfstate")}); err != nil {
					t.Fatalf("init: %v", err)
				}
				_, err = r.Plan(ctx, nil)
				if err == nil {
					t.Fatalf("plan with %s=%s succeeded; want the error %q", tc.variable, tc.value, tc.message)
				}
				if got := oneLine(errorText(err)); !strings.Contains(got, tc.message) {
					t.Errorf("plan with %s=%s failed with\n  %s\nwant the message\n  %s", tc.variable, tc.value, got, tc.message)
				}
				if r.HasPlan() {
					t.Errorf("a failed plan left a plan file behind: %s", r.PlanFile())
				}
			})
		}
	})

	left, err := verify.Leftovers(ctx, awsConfig(t, moto), "dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("invalid inputs created resources: %v", left)
	}
}

// errorText is the error with terraform's diagnostics (summary and detail) spelled out.
func errorText(err error) string {
	var diags *terraform.DiagnosticsError
	if errors.As(err, &diags) {
		var b strings.Builder
		for _, d := range diags.Diagnostics {
			b.WriteString(d.Summary + " " + d.Detail + "\n")
		}
		return b.String()
	}
	return err.Error()
}

var spaces = regexp.MustCompile(`\s+`)

// oneLine folds terraform's wrapped diagnostic text so messages compare as written in the HCL.
func oneLine(s string) string { return spaces.ReplaceAllString(s, " ") }
