package lane

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// HealthPath is what the probe asks the application for (the target group's health check).
const HealthPath = "/health"

// Probe asks the application for its health page until it answers 2xx, it answers something that waiting will
// not change, or the deadline passes. How long it waits between attempts follows the answer: a Retry-After
// header is honoured; otherwise 502/503/504 (the load balancer has no healthy target yet), 429, other 5xx and
// connection or DNS errors (a new load balancer's name takes a while to resolve) back off exponentially from
// Backoff to MaxBackoff. Other 4xx and redirects that end elsewhere fail at once.
type Probe struct {
	URL        string
	Timeout    time.Duration // the deadline for the whole probe
	Backoff    time.Duration // first wait (default 2 s)
	MaxBackoff time.Duration // longest wait (default 30 s)
	Client     *http.Client  // default: 10 s per attempt, redirects followed

	// For tests: the clock and the wait between attempts (default time.Now and a timer that ctx can stop).
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// Log, if set, hears of every attempt.
	Log func(format string, a ...any)
}

// ProbeResult is how the probe ended.
type ProbeResult struct {
	URL      string
	Status   int // the last HTTP status (0: no answer)
	Attempts int
	Elapsed  time.Duration
	Waits    []time.Duration // the waits between attempts, in order
}

// OK reports whether the application answered 2xx.
func (r ProbeResult) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Run probes until success, a final answer or the deadline.
func (p Probe) Run(ctx context.Context) (ProbeResult, error) {
	now, sleep, client := p.Now, p.Sleep, p.Client
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = sleepCtx
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	backoff, maxBackoff := p.Backoff, p.MaxBackoff
	if backoff <= 0 {
		backoff = 2 * time.Second
	}
	if maxBackoff <= 0 {
		maxBackoff = 30 * time.Second
	}
	start := now()
	deadline := start.Add(p.Timeout)
	res := ProbeResult{URL: p.URL}
	next := backoff
	for {
		res.Attempts++
		status, retryAfter, err := p.attempt(ctx, client, now())
		res.Status = status
		res.Elapsed = now().Sub(start)
		if p.Log != nil {
			p.Log("GET %s: %s (attempt %d, %s)", p.URL, describe(status, err), res.Attempts, res.Elapsed.Round(time.Second))
		}
		if res.OK() {
			return res, nil
		}
		if !retryable(status) {
			return res, fmt.Errorf("GET %s answered %s: waiting will not change that", p.URL, describe(status, err))
		}
		wait := next
		if retryAfter > 0 {
			wait = retryAfter
		} else {
			next = min(2*next, maxBackoff)
		}
		if left := deadline.Sub(now()); wait > left {
			if left <= 0 {
				return res, fmt.Errorf("GET %s: no 2xx within %s (%d attempts; last: %s)", p.URL, p.Timeout, res.Attempts, describe(status, err))
			}
			wait = left
		}
		res.Waits = append(res.Waits, wait)
		if err := sleep(ctx, wait); err != nil {
			return res, fmt.Errorf("GET %s: %w", p.URL, err)
		}
	}
}

// attempt makes one request; status 0 means no HTTP answer (err says why).
func (p Probe) attempt(ctx context.Context, client *http.Client, at time.Time) (status int, retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return -1, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, 0, ctx.Err()
		}
		return 0, 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, parseRetryAfter(resp.Header.Get("Retry-After"), at), nil
}

// retryable: no answer yet (0), throttled, or a server-side error; -1 is a request that cannot be made.
func retryable(status int) bool {
	return status == 0 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date (0 when absent or unreadable).
func parseRetryAfter(v string, at time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(at) {
		return t.Sub(at)
	}
	return 0
}

func describe(status int, err error) string {
	switch {
	case err != nil:
		var target interface{ Timeout() bool }
		if errors.As(err, &target) && target.Timeout() {
			return "timed out"
		}
		return err.Error()
	case status > 0:
		return strconv.Itoa(status) + " " + http.StatusText(status)
	}
	return "no answer"
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
