package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Fault injection: a proxy of ec2stack's own in front of moto answers a share of the AWS API requests with the
// throttling and server errors AWS answers with, in each protocol's own shape, so that the stack can be proven to
// converge under the retries of the SDKs and the provider (docs/emulator.md, "Faults").

// FaultStatsPath is where the fault proxy answers with its counters (GET, JSON); it is never forwarded to moto.
const FaultStatsPath = "/ec2stack-faults/stats"

// DefaultFaultSeed seeds the fault proxy's PRNG when the spec gives no seed=N.
const DefaultFaultSeed = 1

// FaultMaxAttempts is how many attempts ec2stack's own SDK clients (state bucket, verify, history) get per call,
// without a retry token bucket, when the emulator's endpoint is a fault proxy; the process environment of
// terraform says the same (AWS_MAX_ATTEMPTS). Measured with provider 5.100 and terraform 1.11: the provider
// ignores AWS_MAX_ATTEMPTS (its max_retries, default 25, wins) and has no token bucket, and the S3 backend keeps its
// max_retries of 5, so only ec2stack's clients, at 2 attempts, would fail a run: at 12 % faults one call in 70
// fails twice. At 8 a call fails with a chance of 0.12^8 (4e-8) (docs/emulator.md, "Faults").
const FaultMaxAttempts = 8

const maxFaultLatency = 10 * time.Second

var faultKeys = []string{"throttle", "error5xx", "latency", "jitter", "seed"}

// Faults is what the fault proxy does to the AWS API requests it forwards to moto.
type Faults struct {
	Throttle float64       // percent (0-100) of requests answered with the service's throttling error
	Error5xx float64       // percent answered with a server error (500 or 503, half each)
	Latency  time.Duration // added to every request
	Jitter   time.Duration // up to this much more, drawn per request
	Seed     uint64        // of the PRNG that decides, so that one order of requests meets the same faults
}

// ParseFaults reads a spec such as "throttle=10%,error5xx=2%,latency=50ms": comma-separated KEY=VALUE pairs of
// throttle and error5xx (percentages, together at most 100%), latency and jitter (durations up to 10s) and seed (a
// whole number, default 1). The error quotes the bad pair and says the rule.
func ParseFaults(spec string) (Faults, error) {
	f := Faults{Seed: DefaultFaultSeed}
	if strings.TrimSpace(spec) == "" {
		return f, fmt.Errorf("%q: want KEY=VALUE pairs separated by commas, keys %s (e.g. throttle=10%%,error5xx=2%%,latency=50ms)",
			spec, strings.Join(faultKeys, ", "))
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		key, value, ok := strings.Cut(item, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case !ok || key == "":
			return f, fmt.Errorf("%q: want KEY=VALUE, keys %s", item, strings.Join(faultKeys, ", "))
		case !slices.Contains(faultKeys, key):
			return f, fmt.Errorf("%q: unknown key %s: valid keys are %s", item, key, strings.Join(faultKeys, ", "))
		case seen[key]:
			return f, fmt.Errorf("%q: %s is given twice", item, key)
		}
		seen[key] = true
		var err error
		switch key {
		case "throttle":
			f.Throttle, err = parsePercent(key, value)
		case "error5xx":
			f.Error5xx, err = parsePercent(key, value)
		case "latency":
			f.Latency, err = parseFaultDuration(key, value)
		case "jitter":
			f.Jitter, err = parseFaultDuration(key, value)
		case "seed":
			if f.Seed, err = strconv.ParseUint(value, 10, 64); err != nil {
				err = fmt.Errorf("seed must be a whole number from 0 to %d", uint64(math.MaxUint64))
			}
		}
		if err != nil {
			return f, fmt.Errorf("%q: %w", item, err)
		}
	}
	if f.Throttle+f.Error5xx > 100 {
		return f, fmt.Errorf("%q: throttle and error5xx add up to %s%%, more than 100%%", spec, formatPercent(f.Throttle+f.Error5xx))
	}
	return f, nil
}

