package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// faultSpec is what TestFaults injects: 10 % throttled, 2 % 5xx, a little latency, the default seed.
const faultSpec = "throttle=10%,error5xx=2%,latency=5ms,jitter=5ms"

// TestFaults brings dev up with the real CLI through ec2stack's fault proxy in front of a private moto (10 % of
// the AWS calls throttled, 2 % answered 500 or 503, in each protocol's own shape), re-plans expecting no changes,
// destroys, and checks that nothing is left: with the retry settings the emulator uses behind a fault proxy
// (emulator.FaultMaxAttempts), every call converges. The proxy's counters are logged: the faults injected and the
// retries the SDKs sent, by service and by client.
func TestFaults(t *testing.T) {
	requireTerraform(t)
	t.Parallel()
	ctx := context.Background()
	moto := startMoto(t)
	f, err := emulator.ParseFaults(faultSpec)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := emulator.StartProxy(ctx, moto.Endpoint, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.Stop() })
	sh := newShell(t)
	ep := proxy.Endpoint

	var last emulator.FaultStats
	step := func(name string, start time.Time) {
		st := proxy.Stats()
		t.Logf("%s took %s: %d requests, %d throttled, %d 5xx injected, %d retries seen, %d out of attempts",
			name, time.Since(start).Round(time.Second), st.Requests-last.Requests, st.Throttled-last.Throttled,
			st.Errors5xx-last.Errors5xx, st.Retries-last.Retries, st.Exhausted-last.Exhausted)
		last = st
	}

	start := time.Now()
	_, stderr, code := sh.run(t, "up", "dev", "--endpoint", ep, "--approved-by", "e2e", "--json")
	step("up", start)
	if code != 0 {
		t.Fatalf("up dev through the fault proxy: exit %d\n%s", code, lastLines(stderr, 60))
	}

	start = time.Now()
	doc := decode(t, sh.ec2stack(t, "plan", "dev", "--endpoint", ep, "--json"))
	step("re-plan", start)
	var sum terraform.PlanSummary
	b, _ := json.Marshal(doc["plan"])
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("plan --json: %v\n%v", err, doc)
	}
	if sum.HasChanges() {
		t.Errorf("re-plan of dev under faults wants changes: %+v", sum.Changes)
	}

	start = time.Now()
	_, stderr, code = sh.run(t, "destroy", "dev", "--endpoint", ep)
	step("destroy", start)
	if code != 0 {
		t.Fatalf("destroy dev through the fault proxy: exit %d\n%s", code, lastLines(stderr, 60))
	}
	if !strings.Contains(stderr, fmt.Sprintf("injects faults (%s)", f)) {
		t.Errorf("destroy did not say that the emulator injects faults:\n%s", lastLines(stderr, 20))
	}
	left, err := verify.Leftovers(ctx, awsConfig(t, moto), "dev") // moto itself, not through the proxy
	if err != nil {
		t.Fatalf("listing leftovers of dev: %v", err)
	}
	for _, l := range left {
		t.Errorf("left after destroy of dev: %s", l)
	}

	st := proxy.Stats()
	t.Logf("faults %s over the whole run: %s", st.Faults, st.Summary())
	for _, name := range slices.Sorted(maps.Keys(st.Services)) {
		s := st.Services[name]
		t.Logf("  %-22s %5d requests, %4d throttled, %3d 5xx, %4d retries", name, s.Requests, s.Throttled, s.Errors5xx, s.Retries)
	}
	for _, name := range slices.Sorted(maps.Keys(st.Clients)) {
		c := st.Clients[name]
		t.Logf("  client %-22s %5d requests, %4d retries, attempts allowed %v", name, c.Requests, c.Retries, c.MaxAttempts)
	}
	if st.Throttled == 0 || st.Errors5xx == 0 || st.Retries < (st.Throttled+st.Errors5xx)*9/10 {
		t.Errorf("faults not injected, or not retried: %s", st.Summary())
	}
	if c := st.Clients["aws-sdk-go-v2"]; c == nil || c.MaxAttempts[fmt.Sprint(emulator.FaultMaxAttempts)] != c.Requests {
		t.Errorf("ec2stack's own clients behind the fault proxy: %+v, want every call allowed %d attempts", c, emulator.FaultMaxAttempts)
	}
}

// TestFaultsCLI: `ec2stack emulator start --faults` starts moto and a detached fault proxy in front of it (in the
// emulator record), status shows the faults and the counters, a second start with other faults is refused, an
// invalid spec is a usage error that starts nothing, and stop ends both processes.
func TestFaultsCLI(t *testing.T) {
	requireTerraform(t)
	t.Parallel()
	ctx := context.Background()
	sh := newShell(t)

	if _, stderr, code := sh.run(t, "emulator", "start", "--faults", "throttle=150%"); code != 2 ||
		!strings.Contains(stderr, `ec2stack: --faults "throttle=150%": throttle must be a percentage between 0% and 100%`) {
		t.Fatalf("emulator start with a bad spec: exit %d, %s", code, stderr)
	}
	if status := decode(t, sh.ec2stack(t, "emulator", "status", "--json")); status["running"] != false {
		t.Fatalf("a bad --faults started something: %v", status)
	}

	start := decode(t, sh.ec2stack(t, "emulator", "start", "--faults", "throttle=50%,seed=9", "--json"))
	t.Cleanup(func() { sh.run(t, "emulator", "stop") })
	ep, _ := start["endpoint"].(string)
	fd, _ := start["faults"].(map[string]any)
	if start["started"] != true || fd["spec"] != "throttle=50%,error5xx=0%,seed=9" || fd["moto_endpoint"] == ep || ep == "" {
		t.Fatalf("emulator start --faults --json = %v", start)
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region), config.WithBaseEndpoint(ep),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }))
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for i := 0; i < 20; i++ {
		if _, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); err != nil {
			if !strings.Contains(err.Error(), "RequestLimitExceeded") {
				t.Fatalf("DescribeVpcs through the proxy: %v", err)
			}
			failed++
		}
	}
	status := decode(t, sh.ec2stack(t, "emulator", "status", "--json"))
	var st emulator.FaultStats
	b, _ := json.Marshal(status["faults"].(map[string]any)["stats"])
	if err := json.Unmarshal(b, &st); err != nil || st.Requests != 20 || st.Throttled != int64(failed) || failed == 0 || failed == 20 {
		t.Errorf("status --json stats = %+v (%v), want 20 requests, %d throttled", st, err, failed)
	}
	if out := sh.ec2stack(t, "emulator", "status"); !strings.Contains(out, "behind the fault proxy at "+ep) || !strings.Contains(out, "20 requests") {
		t.Errorf("emulator status:\n%s", out)
	}
	if _, stderr, code := sh.run(t, "emulator", "start", "--faults", "throttle=5%"); code != 1 || !strings.Contains(stderr, "with faults throttle=50%,error5xx=0%,seed=9") {
		t.Errorf("a second start with other faults: exit %d, %s", code, stderr)
	}

	stop := decode(t, sh.ec2stack(t, "emulator", "stop", "--json"))
	if stop["stopped"] != true {
		t.Errorf("emulator stop --json = %v", stop)
	}
	if err := emulator.Ping(ctx, ep); err == nil {
		t.Errorf("the fault proxy at %s still answers after stop", ep)
	}
	if err := emulator.Ping(ctx, cmp.Or(fd["moto_endpoint"].(string), "http://127.0.0.1:1")); err == nil {
		t.Errorf("moto still answers after stop")
	}
}

// lastLines is the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
