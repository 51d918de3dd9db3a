package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	wafv2types "github.com/aws/aws-sdk-go-v2/service/wafv2/types"
	"github.com/aws/smithy-go"
)

func TestParseFaults(t *testing.T) {
	good := []struct {
		spec string
		want Faults
		str  string
	}{
		{"throttle=10%,error5xx=2%,latency=50ms", Faults{Throttle: 10, Error5xx: 2, Latency: 50 * time.Millisecond, Seed: 1},
			"throttle=10%,error5xx=2%,latency=50ms,seed=1"},
		{" seed=42 , throttle=0.5% ", Faults{Throttle: 0.5, Seed: 42}, "throttle=0.5%,error5xx=0%,seed=42"},
		{"error5xx=100%,jitter=1s,latency=0s", Faults{Error5xx: 100, Jitter: time.Second, Seed: 1}, "throttle=0%,error5xx=100%,jitter=1s,seed=1"},
		{"throttle=60%,error5xx=40%", Faults{Throttle: 60, Error5xx: 40, Seed: 1}, "throttle=60%,error5xx=40%,seed=1"},
	}
	for _, tt := range good {
		f, err := ParseFaults(tt.spec)
		if err != nil || f != tt.want {
			t.Errorf("ParseFaults(%q) = %+v, %v; want %+v", tt.spec, f, err, tt.want)
			continue
		}
		if f.String() != tt.str {
			t.Errorf("ParseFaults(%q).String() = %q, want %q", tt.spec, f.String(), tt.str)
		}
		if back, err := ParseFaults(f.String()); err != nil || back != f {
			t.Errorf("ParseFaults(%q) = %+v, %v; want it back: %+v", f.String(), back, err, f)
		}
	}
	bad := []struct{ spec, want string }{
		{"", `"": want KEY=VALUE pairs separated by commas, keys throttle, error5xx, latency, jitter, seed (e.g. throttle=10%,error5xx=2%,latency=50ms)`},
		{"throttle=150%", `"throttle=150%": throttle must be a percentage between 0% and 100% (e.g. throttle=10%)`},
		{"throttle=10", `"throttle=10": throttle must be a percentage between 0% and 100% (e.g. throttle=10%)`},
		{"error5xx=-1%", `"error5xx=-1%": error5xx must be a percentage between 0% and 100% (e.g. error5xx=10%)`},
		{"throttle=NaN%", `"throttle=NaN%": throttle must be a percentage between 0% and 100% (e.g. throttle=10%)`},
		{"latency=50", `"latency=50": latency must be a duration between 0s and 10s (e.g. latency=50ms)`},
		{"jitter=1m", `"jitter=1m": jitter must be a duration between 0s and 10s (e.g. jitter=50ms)`},
		{"seed=-3", `"seed=-3": seed must be a whole number from 0 to 18446744073709551615`},
		{"throttle", `"throttle": want KEY=VALUE, keys throttle, error5xx, latency, jitter, seed`},
		{"throttle=1%,,seed=2", `"": want KEY=VALUE, keys throttle, error5xx, latency, jitter, seed`},
		{"timeout=5s", `"timeout=5s": unknown key timeout: valid keys are throttle, error5xx, latency, jitter, seed`},
		{"throttle=1%,throttle=2%", `"throttle=2%": throttle is given twice`},
		{"throttle=70%,error5xx=40%", `"throttle=70%,error5xx=40%": throttle and error5xx add up to 110%, more than 100%`},
	}
	for _, tt := range bad {
		if _, err := ParseFaults(tt.spec); err == nil || err.Error() != tt.want {
			t.Errorf("ParseFaults(%q) error = %v\nwant %s", tt.spec, err, tt.want)
		}
	}
}