func parsePercent(key, value string) (float64, error) {
	num, ok := strings.CutSuffix(value, "%")
	v, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || math.IsNaN(v) || v < 0 || v > 100 {
		return 0, fmt.Errorf("%s must be a percentage between 0%% and 100%% (e.g. %s=10%%)", key, key)
	}
	return v, nil
}

func parseFaultDuration(key, value string) (time.Duration, error) {
	d, err := time.ParseDuration(value)
	if err != nil || d < 0 || d > maxFaultLatency {
		return 0, fmt.Errorf("%s must be a duration between 0s and %s (e.g. %s=50ms)", key, maxFaultLatency, key)
	}
	return d, nil
}

func formatPercent(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// String is the spec in its canonical form (ParseFaults reads it back): throttle, error5xx, latency and jitter
// when set, and the seed.
func (f Faults) String() string {
	parts := []string{"throttle=" + formatPercent(f.Throttle) + "%", "error5xx=" + formatPercent(f.Error5xx) + "%"}
	if f.Latency > 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}
	if f.Jitter > 0 {
		parts = append(parts, "jitter="+f.Jitter.String())
	}
	return strings.Join(append(parts, "seed="+strconv.FormatUint(f.Seed, 10)), ",")
}

// FaultStats are the fault proxy's counters since it started (GET FaultStatsPath). Control requests (moto's
// /moto-api/, the stats themselves) are not counted.
type FaultStats struct {
	Faults    string `json:"faults"`     // the spec, canonical
	Requests  int64  `json:"requests"`   // AWS API requests received
	Throttled int64  `json:"throttled"`  // answered with a throttling error
	Errors5xx int64  `json:"errors_5xx"` // answered with an injected 500 or 503
	Forwarded int64  `json:"forwarded"`  // passed on to moto
	// Retries counts requests that an SDK sent again after a failed attempt (its amz-sdk-request header says
	// attempt=2 or more): the retries the faults caused, and any of moto's own errors.
	Retries    int64 `json:"retries"`
	MaxAttempt int   `json:"max_attempt"` // the highest attempt number seen
	// Exhausted counts faults injected into a client's last allowed attempt (attempt = max): the call failed for
	// good, unless the caller retries it itself.
	Exhausted   int64                    `json:"exhausted"`
	Upstream5xx int64                    `json:"upstream_5xx"` // moto's own 5xx answers (not injected)
	Services    map[string]*ServiceStats `json:"services"`     // by signing service (ec2, iam, s3, ...)
	// Clients are the counters by caller: terraform-provider-aws, terraform (its S3 backend), aws-sdk-go-v2
	// (ec2stack's own clients) or other, with the attempt limits they announced (max=N -> requests).
	Clients map[string]*ClientStats `json:"clients"`
}

// ServiceStats are the fault proxy's counters of one service.
type ServiceStats struct {
	Requests    int64 `json:"requests"`
	Throttled   int64 `json:"throttled"`
	Errors5xx   int64 `json:"errors_5xx"`
	Retries     int64 `json:"retries"`
	Exhausted   int64 `json:"exhausted,omitempty"`
	Upstream5xx int64 `json:"upstream_5xx,omitempty"`
}

// ClientStats are the fault proxy's counters of one kind of caller.
type ClientStats struct {
	Requests    int64            `json:"requests"`
	Retries     int64            `json:"retries"`
	Exhausted   int64            `json:"exhausted,omitempty"`
	MaxAttempts map[string]int64 `json:"max_attempts"`
}

// Summary is the counters in one line.
func (s FaultStats) Summary() string {
	return fmt.Sprintf("%d requests, %d throttled, %d 5xx injected, %d retries seen (highest attempt %d), %d calls out of attempts, %d moto 5xx",
		s.Requests, s.Throttled, s.Errors5xx, s.Retries, s.MaxAttempt, s.Exhausted, s.Upstream5xx)
}

