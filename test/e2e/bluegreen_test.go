package e2e

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/ec2stack/ec2stack/internal/ami"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// TestBlueGreen applies dev with blue/green on (a copy of its root: blue on the pinned image, green on a newer
// one), reads back two groups, each in its own target group on its own image, and a listener sending everything
// to blue; `ec2stack switch dev` then plans as the listener's weights and the alarms following the live group, all in
// place, and after the apply moto sends everything to green and the alarms watch it; switching back restores blue. Switching an environment without blue/green fails
// with one line and changes nothing.
func TestBlueGreen(t *testing.T) {
	requireTerraform(t)
	t.Parallel()
	devMain, err := os.ReadFile(filepath.Join(root(), "terraform", "envs", "dev", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	blue, err := ami.Pin(devMain, "ami_name")
	if err != nil {
		t.Fatal(err)
	}
	const green = "al2023-ami-2023.12.20260601.0-kernel-6.1-x86_64"
	images := map[string]string{"blue": "ami-0a1b2c3d4e5f60001", "green": "ami-0a1b2c3d4e5f60002"}

	_, stderr, code := newShell(t).run(t, "switch", "dev")
	if code != 1 || !strings.Contains(stderr, "blue/green is off") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("switch dev without blue/green: exit %d, %q; want exit 1 and one line saying blue/green is off", code, stderr)
	}
	if now, _ := os.ReadFile(filepath.Join(root(), "terraform", "envs", "dev", "main.tf")); string(now) != string(devMain) {
		t.Fatal("a refused switch changed dev's main.tf")
	}

	moto := motoWithImages(t, blue, green)
	home := configCopy(t)
	file := filepath.Join(home, "terraform", "envs", "dev", "main.tf")
	on := strings.Replace(string(devMain), "blue_green = null", `blue_green = { live = "blue", green_ami_name = "`+green+`" }`, 1)
	if on == string(devMain) {
		t.Fatal(`dev's main.tf has no "blue_green = null" to turn on`)
	}
	if err := os.WriteFile(file, []byte(on), 0o644); err != nil {
		t.Fatal(err)
	}
	sh := newShell(t, "EC2STACK_HOME="+home)
	ep := []string{"--endpoint", moto.Endpoint}
	cfg := awsConfig(t, moto)
	ctx := context.Background()

	up := decode(t, sh.ec2stack(t, append([]string{"up", "dev", "--approved-by", "e2e", "--json"}, ep...)...))
	raw, _ := up["outputs"].(map[string]any)
	out, err := verify.DecodeOutputs(raw)
	if err != nil {
		t.Fatal(err)
	}
	groups := readGroups(t, ctx, cfg, out.ALBARN)
	for color, g := range groups {
		if g.image != images[color] {
			t.Errorf("the %s group launches %s, want %s", color, g.image, images[color])
		}
	}
	wantWeights(t, groups, 100, 0)
	if out.TargetGroupARN != groups["blue"].targetGroup || out.AutoScalingGroupName != groups["blue"].name {
		t.Errorf("outputs name target group %s and group %s, want blue's (%s, %s)", out.TargetGroupARN, out.AutoScalingGroupName, groups["blue"].targetGroup, groups["blue"].name)
	}
	if sum := planSummary(t, sh, ep); sum.HasChanges() {
		t.Fatalf("re-plan right after applying blue/green wants changes: %+v", sum.Changes)
	}

	sw := decode(t, sh.ec2stack(t, "switch", "dev", "--json"))
	if sw["from"] != "blue" || sw["to"] != "green" || sw["switched"] != true {
		t.Fatalf("switch dev --json = %v, want from blue to green", sw)
	}
	if now, _ := os.ReadFile(file); string(now) != strings.Replace(on, `live = "blue"`, `live = "green"`, 1) {
		t.Fatalf("switch dev must change only live in main.tf; it is now:\n%s", now)
	}
	// The switch moves the weights and points the alarms and the dashboard at the live group: updates in place,
	// the listener the only one in compute.
	const listener = "module.stack.module.compute.aws_lb_listener.http"
	sum := planSummary(t, sh, ep)
	weights := false
	for _, c := range sum.Changes {
		weights = weights || c.Address == listener
		if c.Action != "update" || (c.Address != listener && !strings.HasPrefix(c.Address, "module.stack.module.monitoring.")) {
			t.Errorf("the switch plans %s %s; want only the listener's weights and the monitoring of the live group", c.Action, c.Address)
		}
	}
	if !weights {
		t.Fatalf("the switch does not plan the listener's weights: %+v", sum.Changes)
	}
	sh.ec2stack(t, append([]string{"apply", "dev"}, ep...)...)
	wantWeights(t, readGroups(t, ctx, cfg, out.ALBARN), 0, 100)
	alarms, err := verify.CloudWatch(cfg).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"ec2stack-dev-cpu-critical"}})
	if err != nil || len(alarms.MetricAlarms) != 1 {
		t.Fatalf("reading the CPU alarm: %v", err)
	}
	if d := alarms.MetricAlarms[0].Dimensions; len(d) != 1 || aws.ToString(d[0].Value) != groups["green"].name {
		t.Errorf("after the switch the CPU alarm watches %v, want the green group %s", d, groups["green"].name)
	}

	sh.ec2stack(t, "switch", "dev", "--to", "blue")
	sh.ec2stack(t, append([]string{"up", "dev", "--approved-by", "e2e"}, ep...)...)
	back := readGroups(t, ctx, cfg, out.ALBARN)
	wantWeights(t, back, 100, 0)
	for color := range groups {
		if back[color].name != groups[color].name || back[color].targetGroup != groups[color].targetGroup {
			t.Errorf("switching replaced the %s group or its target group: %+v -> %+v", color, groups[color], back[color])
		}
	}
	if again := decode(t, sh.ec2stack(t, "switch", "dev", "--to", "blue", "--json")); again["switched"] != false {
		t.Errorf("switch --to the live color = %v, want switched false", again)
	}

	sh.ec2stack(t, append([]string{"destroy", "dev"}, ep...)...)
	left, err := verify.Leftovers(ctx, cfg, "dev")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range left {
		t.Errorf("left after destroy: %s", l)
	}
}