// upstream is a stand-in for moto: it answers everything with 200 and an empty JSON or XML document, and counts
// what is not a control request.
func upstream(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if !strings.HasPrefix(r.URL.Path, "/moto-api") {
			hits.Add(1)
		}
		if r.Header.Get("X-Amz-Target") != "" {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			fmt.Fprint(w, `{}`)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<?xml version="1.0"?><Response/>`)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func startProxy(t *testing.T, upstreamURL, spec string) *Proxy {
	t.Helper()
	f, err := ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	p, err := StartProxy(context.Background(), upstreamURL, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop() })
	return p
}

// fates sends n signed EC2-style requests one after another and returns the status of each.
func fates(t *testing.T, p *Proxy, n int) []int {
	t.Helper()
	var out []int
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest(http.MethodPost, p.Endpoint+"/", strings.NewReader("Action=DescribeVpcs&Version=2016-11-15"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		out = append(out, resp.StatusCode)
	}
	return out
}

func TestFaultsAreReproducibleWithTheSeed(t *testing.T) {
	up, _ := upstream(t)
	const n = 400
	a := fates(t, startProxy(t, up.URL, "throttle=20%,error5xx=10%,seed=7"), n)
	b := fates(t, startProxy(t, up.URL, "throttle=20%,error5xx=10%,seed=7"), n)
	c := fates(t, startProxy(t, up.URL, "throttle=20%,error5xx=10%,seed=8"), n)
	if !slices.Equal(a, b) {
		t.Errorf("two proxies with seed 7 answered the same %d requests differently", n)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 answered %d requests alike", n)
	}
	count := map[int]int{}
	for _, s := range a {
		count[s]++
	}
	// 20 % throttled (EC2: 503 RequestLimitExceeded), 10 % 500 or 503: about 80 + 20 503s, 20 500s, 280 200s.
	if count[200] < 240 || count[200] > 320 || count[500] < 5 || count[503] < 60 {
		t.Errorf("statuses of %d requests at throttle=20%%,error5xx=10%%: %v", n, count)
	}
}

// cfgFor is an SDK configuration pointed at endpoint, with retries disabled.
func cfgFor(t *testing.T, endpoint string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithSharedConfigProfile(""), config.WithBaseEndpoint(endpoint),
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// sdkCalls are one call of each service the stack uses, through the clients of its protocol.
var sdkCalls = []struct {
	service, protocol string
	call              func(ctx context.Context, cfg aws.Config) error
}{
	{"ec2", "ec2query", func(ctx context.Context, cfg aws.Config) error {
		_, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
		return err
	}},
	{"iam", "query", func(ctx context.Context, cfg aws.Config) error {
		_, err := iam.NewFromConfig(cfg).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")})
		return err
	}},
	{"sts", "query", func(ctx context.Context, cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}},
	{"rds", "query", func(ctx context.Context, cfg aws.Config) error {
		_, err := rds.NewFromConfig(cfg).DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
		return err
	}},
	{"elasticloadbalancing", "query", func(ctx context.Context, cfg aws.Config) error {
		_, err := elasticloadbalancingv2.NewFromConfig(cfg).DescribeLoadBalancers(ctx, &elasticloadbalancingv2.DescribeLoadBalancersInput{})
		return err
	}},
	{"autoscaling", "query", func(ctx context.Context, cfg aws.Config) error {
		_, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
		return err
	}},
	{"sns", "query", func(ctx context.Context, cfg aws.Config) error {
		_, err := sns.NewFromConfig(cfg).ListTopics(ctx, &sns.ListTopicsInput{})
		return err
	}},
	{"monitoring", "rpcv2cbor", func(ctx context.Context, cfg aws.Config) error {
		_, err := cloudwatch.NewFromConfig(cfg).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
		return err
	}},
	{"kms", "json", func(ctx context.Context, cfg aws.Config) error {
		_, err := kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{})
		return err
	}},
	{"logs", "json", func(ctx context.Context, cfg aws.Config) error {
		_, err := cloudwatchlogs.NewFromConfig(cfg).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
		return err
	}},
	{"wafv2", "json", func(ctx context.Context, cfg aws.Config) error {
		_, err := wafv2.NewFromConfig(cfg).ListWebACLs(ctx, &wafv2.ListWebACLsInput{Scope: wafv2types.ScopeRegional})
		return err
	}},
	{"secretsmanager", "json", func(ctx context.Context, cfg aws.Config) error {
		_, err := secretsmanager.NewFromConfig(cfg).ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
		return err
	}},
	{"ssm", "json", func(ctx context.Context, cfg aws.Config) error {
		_, err := ssm.NewFromConfig(cfg).DescribeParameters(ctx, &ssm.DescribeParametersInput{})
		return err
	}},
	{"s3", "restxml", func(ctx context.Context, cfg aws.Config) error {
		_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b")})
		return err
	}},
	{"route53", "restxml", func(ctx context.Context, cfg aws.Config) error {
		_, err := route53.NewFromConfig(cfg).ListHostedZones(ctx, &route53.ListHostedZonesInput{})
		return err
	}},
	{"cloudfront", "restxml", func(ctx context.Context, cfg aws.Config) error {
		_, err := cloudfront.NewFromConfig(cfg).ListDistributions(ctx, &cloudfront.ListDistributionsInput{})
		return err
	}},
	{"backup", "restjson", func(ctx context.Context, cfg aws.Config) error {
		_, err := backup.NewFromConfig(cfg).ListBackupVaults(ctx, &backup.ListBackupVaultsInput{})
		return err
	}},
}

// TestFaultShapesDecodedBySDK points the real SDK clients of each protocol at the proxy, with retries disabled,
// and checks that each sees the error code AWS sends, with a request ID, and that the standard retryer takes it
// for a throttle (throttle=100%) or a retryable server error (error5xx=100%). Nothing reaches the upstream.
func TestFaultShapesDecodedBySDK(t *testing.T) {
	ctx := context.Background()
	up, hits := upstream(t)
	throttleCodes := map[string]string{"ec2query": "RequestLimitExceeded", "query": "Throttling", "rpcv2cbor": "Throttling",
		"json": "ThrottlingException", "restjson": "ThrottlingException", "restxml": "Throttling"}
	throttles := retry.IsErrorThrottles(retry.DefaultThrottles)
	retryables := retry.IsErrorRetryables(retry.DefaultRetryables)
	for _, mode := range []string{"throttle=100%", "error5xx=100%"} {
		p := startProxy(t, up.URL, mode+",seed=3")
		cfg := cfgFor(t, p.Endpoint)
		seen5xx := map[string]bool{}
		for _, c := range sdkCalls {
			// A few calls each, so that error5xx meets both its 500 and its 503.
			for i := 0; i < 6; i++ {
				err := c.call(ctx, cfg)
				var apiErr smithy.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s %s (%s): want an API error, got %v", mode, c.service, c.protocol, err)
				}
				var withID interface{ ServiceRequestID() string }
				if !errors.As(err, &withID) || !strings.HasPrefix(withID.ServiceRequestID(), "ec2f4a17-") {
					t.Errorf("%s %s: the SDK read no request ID from the error: %v", mode, c.service, err)
				}
				if retryables.IsErrorRetryable(err) != aws.TrueTernary {
					t.Errorf("%s %s: the standard retryer would not retry %v", mode, c.service, err)
				}
				code := apiErr.ErrorCode()
				if mode == "throttle=100%" {
					want := throttleCodes[c.protocol]
					if c.service == "s3" {
						want = "SlowDown"
					}
					if code != want || throttles.IsErrorThrottle(err) != aws.TrueTernary {
						t.Errorf("%s %s (%s): code %q (throttle: %v), want %q, a throttle", mode, c.service, c.protocol, code, throttles.IsErrorThrottle(err), want)
					}
					continue
				}
				seen5xx[code] = true
				if throttles.IsErrorThrottle(err) == aws.TrueTernary {
					t.Errorf("%s %s: a server error taken for a throttle: %v", mode, c.service, err)
				}
				valid := []string{"InternalFailure", "ServiceUnavailable"}
				switch c.service {
				case "ec2":
					valid = []string{"InternalError", "Unavailable"}
				case "s3":
					valid = []string{"InternalError", "ServiceUnavailable"}
				}
				if !slices.Contains(valid, code) {
					t.Errorf("%s %s (%s): code %q, want one of %v", mode, c.service, c.protocol, code, valid)
				}
			}
		}
		st := p.Stats()
		want := int64(6 * len(sdkCalls))
		if st.Requests != want || st.Forwarded != 0 || st.Throttled+st.Errors5xx != want || st.Retries != 0 {
			t.Errorf("%s: stats %+v, want %d requests, all faulted, no retries", mode, st, want)
		}
		for _, c := range sdkCalls {
			if st.Services[c.service] == nil || st.Services[c.service].Requests != 6 {
				t.Errorf("%s: stats of %s = %+v, want 6 requests", mode, c.service, st.Services[c.service])
			}
		}
		if mode == "error5xx=100%" && len(seen5xx) < 4 {
			t.Errorf("error5xx=100%%: codes seen %v, want 500s and 503s", seen5xx)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("%d faulted requests reached the upstream", hits.Load())
	}
}

// TestFaultProxyPassesControlRequests: moto's control endpoints (the readiness ping, the shim's report, reset) are
// never faulted nor counted, the stats answer, and Connect recognizes the proxy and raises the attempts.
func TestFaultProxyPassesControlRequests(t *testing.T) {
	ctx := context.Background()
	up, _ := upstream(t)
	p := startProxy(t, up.URL, "throttle=100%,latency=20ms")
	for i := 0; i < 20; i++ {
		if err := Ping(ctx, p.Endpoint); err != nil {
			t.Fatalf("the readiness ping through the proxy: %v", err)
		}
	}
	start := time.Now()
	fates(t, p, 5)
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("5 requests at latency=20ms took %s", d)
	}
	st, err := FaultStatsAt(ctx, p.Endpoint)
	if err != nil || st.Requests != 5 || st.Throttled != 5 || st.Faults != "throttle=100%,error5xx=0%,latency=20ms,seed=1" {
		t.Fatalf("stats = %+v, %v", st, err)
	}
	s, err := Connect(ctx, p.Endpoint)
	if err != nil || s.Faults == nil || s.Faults.Throttle != 100 {
		t.Fatalf("Connect(proxy) = %+v, %v; want the faults recognized", s, err)
	}
	if got := s.Env("us-east-1")["AWS_MAX_ATTEMPTS"]; got != fmt.Sprint(FaultMaxAttempts) {
		t.Errorf("AWS_MAX_ATTEMPTS behind the proxy = %s, want %d", got, FaultMaxAttempts)
	}
	plain, err := Connect(ctx, up.URL)
	if err != nil || plain.Faults != nil || plain.Env("us-east-1")["AWS_MAX_ATTEMPTS"] != "2" {
		t.Errorf("Connect(moto) = %+v, %v; want no faults, 2 attempts", plain, err)
	}
	if _, err := FaultStatsAt(ctx, up.URL); err == nil {
		t.Errorf("FaultStatsAt(moto) answered")
	}
}

// TestRetriesConvergeWithoutTokenBucket: under many faults the SDK's default retry token bucket runs dry ("retry
// quota exceeded") while attempts remain; ec2stack's clients behind a fault proxy have none (as the provider),
// and each call succeeds once a fault-free attempt comes. The counters see every retry.
func TestRetriesConvergeWithoutTokenBucket(t *testing.T) {
	ctx := context.Background()
	up, hits := upstream(t)
	noWait := func(o *kms.Options) { o.Retryer = retry.AddWithMaxBackoffDelay(o.Retryer, 0) }

	p := startProxy(t, up.URL, "error5xx=100%")
	bucket := kms.NewFromConfig(cfgFor(t, p.Endpoint), func(o *kms.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.MaxAttempts = FaultMaxAttempts })
	}, noWait)
	var quota error
	for i := 0; i < 10 && quota == nil; i++ {
		if _, err := bucket.ListKeys(ctx, &kms.ListKeysInput{}); err != nil && strings.Contains(err.Error(), "retry quota exceeded") {
			quota = err
		}
	}
	if quota == nil {
		t.Errorf("the default token bucket never ran dry at error5xx=100%%")
	}

	p = startProxy(t, up.URL, "throttle=30%,error5xx=10%,seed=5")
	s := &Server{Endpoint: p.Endpoint, Faults: &Faults{Throttle: 30, Error5xx: 10, Seed: 5}}
	cfg, err := s.AWSConfig(ctx, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	client := kms.NewFromConfig(cfg, noWait)
	for i := 0; i < 200; i++ {
		if _, err := client.ListKeys(ctx, &kms.ListKeysInput{}); err != nil {
			t.Fatalf("call %d through throttle=30%%,error5xx=10%%: %v", i, err)
		}
	}
	st := p.Stats()
	faults := st.Throttled + st.Errors5xx
	if st.Forwarded != 200 || st.Retries != faults || faults < 50 || st.Exhausted != 0 || hits.Load() < 200 {
		t.Errorf("stats after 200 calls = %+v (upstream hits %d): want 200 forwarded, a retry per fault, none exhausted", st, hits.Load())
	}
	if got := st.Clients["aws-sdk-go-v2"]; got == nil || got.MaxAttempts[fmt.Sprint(FaultMaxAttempts)] != st.Requests {
		t.Errorf("client stats = %+v, want every request announcing max=%d", got, FaultMaxAttempts)
	}
}