// Proxy is the fault proxy: it answers a share of the requests with injected errors and forwards the rest to
// moto. Control requests (/moto-api/..., which includes ec2stack's readiness ping and preflight) always pass.
type Proxy struct {
	Endpoint string // http://127.0.0.1:PORT
	Port     int

	faults  Faults
	forward *httputil.ReverseProxy
	srv     *http.Server
	served  chan error
	stopped chan struct{}
	stop    sync.Once

	mu    sync.Mutex
	rng   *rand.Rand
	stats FaultStats
}

// StartProxy serves f in front of upstream on a free loopback port until Stop (or ctx ends).
func StartProxy(ctx context.Context, upstream string, f Faults) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fault proxy: finding a free port: %w", err)
	}
	p, err := newProxy(ln, upstream, f)
	if err != nil {
		ln.Close()
		return nil, err
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = p.Stop()
		case <-p.stopped:
		}
	}()
	return p, nil
}

// ServeProxy serves f in front of upstream on ln until ctx ends (the detached proxy of `emulator start --faults`).
func ServeProxy(ctx context.Context, ln net.Listener, upstream string, f Faults) error {
	p, err := newProxy(ln, upstream, f)
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return p.Stop()
	case err := <-p.served:
		return err
	}
}

func newProxy(ln net.Listener, upstream string, f Faults) (*Proxy, error) {
	ep, err := ValidateEndpoint(upstream)
	if err != nil {
		return nil, fmt.Errorf("fault proxy upstream: %w", err)
	}
	target, _ := url.Parse(ep)
	port := ln.Addr().(*net.TCPAddr).Port
	p := &Proxy{
		Endpoint: endpointFor(port), Port: port, faults: f, served: make(chan error, 1), stopped: make(chan struct{}),
		rng:   rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15)),
		stats: FaultStats{Faults: f.String(), Services: map[string]*ServiceStats{}, Clients: map[string]*ClientStats{}},
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	p.forward = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host // what the client signed, and what moto builds its URLs from
		},
		Transport: transport,
		ModifyResponse: func(resp *http.Response) error {
			if resp.StatusCode >= 500 && !isControl(resp.Request.URL.Path) {
				p.countUpstream5xx(signingService(resp.Request))
			}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if !isControl(r.URL.Path) {
				p.countUpstream5xx(signingService(r))
			}
			http.Error(w, "ec2stack fault proxy: moto at "+ep+" did not answer: "+err.Error(), http.StatusBadGateway)
		},
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 30 * time.Second}
	go func() { p.served <- p.srv.Serve(ln) }()
	return p, nil
}

// Faults is what the proxy injects.
func (p *Proxy) Faults() Faults { return p.faults }

// Stats returns a copy of the counters.
func (p *Proxy) Stats() FaultStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Services = make(map[string]*ServiceStats, len(p.stats.Services))
	for k, v := range p.stats.Services {
		c := *v
		s.Services[k] = &c
	}
	s.Clients = make(map[string]*ClientStats, len(p.stats.Clients))
	for k, v := range p.stats.Clients {
		c := *v
		c.MaxAttempts = make(map[string]int64, len(v.MaxAttempts))
		for n, m := range v.MaxAttempts {
			c.MaxAttempts[n] = m
		}
		s.Clients[k] = &c
	}
	return s
}

// Stop closes the listener, lets requests in flight finish (5 s at most) and ends the server.
func (p *Proxy) Stop() error {
	var err error
	p.stop.Do(func() {
		defer close(p.stopped)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err = p.srv.Shutdown(ctx); err != nil {
			err = p.srv.Close()
		}
	})
	return err
}

func isControl(path string) bool {
	return path == "/moto-api" || strings.HasPrefix(path, "/moto-api/") || strings.HasPrefix(path, "/ec2stack-faults/")
}