// group is one color's Auto Scaling group as moto reports it: its target group, the image its launch template
// version runs, and the listener's weight for its target group.
type group struct {
	name, targetGroup, image string
	weight                   int32
}

// readGroups reads the load balancer's port-80 forward and, for each target group in it, the group registered
// there; the color is the target group's name (…-green, else blue).
func readGroups(t *testing.T, ctx context.Context, cfg aws.Config, albARN string) map[string]group {
	t.Helper()
	elb := elbv2.NewFromConfig(cfg)
	ls, err := elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(albARN)})
	if err != nil {
		t.Fatal(err)
	}
	weights := map[string]int32{}
	for _, l := range ls.Listeners {
		if aws.ToInt32(l.Port) != 80 || len(l.DefaultActions) != 1 || l.DefaultActions[0].ForwardConfig == nil {
			continue
		}
		for _, tg := range l.DefaultActions[0].ForwardConfig.TargetGroups {
			weights[aws.ToString(tg.TargetGroupArn)] = aws.ToInt32(tg.Weight)
		}
	}
	if len(weights) != 2 {
		t.Fatalf("the :80 listener forwards to %v, want two weighted target groups", weights)
	}
	asgs, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	tgs, err := elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(albARN)})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]group{}
	for _, tg := range tgs.TargetGroups {
		arn, color := aws.ToString(tg.TargetGroupArn), "blue"
		if strings.HasSuffix(aws.ToString(tg.TargetGroupName), "-green") {
			color = "green"
		}
		g := group{targetGroup: arn, weight: weights[arn]}
		for _, a := range asgs.AutoScalingGroups {
			if len(a.TargetGroupARNs) == 1 && a.TargetGroupARNs[0] == arn {
				g.name = aws.ToString(a.AutoScalingGroupName)
				if a.MixedInstancesPolicy != nil {
					spec := a.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification
					g.image = launchImage(t, ctx, cfg, aws.ToString(spec.LaunchTemplateId), aws.ToString(spec.Version))
				} else if a.LaunchTemplate != nil {
					g.image = launchImage(t, ctx, cfg, aws.ToString(a.LaunchTemplate.LaunchTemplateId), aws.ToString(a.LaunchTemplate.Version))
				}
			}
		}
		if g.name == "" {
			t.Fatalf("no Auto Scaling group registers in the %s target group %s alone", color, arn)
		}
		groups[color] = g
	}
	if len(groups) != 2 {
		t.Fatalf("the load balancer has target groups %v, want blue and green", groups)
	}
	return groups
}

func launchImage(t *testing.T, ctx context.Context, cfg aws.Config, id, version string) string {
	t.Helper()
	v, err := ec2.NewFromConfig(cfg).DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{
		LaunchTemplateId: aws.String(id), Versions: []string{version}})
	if err != nil || len(v.LaunchTemplateVersions) != 1 {
		t.Fatalf("launch template %s version %s: %v", id, version, err)
	}
	return aws.ToString(v.LaunchTemplateVersions[0].LaunchTemplateData.ImageId)
}

func wantWeights(t *testing.T, groups map[string]group, blue, green int32) {
	t.Helper()
	if groups["blue"].weight != blue || groups["green"].weight != green {
		t.Errorf("the listener sends blue %d %%, green %d %%; want %d and %d", groups["blue"].weight, groups["green"].weight, blue, green)
	}
}

// planSummary runs `ec2stack plan dev --json` and returns what the plan changes.
func planSummary(t *testing.T, sh *shell, ep []string) terraform.PlanSummary {
	t.Helper()
	doc := decode(t, sh.ec2stack(t, append([]string{"plan", "dev", "--json"}, ep...)...))
	var sum terraform.PlanSummary
	b, _ := json.Marshal(doc["plan"])
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("plan --json: %v\n%v", err, doc)
	}
	return sum
}

// configCopy copies the repository's configuration (terraform/ without .terraform, policy/) into a directory of
// the test's own, links kept, for a test that changes an environment's main.tf (EC2STACK_HOME points there).
func configCopy(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	for _, dir := range []string{"terraform", "policy"} {
		src := filepath.Join(root(), dir)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root(), p)
			dst := filepath.Join(home, rel)
			switch {
			case d.IsDir() && d.Name() == ".terraform":
				return filepath.SkipDir
			case d.IsDir():
				return os.MkdirAll(dst, 0o755)
			case d.Type()&fs.ModeSymlink != 0:
				link, err := os.Readlink(p)
				if err != nil {
					return err
				}
				return os.Symlink(link, dst)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return home
}
