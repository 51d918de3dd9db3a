package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ec2stack/ec2stack/internal/cli"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// TestInvalidInputs feeds ec2stack one bad input at a time and proves that each is refused with a message naming
// the value and the rule, and that nothing was created: stack inputs fail at plan with their one-sentence
// validation message (no plan file, nothing in moto), command lines fail with exit code 2 before anything runs.
// The stack fixture exposes every stack input as a variable with good dev values (testdata/stack-inputs).
func TestInvalidInputs(t *testing.T) {
	tool := requireTerraform(t)
	t.Parallel()
	moto := startMoto(t)
	home := t.TempDir()
	rc, err := terraform.PrepareCLIConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(repoRoot(t), "test", "e2e", "testdata", "stack-inputs")
	ctx := context.Background()

	t.Run("command line", func(t *testing.T) { invalidCommandLines(t, moto) })

	set := func(name, value string) map[string]string { return map[string]string{name: value} }
	var cidrs []string
	for i := range 17 {
		cidrs = append(cidrs, fmt.Sprintf("%q", fmt.Sprintf("203.0.%d.0/24", i)))
	}
	seventeenCIDRs := "[" + strings.Join(cidrs, ",") + "]"
	cases := []struct {
		name    string
		vars    map[string]string
		message string
	}{
		{"malformed vpc cidr", set("vpc_cidr", "10.0.0.0/33"), `vpc_cidr must be an IPv4 network address in CIDR notation such as 10.0.0.0/16; got "10.0.0.0/33".`},
		{"vpc cidr with host bits", set("vpc_cidr", "10.0.0.1/16"), `vpc_cidr must be an IPv4 network address in CIDR notation such as 10.0.0.0/16; got "10.0.0.1/16".`},
		{"vpc cidr too large", set("vpc_cidr", "10.0.0.0/8"), `vpc_cidr must have a prefix length between /16 and /24`},
		{"subnets do not fit the vpc", set("vpc_cidr", "10.0.0.0/24"), `subnets do not fit the VPC: vpc_cidr 10.0.0.0/24 plus subnet_newbits 8 gives subnets smaller than /28, the smallest AWS allows.`},
		{"one availability zone", set("availability_zone_count", "1"), `availability_zone_count must be 2 or 3; got 1.`},
		{"four availability zones", set("availability_zone_count", "4"), `availability_zone_count must be 2 or 3; got 4.`},
		{"unknown nat mode", set("nat_gateway_mode", "none"), `nat_gateway_mode must be "single" or "per_az"; got "none".`},
		{"ssh from the internet", set("ssh_authorized_cidrs", `["0.0.0.0/0"]`), `ssh_authorized_cidrs must not open SSH to the whole internet: remove 0.0.0.0/0`},
		{"malformed ssh cidr", set("ssh_authorized_cidrs", `["203.0.113.0/33"]`), `ssh_authorized_cidrs must hold IPv4 network addresses in CIDR notation`},
		{"unknown operating system", set("operating_system", "windows"), `operating_system must be "al2023" or "ubuntu-22.04"; got "windows".`},
		{"invalid instance type", set("instance_type", "t3small"), `instance_type must be an EC2 instance type name such as t3.small (family, generation, ".", size); got "t3small".`},
		{"min above max", set("asg_min_size", "4"), `asg_min_size (4) must not be greater than asg_max_size (3).`},
		{"desired above max", set("asg_desired_capacity", "5"), `asg_desired_capacity (5) must lie between asg_min_size (1) and asg_max_size (3).`},
		{"unknown environment", set("environment", "qa"), `environment must be one of dev, staging, prod; got "qa".`},
		{"required tag missing", set("tags", `{Project = "ec2stack", Environment = "dev"}`), `tags must carry Project, Environment and ManagedBy (the required tags); got keys [Environment, Project].`},
		{"environment tag of another environment", set("tags", `{Project = "ec2stack", Environment = "prod", ManagedBy = "terraform"}`), `tags.Environment must equal environment ("dev"); got "prod".`},
		{"invalid database class", set("database", `{instance_class = "t3.micro"}`), `instance_class must look like db.<family>.<size>, e.g. db.t3.micro; got "t3.micro".`},
		{"database backups too short", set("database", `{backup_retention_days = 0}`), `backup_retention_days must be a whole number from 1 to 35; got 0.`},
		{"multi-az without a week of backups", set("database", `{multi_az = true, backup_retention_days = 3}`), `backup_retention_days must be at least 7 when multi_az is true; got 3.`},
		{"aws backup retention too short", set("backup_retention_days", "3"), `retention_days must be a whole number from 7 to 35000; got 3.`},
		{"malformed alarm email", set("alarm_emails", `["ops-at-example.com"]`), `alarm_emails must hold email addresses such as ops@example.com; got [ops-at-example.com].`},
		{"project too long for AWS names", set("project", "a-project-name-of-25-char"), `project must be 1 to 24 lowercase letters, digits and single hyphens, starting with a letter (it prefixes S3 bucket names, and <project>-staging must fit AWS's 32-character load balancer names); got "a-project-name-of-25-char".`},
		{"project in capitals", set("project", "Shop"), `project must be 1 to 24 lowercase letters, digits and single hyphens`},
		{"ssh cidrs beyond the network ACL quota", set("ssh_authorized_cidrs", seventeenCIDRs), `ssh_authorized_cidrs may hold at most 16 CIDRs: each takes an inbound rule of the private network ACL, which AWS limits to 20 rules per direction and which uses 4 already; got 17.`},
		{"domain name too long for ACM", set("domain_name", "a-name-of-sixty-five-characters-is-longer-than-acm-allows.example"), `domain_name must be at most 64 characters, ACM's limit on a certificate's first name; got 65 characters.`},
		{"off-hours sizes out of order", set("off_hours_schedule", `{min_size = 2, desired = 1, max_size = 1}`), `off_hours_schedule needs min_size <= desired <= max_size; got 2 <= 1 <= 1.`},
	}

	// One initialised runner per case (own TF_DATA_DIR), all against the same moto.
	t.Run("stack inputs", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				r, err := terraform.New(terraform.Options{
					Tool: tool, Home: home, Root: root, Target: "validation", Env: strings.ReplaceAll(tc.name, " ", "-"),
					CLIConfig: rc, ExtraEnv: moto.Env(region), Vars: tc.vars,
				})
				if err != nil {
					t.Fatal(err)
				}
				if err := r.Init(ctx, map[string]string{"path": filepath.Join(r.DataDir(), "terraform.tfstate")}); err != nil {
					t.Fatalf("init: %v", err)
				}
				_, err = r.Plan(ctx, nil)
				if err == nil {
					t.Fatalf("plan with %v succeeded; want the error %q", tc.vars, tc.message)
				}
				if got := oneLine(errorText(err)); !strings.Contains(got, tc.message) {
					t.Errorf("plan with %v failed with\n  %s\nwant the message\n  %s", tc.vars, got, tc.message)
				}
				if r.HasPlan() {
					t.Errorf("a failed plan left a plan file behind: %s", r.PlanFile())
				}
			})
		}
	})

	for _, envName := range []string{"dev"} {
		left, err := verify.Leftovers(ctx, awsConfig(t, moto), envName)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) > 0 {
			t.Errorf("invalid inputs created resources tagged Environment=%s: %v", envName, left)
		}
	}
}

