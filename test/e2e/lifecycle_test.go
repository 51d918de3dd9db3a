package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/report"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// lifecycle brings an environment up on a private moto with the real CLI, verifies it with `ec2stack verify`
// (the live environment against the environment contract and the root's outputs), re-plans expecting no
// changes, runs drift (if given) against the live environment, destroys it and checks that nothing tagged with
// it is left, in the environment's region (TF_VAR_region, else us-east-1) and in us-east-1. live checks run on
// the live environment right after up. It returns nothing; the outputs it checks are the ones up printed.
// Environments run in parallel, each on its own moto and with its own variables (sh).
func lifecycle(t *testing.T, envName string, sh *shell, outputs func(t *testing.T, out verify.Outputs), drift func(t *testing.T, moto *emulator.Server, sh *shell, out verify.Outputs),
	live ...func(t *testing.T, moto *emulator.Server, out verify.Outputs)) {
	requireTerraform(t)
	t.Parallel()
	moto := startMoto(t)
	ctx := context.Background()
	envRegion := cmp.Or(sh.get("TF_VAR_region"), region)

	up := decode(t, sh.ec2stack(t, "up", envName, "--endpoint", moto.Endpoint, "--approved-by", "e2e", "--json"))
	raw, ok := up["outputs"].(map[string]any)
	if !ok || len(raw) == 0 {
		t.Fatalf("up %s --json printed no outputs: %v", envName, up)
	}
	if check, _ := up["plan"].(map[string]any); check == nil {
		t.Errorf("up %s --json has no plan summary: %v", envName, up)
	}
	out, err := verify.DecodeOutputs(raw)
	if err != nil {
		t.Fatalf("decoding outputs of %s: %v", envName, err)
	}
	outputs(t, out)
	if out.Region != envRegion {
		t.Errorf("region output = %q, want %q", out.Region, envRegion)
	}
	for _, check := range live {
		check(t, moto, out)
	}

	t.Run("verify", func(t *testing.T) {
		stdout, stderr, code := sh.run(t, "verify", envName, "--endpoint", moto.Endpoint, "--json")
		failures, checks := verifyResult(t, stdout)
		for _, f := range failures {
			t.Errorf("verify %s: %s", envName, f.Error())
		}
		if code != 0 || len(checks) < 80 {
			t.Errorf("verify %s: exit %d after %d checks\n%s", envName, code, len(checks), stderr)
		}
		// The table names what it checked, domain by domain.
		table := sh.ec2stack(t, "verify", envName, "--endpoint", moto.Endpoint)
		for _, want := range []string{"network", "vpc.cidr", "sg.app_ssh", "asg.size", "database.multi_az", "everything holds"} {
			if !strings.Contains(table, want) {
				t.Errorf("verify %s table lacks %q:\n%s", envName, want, table)
			}
		}
	})

	t.Run("second plan is empty", func(t *testing.T) {
		doc := decode(t, sh.ec2stack(t, "plan", envName, "--endpoint", moto.Endpoint, "--json"))
		var sum terraform.PlanSummary
		b, _ := json.Marshal(doc["plan"])
		if err := json.Unmarshal(b, &sum); err != nil {
			t.Fatalf("plan --json: %v\n%v", err, doc)
		}
		if sum.HasChanges() {
			t.Errorf("re-plan of %s right after apply wants changes: %+v", envName, sum.Changes)
		}
		if check, _ := doc["check"].(map[string]any); check["clean"] != true {
			t.Errorf("the re-plan of %s did not pass the gate: %v", envName, check)
		}
	})

	if drift != nil {
		t.Run("verify finds changes made out of band", func(t *testing.T) { drift(t, moto, sh, out) })
	}

	sh.ec2stack(t, "destroy", envName, "--endpoint", moto.Endpoint)
	for _, r := range slices.Compact([]string{envRegion, region}) {
		cfg, err := moto.AWSConfig(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		left, err := verify.Leftovers(ctx, cfg, envName)
		if err != nil {
			t.Fatalf("listing leftovers of %s in %s: %v", envName, r, err)
		}
		for _, l := range left {
			t.Errorf("left after destroy of %s in %s: %s", envName, r, l)
		}
	}
}

// verifyResult decodes `ec2stack verify --json`: its failures and the names of the checks it ran.
func verifyResult(t *testing.T, stdout string) (failures []verify.Failure, checks []string) {
	t.Helper()
	var doc struct {
		Holds   bool                  `json:"holds"`
		Domains []verify.DomainResult `json:"domains"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("verify --json printed no JSON document: %v\n%s", err, stdout)
	}
	for _, d := range doc.Domains {
		failures = append(failures, d.Failures...)
		checks = append(checks, d.Checks...)
	}
	if doc.Holds != (len(failures) == 0) {
		t.Errorf("verify --json: holds = %t with %d failures", doc.Holds, len(failures))
	}
	return failures, checks
}

// sshFrom checks that the root reports exactly the SSH sources the test gave it.
func sshFrom(cidrs ...string) func(t *testing.T, out verify.Outputs) {
	return func(t *testing.T, out verify.Outputs) {
		if !slices.Equal(out.SSHAuthorizedCIDRs, cidrs) {
			t.Errorf("ssh_authorized_cidrs output = %v, want %v", out.SSHAuthorizedCIDRs, cidrs)
		}
	}
}

// TestDev is the dev environment end to end, verified against its contract. SSH is opened to one documentation
// range to prove the rule is exactly that range; then SSH from the internet and a larger Auto Scaling group,
// made out of band in moto, must make verify fail (exit 4) naming the security group and the group.
func TestDev(t *testing.T) {
	sh := newShell(t, `TF_VAR_ssh_authorized_cidrs=["203.0.113.0/24"]`)
	lifecycle(t, "dev", sh, sshFrom("203.0.113.0/24"), func(t *testing.T, moto *emulator.Server, sh *shell, out verify.Outputs) {
		ctx := context.Background()
		cfg := awsConfig(t, moto)
		if _, err := ec2.NewFromConfig(cfg).AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
			GroupId: aws.String(out.AppSecurityGroupID),
			IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
				IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("out of band")}}}},
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := autoscaling.NewFromConfig(cfg).UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{
			AutoScalingGroupName: aws.String(out.AutoScalingGroupName), MaxSize: aws.Int32(7),
		}); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := sh.run(t, "verify", "dev", "--endpoint", moto.Endpoint, "--json")
		failures, _ := verifyResult(t, stdout)
		if code != 4 || !strings.Contains(stderr, "ec2stack: verify dev: ") {
			t.Errorf("verify after out-of-band changes: exit %d, want 4\n%s", code, stderr)
		}
		found := map[string]bool{}
		for _, f := range failures {
			switch {
			case f.Check == "sg.app_ssh" && strings.Contains(f.Resource, out.AppSecurityGroupID) && strings.Contains(f.Got, "0.0.0.0/0"):
				found["ssh"] = true
			case f.Check == "sg.no_public_admin" && strings.Contains(f.Resource, out.AppSecurityGroupID):
				found["admin"] = true
			case f.Check == "asg.size" && f.Resource == out.AutoScalingGroupName && strings.Contains(f.Got, "max=7"):
				found["asg"] = true
			}
		}
		if !found["ssh"] || !found["admin"] || !found["asg"] {
			t.Errorf("verify did not name both changes (found %v); failures: %v", found, failures)
		}
		table, _, _ := sh.run(t, "verify", "dev", "--endpoint", moto.Endpoint)
		for _, want := range []string{out.AppSecurityGroupID, out.AutoScalingGroupName, "difference(s)"} {
			if !strings.Contains(table, want) {
				t.Errorf("verify table lacks %q:\n%s", want, table)
			}
		}
	}, dlmSnapshot, func(t *testing.T, moto *emulator.Server, out verify.Outputs) { reportDev(t, moto, sh, out) })
}

// reportDev is `ec2stack report dev` on the live environment, right after up: one alarm set to ALARM, one to
// INSUFFICIENT_DATA and a manual snapshot of the database taken through the API must be read back (the other
// alarms, OK as moto creates them, left out), with the DLM-style EBS snapshot, the launch template's image, no drift and
// no plan to price (up applied it); --markdown carries the same. It exits 0 whatever it shows.
func reportDev(t *testing.T, moto *emulator.Server, sh *shell, out verify.Outputs) {
	ctx := context.Background()
	cfg := awsConfig(t, moto)
	if len(out.AlarmNames) == 0 || out.DatabaseInstanceID == "" {
		t.Fatalf("dev has no alarms or no database in its outputs: %v, %q", out.AlarmNames, out.DatabaseInstanceID)
	}
	names := slices.Sorted(maps.Values(out.AlarmNames))
	if len(names) < 3 {
		t.Fatalf("dev has %d alarms, want 3 or more: %v", len(names), names)
	}
	alarmed, insufficient := names[0], names[1] // the others stay as moto creates alarms: OK
	for name, state := range map[string]cwtypes.StateValue{alarmed: cwtypes.StateValueAlarm, insufficient: cwtypes.StateValueInsufficientData} {
		if _, err := verify.CloudWatch(cfg).SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String(name),
			StateValue: state, StateReason: aws.String("e2e: set to " + string(state))}); err != nil {
			t.Fatal(err)
		}
	}
	const snapshot = "dev-report-e2e"
	if _, err := rds.NewFromConfig(cfg).CreateDBSnapshot(ctx, &rds.CreateDBSnapshotInput{DBInstanceIdentifier: aws.String(out.DatabaseInstanceID),
		DBSnapshotIdentifier: aws.String(snapshot)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // destroy leaves manual snapshots alone; the leftovers check must not see it
		_, _ = rds.NewFromConfig(cfg).DeleteDBSnapshot(context.Background(), &rds.DeleteDBSnapshotInput{DBSnapshotIdentifier: aws.String(snapshot)})
	})
	stdout, stderr, code := sh.run(t, "report", "dev", "--endpoint", moto.Endpoint, "--json")
	if code != 0 {
		t.Fatalf("report dev --json: exit %d\n%s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("report dev --json printed no report: %v\n%s", err, stdout)
	}
	states := map[string]string{}
	for _, a := range r.Alarms {
		states[a.Name] = a.State
	}
	if want := map[string]string{alarmed: "ALARM", insufficient: "INSUFFICIENT_DATA"}; !maps.Equal(states, want) {
		t.Errorf("report alarms %+v: want %v (the OK ones left out)", r.Alarms, want)
	}
	kinds := map[string]string{}
	for _, b := range r.Backups {
		kinds[b.Kind] += b.ID + " "
	}
	if !strings.Contains(kinds["rds-manual"], snapshot) || kinds["ebs-snapshot"] == "" {
		t.Errorf("report backups %+v: want the manual DB snapshot %s and the EBS snapshot", r.Backups, snapshot)
	}
	if r.Drift == nil || !r.Drift.Clean {
		t.Errorf("report drift = %+v, want none right after up", r.Drift)
	}
	if len(r.Images) == 0 || r.Images[0].UsedBy != out.LaunchTemplateID {
		t.Errorf("report images = %+v, want the launch template's", r.Images)
	}
	if r.Cost == nil || r.Cost.Plan || !strings.Contains(r.Cost.Note, "no saved plan of dev on emulator") { // apply used the plan up
		t.Errorf("report cost = %+v, want no plan (up applied and cleared it)", r.Cost)
	}
	if len(r.Unread) != 0 {
		t.Errorf("report could not read: %v", r.Unread)
	}
	md := sh.ec2stack(t, "report", "dev", "--endpoint", moto.Endpoint, "--markdown")
	for _, want := range []string{"### Report of `dev` on emulator", "| `" + alarmed + "` | ALARM |", "| `" + insufficient + "` | INSUFFICIENT_DATA |", "`" + snapshot + "`", "**Drift:** none", "**Cost:** no plan"} {
		if !strings.Contains(md, want) {
			t.Errorf("report --markdown lacks %q:\n%s", want, md)
		}
	}
}

// dlmSnapshot leaves an EBS snapshot as Data Lifecycle Manager takes them of the environment's volumes (moto
// runs no DLM): destroy of an environment without deletion protection must delete it, which the leftovers
// check after destroy proves.
func dlmSnapshot(t *testing.T, moto *emulator.Server, out verify.Outputs) {
	ctx := context.Background()
	client := ec2.NewFromConfig(awsConfig(t, moto))
	vol, err := client.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String(out.AvailabilityZones[0]), Size: aws.Int32(8)})
	if err != nil {
		t.Fatal(err)
	}
	tags := []ec2types.Tag{{Key: aws.String("Project"), Value: aws.String("ec2stack")}, {Key: aws.String("Environment"), Value: aws.String(out.Environment)},
		{Key: aws.String("SnapshotCreator"), Value: aws.String("dlm")}}
	if _, err := client.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: vol.VolumeId,
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSnapshot, Tags: tags}}}); err != nil {
		t.Fatal(err)
	}
}

// Staging and prod are brought up, verified, re-planned and destroyed by TestOperate (operate_test.go), through
// promotion.

// TestStagingInEUWest1: staging in a region other than us-east-1. What CloudFront needs (its certificate, the
// CLOUDFRONT web ACL, that ACL's log group and the group's key) must still be created in us-east-1: a log group
// there cannot use a key of eu-west-1.
func TestStagingInEUWest1(t *testing.T) {
	sh := newShell(t, "TF_VAR_region=eu-west-1", "TF_VAR_domain_name=staging.example.com")
	lifecycle(t, "staging", sh, sshFrom(), nil, func(t *testing.T, moto *emulator.Server, out verify.Outputs) {
		ctx := context.Background()
		cfg := awsConfig(t, moto) // us-east-1
		groups, err := cloudwatchlogs.NewFromConfig(cfg).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{
			LogGroupNamePrefix: aws.String("aws-waf-logs-ec2stack-staging-cloudfront")})
		if err != nil || len(groups.LogGroups) != 1 {
			t.Fatalf("the CLOUDFRONT WAF log group must be in us-east-1: %v %v", groups, err)
		}
		key := aws.ToString(groups.LogGroups[0].KmsKeyId)
		if !strings.HasPrefix(key, "arn:aws:kms:us-east-1:") {
			t.Errorf("the CLOUDFRONT WAF log group in us-east-1 is encrypted with %q, want a key of us-east-1", key)
		}
		if _, err := kms.NewFromConfig(cfg).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)}); err != nil {
			t.Errorf("the WAF log group's key %s does not exist in us-east-1: %v", key, err)
		}
		if !strings.Contains(out.ALBARN, ":eu-west-1:") {
			t.Errorf("the load balancer must be in eu-west-1: %s", out.ALBARN)
		}
	})
}