// ServeHTTP answers the stats, forwards control requests, and decides every other request's fate.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == FaultStatsPath {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(p.Stats())
		return
	}
	if isControl(r.URL.Path) {
		p.forward.ServeHTTP(w, r)
		return
	}
	req := classify(r)
	d := p.decide(req)
	if d.delay > 0 {
		t := time.NewTimer(d.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if d.fault == noFault {
		p.forward.ServeHTTP(w, r)
		return
	}
	writeFault(w, req, d)
}

type faultKind int

const (
	noFault faultKind = iota
	throttleFault
	serverFault
)

type decision struct {
	fault     faultKind
	status503 bool // a server fault answers 503 rather than 500
	delay     time.Duration
	requestID string
}

// decide draws the request's fate and counts it. Every request takes exactly two draws from the PRNG, so the n-th
// request meets the same fate in every run with the same seed.
func (p *Proxy) decide(req apiRequest) decision {
	p.mu.Lock()
	defer p.mu.Unlock()
	r1, r2 := p.rng.Float64(), p.rng.Float64()
	s := &p.stats
	s.Requests++
	d := decision{delay: p.faults.Latency + time.Duration(r2*float64(p.faults.Jitter)),
		requestID: fmt.Sprintf("ec2f4a17-0000-4000-8000-%012d", s.Requests)}
	switch {
	case r1*100 < p.faults.Throttle:
		d.fault = throttleFault
	case r1*100 < p.faults.Throttle+p.faults.Error5xx:
		d.fault, d.status503 = serverFault, r2 >= 0.5
	}
	svc := s.Services[req.service]
	if svc == nil {
		svc = &ServiceStats{}
		s.Services[req.service] = svc
	}
	cl := s.Clients[req.client]
	if cl == nil {
		cl = &ClientStats{MaxAttempts: map[string]int64{}}
		s.Clients[req.client] = cl
	}
	svc.Requests++
	cl.Requests++
	if req.maxAttempts > 0 {
		cl.MaxAttempts[strconv.Itoa(req.maxAttempts)]++
	}
	if req.attempt > 1 {
		s.Retries++
		svc.Retries++
		cl.Retries++
	}
	s.MaxAttempt = max(s.MaxAttempt, req.attempt)
	switch d.fault {
	case throttleFault:
		s.Throttled++
		svc.Throttled++
	case serverFault:
		s.Errors5xx++
		svc.Errors5xx++
	default:
		s.Forwarded++
	}
	if d.fault != noFault && req.maxAttempts > 0 && req.attempt >= req.maxAttempts {
		s.Exhausted++
		svc.Exhausted++
		cl.Exhausted++
	}
	return d
}

func (p *Proxy) countUpstream5xx(service string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.Upstream5xx++
	if svc := p.stats.Services[service]; svc != nil {
		svc.Upstream5xx++
	}
}

// The protocols of AWS APIs, each with its own error shape.
type protocol int

const (
	protoQuery    protocol = iota // awsQuery: form-encoded Action=..., <ErrorResponse>
	protoEC2                      // ec2Query: <Response><Errors>
	protoJSON                     // awsJson1_0/1_1: X-Amz-Target, {"__type": ...}
	protoCBOR                     // Smithy RPC v2 CBOR (CloudWatch in recent SDKs)
	protoRESTXML                  // S3, Route 53, CloudFront
	protoRESTJSON                 // Backup, DLM, ...: X-Amzn-ErrorType
)

type apiRequest struct {
	protocol        protocol
	service         string // signing service from the SigV4 credential scope ("unsigned" without one)
	client          string
	attempt         int // amz-sdk-request attempt=N (0: not said)
	maxAttempts     int // amz-sdk-request max=N
	queryCompatible bool
	jsonContentType string
	head            bool
}

var credentialScope = regexp.MustCompile(`Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request`)

func signingService(r *http.Request) string {
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[1]
	}
	if c := r.URL.Query().Get("X-Amz-Credential"); c != "" { // presigned
		if parts := strings.Split(c, "/"); len(parts) == 5 {
			return parts[3]
		}
	}
	return "unsigned"
}

