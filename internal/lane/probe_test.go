package lane

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is the probe's clock and sleep: sleeping advances the clock and records the wait, so the tests
// never wait for real.
type fakeClock struct {
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// script answers the requests in order with the given statuses and headers; the last answer repeats.
type script struct {
	mu      sync.Mutex
	answers []answer
	hits    int
	paths   []string
}

type answer struct {
	status     int
	retryAfter string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.answers[min(s.hits, len(s.answers)-1)]
	s.hits++
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.WriteHeader(a.status)
}

func probe(url string, c *fakeClock) Probe {
	return Probe{URL: url, Timeout: 10 * time.Minute, Now: c.Now, Sleep: c.Sleep}
}

// TestProbeFollowsTheAnswers: 503 with Retry-After waits as told; 502 and 504 without it back off 2 s, 4 s;
// then 200 ends the probe.
func TestProbeFollowsTheAnswers(t *testing.T) {
	s := &script{answers: []answer{{503, "7"}, {502, ""}, {504, ""}, {200, ""}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := &fakeClock{now: time.Unix(0, 0)}
	res, err := probe(srv.URL+HealthPath, c).Run(context.Background())
	if err != nil || !res.OK() || res.Status != 200 || res.Attempts != 4 {
		t.Fatalf("probe: %+v, %v", res, err)
	}
	if want := []time.Duration{7 * time.Second, 2 * time.Second, 4 * time.Second}; !slices.Equal(res.Waits, want) || !slices.Equal(c.waits, want) {
		t.Errorf("waits %v (slept %v), want %v", res.Waits, c.waits, want)
	}
	if res.Elapsed != 13*time.Second || s.paths[0] != HealthPath {
		t.Errorf("elapsed %s, paths %v", res.Elapsed, s.paths)
	}
}

// TestProbeRetryAfterDate: Retry-After as an HTTP date waits until then.
func TestProbeRetryAfterDate(t *testing.T) {
	c := &fakeClock{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	s := &script{answers: []answer{{429, c.now.Add(90 * time.Second).Format(http.TimeFormat)}, {204, ""}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	res, err := probe(srv.URL+HealthPath, c).Run(context.Background())
	if err != nil || res.Status != 204 || !slices.Equal(res.Waits, []time.Duration{90 * time.Second}) {
		t.Errorf("probe: %+v, %v", res, err)
	}
}

// TestProbeDeadline: an application that never answers 2xx fails the probe at the deadline, the backoff capped
// at 30 s and the last wait cut to what is left.
func TestProbeDeadline(t *testing.T) {
	s := &script{answers: []answer{{503, ""}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := &fakeClock{now: time.Unix(0, 0)}
	p := probe(srv.URL+HealthPath, c)
	p.Timeout = 2 * time.Minute
	res, err := p.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no 2xx within 2m0s") || !strings.Contains(err.Error(), "503 Service Unavailable") {
		t.Fatalf("probe: %+v, %v", res, err)
	}
	want := []time.Duration{2, 4, 8, 16, 30, 30, 30}
	for i := range want {
		want[i] *= time.Second
	}
	if !slices.Equal(res.Waits, want) || c.now.Sub(time.Unix(0, 0)) != 2*time.Minute || res.Attempts != len(want)+1 {
		t.Errorf("waits %v, %d attempts, clock at %s", res.Waits, res.Attempts, c.now.Sub(time.Unix(0, 0)))
	}
}

// TestProbeGivesUpOnFinalAnswers: 404 and 403 do not change by waiting: one attempt, no wait.
func TestProbeGivesUpOnFinalAnswers(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusForbidden} {
		s := &script{answers: []answer{{status, ""}}}
		srv := httptest.NewServer(s)
		c := &fakeClock{now: time.Unix(0, 0)}
		res, err := probe(srv.URL+HealthPath, c).Run(context.Background())
		srv.Close()
		if err == nil || res.Attempts != 1 || len(c.waits) != 0 || !strings.Contains(err.Error(), "waiting will not change that") {
			t.Errorf("status %d: %+v, %v", status, res, err)
		}
	}
}

// roundTrip is an http.RoundTripper from a function.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestProbeRetriesWithoutAnAnswer: a name that does not resolve yet (a new load balancer) is retried.
func TestProbeRetriesWithoutAnAnswer(t *testing.T) {
	s := &script{answers: []answer{{200, ""}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	calls := 0
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls <= 2 {
			return nil, errors.New("dial tcp: lookup ec2t-abc123-dev-1.us-east-1.elb.amazonaws.com: no such host")
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := &fakeClock{now: time.Unix(0, 0)}
	p := probe(srv.URL+HealthPath, c)
	p.Client = client
	var logged []string
	p.Log = func(format string, a ...any) { logged = append(logged, format) }
	res, err := p.Run(context.Background())
	if err != nil || res.Attempts != 3 || !slices.Equal(res.Waits, []time.Duration{2 * time.Second, 4 * time.Second}) || len(logged) != 3 {
		t.Errorf("probe: %+v, %v, %d log lines", res, err, len(logged))
	}
}

// TestProbeStopsWithItsContext: cancelling the context ends the probe during a wait.
func TestProbeStopsWithItsContext(t *testing.T) {
	s := &script{answers: []answer{{503, ""}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	c := &fakeClock{now: time.Unix(0, 0)}
	p := probe(srv.URL+HealthPath, c)
	p.Sleep = func(context.Context, time.Duration) error { cancel(); return ctx.Err() }
	if _, err := p.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("probe after cancel: %v", err)
	}
}
