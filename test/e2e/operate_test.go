package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"

	"github.com/ec2stack/ec2stack/internal/drift"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/history"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// releaseRepo is a git repository of the test's own holding this work tree's files, committed as release A.
func releaseRepo(t *testing.T) (dir, commitA string) {
	t.Helper()
	dir = t.TempDir()
	files, err := exec.Command("git", "-C", root(), "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(files), "\x00"), "\x00") {
		b, err := os.ReadFile(filepath.Join(root(), f))
		if err != nil {
			continue // deleted in the work tree
		}
		dst := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitIn(t, dir, "init", "-q")
	return dir, commit(t, dir, "release A")
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=e2e", "GIT_AUTHOR_EMAIL=e2e@example.com", "GIT_COMMITTER_NAME=e2e", "GIT_COMMITTER_EMAIL=e2e@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func commit(t *testing.T, dir, msg string) string {
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-qm", msg)
	return gitIn(t, dir, "rev-parse", "HEAD")
}

// records is `ec2stack history ENV --json`.
func records(t *testing.T, sh *shell, moto *emulator.Server, envName string) []history.Record {
	t.Helper()
	var doc struct {
		Records []history.Record `json:"records"`
	}
	if err := json.Unmarshal([]byte(sh.ec2stack(t, "history", envName, "--endpoint", moto.Endpoint, "--json")), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Records
}

// mustFail runs a command that must exit with code and print want on stderr, in one line.
func mustFail(t *testing.T, sh *shell, code int, want string, args ...string) {
	t.Helper()
	_, stderr, got := sh.run(t, args...)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if got != code || !strings.Contains(last, want) {
		t.Errorf("ec2stack %s: exit %d, want %d; last line %q, want it to contain %q\n%s", strings.Join(args, " "), got, code, last, want, stderr)
	}
}

// userData is the user data of the newest version of the environment's launch template.
func userData(t *testing.T, moto *emulator.Server, id string) string {
	t.Helper()
	out, err := ec2.NewFromConfig(awsConfig(t, moto)).DescribeLaunchTemplateVersions(context.Background(), &ec2.DescribeLaunchTemplateVersionsInput{
		LaunchTemplateId: aws.String(id), Versions: []string{"$Latest"}})
	if err != nil || len(out.LaunchTemplateVersions) != 1 {
		t.Fatalf("launch template %s: %v %v", id, out, err)
	}
	b, err := base64.StdEncoding.DecodeString(aws.ToString(out.LaunchTemplateVersions[0].LaunchTemplateData.UserData))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOperate drives the deployment process on one moto, from a repository of releases of its own: release A
// to dev, promoted to staging, then (approved) to prod, with an unapproved and a stale prod plan refused; release
// B to dev, whose promotion to prod is refused while staging has not verified it; dev rolled back to A; drift
// made out of band in dev reported (exit 6) and repaired to none; every step in the history.
func TestOperate(t *testing.T) {
	requireTerraform(t)
	t.Parallel()
	moto := startMoto(t)
	ep := []string{"--endpoint", moto.Endpoint}
	repo, relA := releaseRepo(t)
	vars := []string{env.HomeVar + "=" + repo, `TF_VAR_ssh_authorized_cidrs=["203.0.113.0/24"]`, "EC2STACK_ACTOR=ci"}
	sh := newShell(t, vars...)
	other := newShell(t, vars...) // a second operator: a work directory of its own, the same state and history

	// Release A to dev: no approval needed.
	up := decode(t, sh.ec2stack(t, append([]string{"up", "dev", "--json"}, ep...)...))
	rec, _ := up["record"].(map[string]any)
	if rec == nil || dig(rec, "release", "commit") != relA || dig(rec, "verify", "holds") != true || dig(rec, "drift", "clean") != true {
		t.Fatalf("up dev --json: record %v", rec)
	}
	out, err := verify.DecodeOutputs(up["outputs"].(map[string]any))
	if err != nil {
		t.Fatal(err)
	}
	dataA := userData(t, moto, out.LaunchTemplateID)

	// A to staging, from dev, approved on the command line.
	staging := decode(t, sh.ec2stack(t, append([]string{"promote", "staging", "--approved-by", "Ana Lima", "--json"}, ep...)...))
	stagingOut, err := verify.DecodeOutputs(staging["outputs"].(map[string]any))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stagingOut.SSHAuthorizedCIDRs, []string{"203.0.113.0/24"}) || stagingOut.InstanceType != "t3.medium" {
		t.Errorf("staging: ssh %v, instance type %s", stagingOut.SSHAuthorizedCIDRs, stagingOut.InstanceType)
	}

	// prod: a plan without an approval is refused and creates nothing; approved, it turns stale once someone
	// else deploys prod from another work directory, and is refused again.
	sh.ec2stack(t, append([]string{"plan", "prod"}, ep...)...)
	checkRecoveryCommand(t, sh, ep)
	mustFail(t, sh, 1, "apply prod: the saved plan", append([]string{"apply", "prod"}, ep...)...)
	if got := records(t, sh, moto, "prod"); len(got) != 0 {
		t.Errorf("a refused apply of prod wrote records: %+v", got)
	}
	sh.ec2stack(t, append([]string{"approve", "prod", "--approved-by", "Ana Lima"}, ep...)...)
	prod := decode(t, other.ec2stack(t, append([]string{"promote", "prod", "--approved-by", "Bo Chen", "--json"}, ep...)...))
	prodOut, err := verify.DecodeOutputs(prod["outputs"].(map[string]any))
	if err != nil {
		t.Fatal(err)
	}
	if len(prodOut.SSHAuthorizedCIDRs) != 0 || len(prodOut.AvailabilityZones) != 3 {
		t.Errorf("prod: ssh %v, zones %v", prodOut.SSHAuthorizedCIDRs, prodOut.AvailabilityZones)
	}
	mustFail(t, sh, 1, "is stale: it was made against no state", append([]string{"apply", "prod"}, ep...)...)
	checkDrill(t, sh, moto, ep)

	// Release B changes the application tier (the instances' user data) and goes to dev; prod refuses it
	// while staging has not verified it.
	tmpl := filepath.Join(repo, "terraform", "modules", "compute", "user_data.sh.tftpl")
	b, err := os.ReadFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmpl, append(b, []byte("echo 'release B' > /etc/ec2stack-release\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	relB := commit(t, repo, "release B: the instances record their release")
	sh.ec2stack(t, append([]string{"up", "dev"}, ep...)...)
	if got := userData(t, moto, out.LaunchTemplateID); !strings.Contains(got, "release B") {
		t.Fatalf("release B is not in dev's launch template:\n%s", got)
	}
	mustFail(t, sh, 1, "promote prod: release "+relB[:12]+" is not the release staging has applied and verified (staging has "+relA[:12]+")",
		append([]string{"promote", "prod", "--release", relB, "--approved-by", "Bo Chen"}, ep...)...)

	// Rollback of dev: back to A's user data.
	sh.ec2stack(t, append([]string{"rollback", "dev"}, ep...)...)
	if got := userData(t, moto, out.LaunchTemplateID); got != dataA {
		t.Errorf("after the rollback dev's user data is not A's:\n%s", got)
	}

	// Drift made out of band: an extra security-group rule, a larger group, a removed tag, a deleted alarm.
	injectDrift(t, moto, out)
	stdout, stderr, code := sh.run(t, append([]string{"drift", "dev", "--json"}, ep...)...)
	if code != 6 {
		t.Fatalf("drift dev after out-of-band changes: exit %d, want 6\n%s", code, stderr)
	}
	var report drift.Report
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, r := range report.Resources {
		for _, a := range r.Attributes {
			found[r.Type+" "+a.Path] = a.Repair
		}
	}
	for what, repair := range map[string]string{
		"aws_security_group ingress":             drift.Accept,
		"aws_autoscaling_group max_size":         drift.Revert,
		"aws_lb tags_all.Environment":            drift.Revert,
		"aws_cloudwatch_metric_alarm (resource)": drift.Recreate,
	} {
		if found[what] != repair {
			t.Errorf("drift report: %s repaired by %q, want %q (found %v)", what, found[what], repair, found)
		}
	}
	// The repair reverts the group and the tag and recreates the alarm; the extra rule is not managed by the
	// configuration, so terraform cannot remove it: it is accepted into the state, and verify (exit 4) names it.
	// Removed by hand, a second repair records its absence, and drift is at 0.
	stdout, stderr, code = sh.run(t, append([]string{"drift", "dev", "--repair"}, ep...)...)
	if code != 4 || !strings.Contains(stdout, out.AppSecurityGroupID) || !strings.Contains(stdout, "REPAIR = accept") {
		t.Errorf("drift dev --repair with a rule made out of band: exit %d, want 4 naming %s\n%s\n%s", code, out.AppSecurityGroupID, stdout, stderr)
	}
	revokeExtraRule(t, moto, out)
	sh.ec2stack(t, append([]string{"drift", "dev", "--repair"}, ep...)...)
	sh.ec2stack(t, append([]string{"drift", "dev"}, ep...)...)

	// The history shows every step.
	var steps []string
	for _, r := range records(t, sh, moto, "dev") {
		steps = append(steps, r.Action+" "+r.Release.Commit[:7])
	}
	if want := []string{"apply " + relA[:7], "apply " + relB[:7], "rollback " + relA[:7], "drift " + relA[:7], "repair " + relA[:7], "repair " + relA[:7], "drift " + relA[:7]}; !slices.Equal(steps, want) {
		t.Errorf("dev's history: %v, want %v", steps, want)
	}
	for envName, want := range map[string]string{"staging": "promote from dev approved by Ana Lima", "prod": "promote from staging approved by Bo Chen"} {
		got := records(t, sh, moto, envName)
		if len(got) != 1 || got[0].Approval == nil || got[0].Action+" from "+got[0].From+" approved by "+got[0].Approval.By != want ||
			got[0].Release.Commit != relA || !got[0].Verified() || got[0].Verify.Checks < 80 || !got[0].DriftFree() || got[0].Who != "ci" ||
			got[0].PlanSHA256 != got[0].Approval.PlanSHA256 || got[0].Check == nil || !got[0].Check.Clean {
			t.Errorf("%s's history: %+v, want one record: %s", envName, got, want)
		}
	}
	table := sh.ec2stack(t, append([]string{"history", "dev"}, ep...)...)
	for _, want := range []string{"ACTION", "rollback", relA[:12], "7 record(s)"} {
		if !strings.Contains(table, want) {
			t.Errorf("history dev lacks %q:\n%s", want, table)
		}
	}

	for _, envName := range []string{"prod", "staging", "dev"} {
		sh.ec2stack(t, append([]string{"destroy", envName}, ep...)...)
		left, err := verify.Leftovers(context.Background(), awsConfig(t, moto), envName)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range left {
			t.Errorf("left after destroy of %s: %s", envName, l)
		}
	}
}

// extraRule is the security-group rule injectDrift adds.
func extraRule() []ec2types.IpPermission {
	return []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(9100), ToPort: aws.Int32(9100),
		IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/16"), Description: aws.String("out of band: metrics")}}}}
}

func revokeExtraRule(t *testing.T, moto *emulator.Server, out verify.Outputs) {
	t.Helper()
	if _, err := ec2.NewFromConfig(awsConfig(t, moto)).RevokeSecurityGroupIngress(context.Background(), &ec2.RevokeSecurityGroupIngressInput{
		GroupId: aws.String(out.AppSecurityGroupID), IpPermissions: extraRule()}); err != nil {
		t.Fatal(err)
	}
}

// injectDrift changes dev out of band, as someone with console access would.
func injectDrift(t *testing.T, moto *emulator.Server, out verify.Outputs) {
	t.Helper()
	ctx := context.Background()
	cfg := awsConfig(t, moto)
	if _, err := ec2.NewFromConfig(cfg).AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(out.AppSecurityGroupID), IpPermissions: extraRule()}); err != nil {
		t.Fatal(err)
	}
	if _, err := autoscaling.NewFromConfig(cfg).UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{
		AutoScalingGroupName: aws.String(out.AutoScalingGroupName), MaxSize: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	if _, err := elasticloadbalancingv2.NewFromConfig(cfg).RemoveTags(ctx, &elasticloadbalancingv2.RemoveTagsInput{
		ResourceArns: []string{out.ALBARN}, TagKeys: []string{"Environment"}}); err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Values(out.AlarmNames))
	if len(names) == 0 {
		t.Fatal("dev has no alarms to delete")
	}
	cw := cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { o.Protocol = awsquery.New(cwschemas.GraniteServiceVersion20100801) })
	if _, err := cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: names[:1]}); err != nil {
		t.Fatal(err)
	}
}