// classify tells the protocol from the request: the CBOR protocol header; X-Amz-Target (JSON); EC2 by its signing
// service; the REST-XML services by theirs; a form-encoded body or an Action parameter (query); else REST-JSON.
func classify(r *http.Request) apiRequest {
	req := apiRequest{service: signingService(r), client: clientKind(r.Header.Get("User-Agent")), head: r.Method == http.MethodHead,
		queryCompatible: r.Header.Get("X-Amzn-Query-Mode") == "true"}
	for _, part := range strings.Split(r.Header.Get("Amz-Sdk-Request"), ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "attempt":
			req.attempt = n
		case "max":
			req.maxAttempts = n
		}
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor"):
		req.protocol = protoCBOR
	case r.Header.Get("X-Amz-Target") != "":
		req.protocol = protoJSON
		req.jsonContentType = "application/x-amz-json-1.1"
		if strings.HasPrefix(ct, "application/x-amz-json-") {
			req.jsonContentType = ct
		}
	case req.service == "ec2":
		req.protocol = protoEC2
	case req.service == "s3" || req.service == "route53" || req.service == "cloudfront":
		req.protocol = protoRESTXML
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded") || r.URL.Query().Get("Action") != "":
		req.protocol = protoQuery
	default:
		req.protocol = protoRESTJSON
	}
	return req
}

func clientKind(userAgent string) string {
	switch {
	case strings.Contains(userAgent, "terraform-provider-aws"):
		return "terraform-provider-aws"
	case strings.Contains(userAgent, "Terraform/"):
		return "terraform"
	case strings.Contains(userAgent, "aws-sdk-go-v2"):
		return "aws-sdk-go-v2"
	}
	return "other"
}

// awsError is one injected error: its HTTP status, code, fault type (Sender/Receiver) and message.
type awsError struct {
	status        int
	code, message string
	sender        bool
}