// invalidCommandLines runs ec2stack with bad command lines: each exits 2 with its one-line message before
// starting anything, and leaves no plan file or emulator behind.
func invalidCommandLines(t *testing.T, moto *emulator.Server) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	garbage := write("garbage.tfplan", "this is not a plan\n")
	notPlan := write("not-a-plan.json", `{"hello": "world"}`)
	devPlan := write("dev-plan.json", `{"format_version": "1.2", "planned_values": {"outputs": {"environment": {"value": "dev"}}}, "resource_changes": []}`)
	brokenZip := write("broken.tfplan", "PK\x03\x04 truncated")
	ep := "--endpoint=" + moto.Endpoint
	cases := []struct {
		name    string
		args    []string
		message string
	}{
		{"missing command", nil, `missing command: valid commands are up, plan, check, apply, verify, destroy, outputs, cost, unlock, approve, history, drift, report, promote, rollback, dr, diagram, ami, switch, emulator`},
		{"unknown command", []string{"deploy", "dev"}, `unknown command "deploy": valid commands are up, plan, check, apply, verify, destroy, outputs, cost, unlock, approve, history, drift, report, promote, rollback, dr, diagram, ami, switch, emulator`},
		{"unknown environment", []string{"plan", "qa"}, `unknown environment "qa": valid environments are dev, staging, prod`},
		{"missing environment", []string{"check"}, `usage: ec2stack check ENV (one of dev, staging, prod)`},
		{"two environments", []string{"up", "dev", "prod"}, `usage: ec2stack up ENV (one of dev, staging, prod)`},
		{"unknown target", []string{"plan", "dev", "--target", "gcp"}, `unknown target "gcp": valid targets are emulator, aws`},
		{"unknown flag", []string{"plan", "dev", "--force"}, `unknown flag "--force": valid flags are`},
		{"flag without value", []string{"plan", "dev", "--target"}, `flag --target needs a value`},
		{"malformed endpoint", []string{"plan", "dev", "--endpoint", "localhost:5000"}, `invalid endpoint "localhost:5000": want a URL like http://127.0.0.1:5000`},
		{"endpoint on aws", []string{"plan", "dev", "--target", "aws", "--endpoint", moto.Endpoint}, `--endpoint is for the emulator target only, not --target aws`},
		{"aws without state bucket", []string{"plan", "dev", "--target", "aws"}, `--target aws needs a state bucket: pass --state-bucket NAME or set EC2STACK_STATE_BUCKET`},
		{"check flag on apply", []string{"apply", "dev", "--plan", devPlan}, "--plan is a flag of `ec2stack check`, `ec2stack cost`, `ec2stack dr`, `ec2stack diagram`, not of apply"},
		{"destroy on aws without --yes", []string{"destroy", "prod", "--target", "aws", "--state-bucket", "my-state"},
			"destroy prod --target aws deletes every resource of prod: pass --yes (or run it at a terminal and type prod); prod's database and load balancer have deletion protection"},
		{"--yes on apply", []string{"apply", "dev", "--yes"}, "--yes is a flag of `ec2stack destroy`, not of apply"},
		{"missing plan file", []string{"check", "dev", "--plan", filepath.Join(dir, "nope.json")}, `--plan ` + filepath.Join(dir, "nope.json") + `: no such file or directory`},
		{"plan file of garbage", []string{"check", "dev", "--plan", garbage}, `--plan ` + garbage + ` is not a terraform plan: neither a saved plan file nor the JSON of ` + "`terraform show -json`"},
		{"json that is not a plan", []string{"check", "dev", "--plan", notPlan}, notPlan + `: not a terraform plan JSON`},
		{"plan of another environment", []string{"check", "prod", "--plan", devPlan, ep}, devPlan + ` is a plan of environment "dev", not "prod"`},
		{"broken saved plan", []string{"check", "dev", "--plan", brokenZip}, `--plan ` + brokenZip + ` is not a readable terraform plan for dev`},
		{"policy dir missing", []string{"check", "dev", "--plan", devPlan, "--policy", filepath.Join(dir, "rules")}, `--policy ` + filepath.Join(dir, "rules") + ` is not a directory of .rego rules`},
		{"exceptions file missing", []string{"check", "dev", "--plan", devPlan, "--exceptions", filepath.Join(dir, "exc.yaml")}, `--exceptions ` + filepath.Join(dir, "exc.yaml") + `: no such file`},
	}
	sh := &shell{work: filepath.Join(dir, "work"), vars: []string{cli.StateBucketVar + "="}}
	workDir := sh.work
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := sh.run(t, tc.args...)
			want := "ec2stack: " + tc.message
			if code != 2 || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("ec2stack %s: exit %d, stderr %q; want exit 2 and one line containing %q", strings.Join(tc.args, " "), code, stderr, want)
			}
		})
	}
	var leftovers []string
	_ = filepath.WalkDir(workDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(p, ".tfplan") || strings.HasSuffix(p, "emulator.json") || strings.HasSuffix(p, ".tfstate")) {
			leftovers = append(leftovers, p)
		}
		return nil
	})
	if len(leftovers) > 0 {
		t.Errorf("bad command lines left files behind: %v", leftovers)
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