func faultError(req apiRequest, d decision) awsError {
	if d.fault == throttleFault {
		switch {
		case req.protocol == protoEC2:
			return awsError{http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.", true}
		case req.protocol == protoRESTXML && req.service == "s3":
			return awsError{http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.", true}
		case req.protocol == protoQuery || req.protocol == protoRESTXML:
			return awsError{http.StatusBadRequest, "Throttling", "Rate exceeded", true}
		}
		return awsError{http.StatusBadRequest, "ThrottlingException", "Rate exceeded", true}
	}
	switch {
	case req.protocol == protoEC2 && d.status503:
		return awsError{http.StatusServiceUnavailable, "Unavailable", "The server is overloaded and can't handle the request.", false}
	case req.protocol == protoEC2:
		return awsError{http.StatusInternalServerError, "InternalError", "An internal error has occurred.", false}
	case req.service == "s3" && d.status503:
		return awsError{http.StatusServiceUnavailable, "ServiceUnavailable", "Service is unable to handle request.", false}
	case req.service == "s3":
		return awsError{http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.", false}
	case d.status503:
		return awsError{http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", false}
	}
	return awsError{http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", false}
}

// queryCode is the awsQuery error code of e, for the X-Amzn-Query-Error header of query-compatible JSON and
// CBOR services (CloudWatch): ThrottlingException is Throttling there.
func (e awsError) queryCode() string {
	code := strings.TrimSuffix(e.code, "Exception")
	if e.sender {
		return code + ";Sender"
	}
	return code + ";Receiver"
}

func writeFault(w http.ResponseWriter, req apiRequest, d decision) {
	e := faultError(req, d)
	h := w.Header()
	h.Set("x-amzn-RequestId", d.requestID)
	h.Set("x-amz-request-id", d.requestID)
	typ := "Receiver"
	if e.sender {
		typ = "Sender"
	}
	var body []byte
	switch req.protocol {
	case protoEC2:
		h.Set("Content-Type", "text/xml;charset=UTF-8")
		body = fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
			`<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>`,
			e.code, xmlText(e.message), d.requestID)
	case protoRESTXML:
		h.Set("Content-Type", "application/xml")
		if req.service == "s3" {
			h.Set("x-amz-id-2", "ec2stack-fault-proxy")
			body = fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
				`<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId><HostId>ec2stack-fault-proxy</HostId></Error>`,
				e.code, xmlText(e.message), d.requestID)
			break
		}
		body = fmt.Appendf(nil, `<?xml version="1.0"?>`+"\n"+
			`<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
			typ, e.code, xmlText(e.message), d.requestID)
	case protoQuery:
		h.Set("Content-Type", "text/xml")
		body = fmt.Appendf(nil, `<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
			typ, e.code, xmlText(e.message), d.requestID)
	case protoJSON:
		h.Set("Content-Type", req.jsonContentType)
		body, _ = json.Marshal(map[string]string{"__type": e.code, "message": e.message})
	case protoCBOR:
		h.Set("Content-Type", "application/cbor")
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		body = cbor.Encode(cbor.Map{"__type": cbor.String(e.code), "message": cbor.String(e.message)})
	case protoRESTJSON:
		h.Set("Content-Type", "application/json")
		h.Set("X-Amzn-ErrorType", e.code)
		body, _ = json.Marshal(map[string]string{"message": e.message})
	}
	if req.queryCompatible {
		h.Set("X-Amzn-Query-Error", e.queryCode())
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	if !req.head {
		_, _ = w.Write(body)
	}
}

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&apos;").Replace(s)
}

// FaultStatsAt reads the counters of the fault proxy at endpoint; an error when endpoint is not one (plain moto).
func FaultStatsAt(ctx context.Context, endpoint string) (*FaultStats, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+FaultStatsPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var s FaultStats
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&s) != nil || s.Faults == "" {
		return nil, fmt.Errorf("%s at %s is not ec2stack's fault proxy (%s)", FaultStatsPath, endpoint, resp.Status)
	}
	return &s, nil
}

// ServeInheritedProxy is the detached fault proxy's process (`emulator start --faults`): it serves spec in front of
// upstream on the listening socket its parent passed as fd 3 (see startProxy), until ctx ends.
func ServeInheritedProxy(ctx context.Context, upstream, spec string) error {
	f, err := ParseFaults(spec)
	if err != nil {
		return fmt.Errorf("fault proxy: %w", err)
	}
	sock := os.NewFile(3, "fault-proxy-listener")
	if sock == nil {
		return errors.New("fault proxy: no listening socket on fd 3")
	}
	ln, err := net.FileListener(sock)
	sock.Close()
	if err != nil {
		return fmt.Errorf("fault proxy: listening socket on fd 3: %w", err)
	}
	if err := ServeProxy(ctx, ln, upstream, f); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("fault proxy: %w", err)
	}
	return nil
}

// startProxy puts a detached fault proxy (command + UPSTREAM SPEC, in its own process group, on a free loopback
// port it inherits as fd 3) in front of s, and waits until it answers; from then on s's Endpoint is the proxy's.
func (s *Server) startProxy(ctx context.Context, command []string, f Faults, logFile string) error {
	if len(command) == 0 {
		return errors.New("fault proxy: no command to run it")
	}
	sock, port, err := listenLoopback()
	if err != nil {
		return fmt.Errorf("fault proxy: finding a free port: %w", err)
	}
	defer sock.Close()
	cmd := exec.Command(command[0], append(slices.Clone(command[1:]), s.Endpoint, f.String())...)
	cmd.ExtraFiles = []*os.File{sock}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := attachLog(cmd, logFile); err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the fault proxy: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.MotoEndpoint, s.Endpoint, s.Port = s.Endpoint, endpointFor(port), port
	s.ProxyPID, s.proxyDone, s.Faults = cmd.Process.Pid, done, &f

	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := FaultStatsAt(ctx, s.Endpoint); err == nil {
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("the fault proxy exited before answering on %s (see %s)", s.Endpoint, logFile)
		case <-ctx.Done():
			return fmt.Errorf("the fault proxy did not answer on %s within %s", s.Endpoint, ReadyTimeout)
		case <-tick.C:
		}
	}
}
