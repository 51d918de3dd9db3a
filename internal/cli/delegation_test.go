package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/emulator"
)

type resolverFunc func(ctx context.Context, name string) ([]*net.NS, error)

func (f resolverFunc) LookupNS(ctx context.Context, name string) ([]*net.NS, error) {
	return f(ctx, name)
}

// TestFirstBringUpDelegation drives the DNS step of a first bring-up on moto (the step runs on AWS only; moto
// validates certificates at once and has no public DNS, so the resolver is the test's): a plan that creates the
// hosted zone applies the zone alone and stops naming its name servers; the next apply waits while the DNS does
// not delegate to them, and goes on once it does.
func TestFirstBringUpDelegation(t *testing.T) {
	needsMoto(t)
	home := fixtureRepo(t)
	copyFiles(t, map[string]string{filepath.Join("testdata", "zone-root", "zone.tf"): filepath.Join(home, "terraform", "envs", "dev", "zone.tf")})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	moto, err := emulator.Start(ctx, emulator.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = moto.Stop() })
	var out bytes.Buffer
	c := &command{opts: options{verb: "apply", env: "dev", target: "emulator", endpoint: moto.Endpoint}, stdout: &out, stderr: &out}
	s, err := c.prepare(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.init(ctx); err != nil {
		t.Fatal(err)
	}
	notDelegated := resolverFunc(func(context.Context, string) ([]*net.NS, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "app.fixture.example", IsNotFound: true}
	})

	// Step 1: the plan creates the zone: only the zone is applied, and the error names its name servers.
	if _, err := s.runner.Plan(ctx, nil); err != nil {
		t.Fatal(err)
	}
	step1 := c.delegation(ctx, s, notDelegated)
	var d *delegationError
	if !errors.As(step1, &d) || fail(&bytes.Buffer{}, step1) != ExitDelegation {
		t.Fatalf("first apply: %v, want a delegation error (exit %d)", step1, ExitDelegation)
	}
	state, err := s.runner.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	z, ok := deploy.ManagedZone(state)
	if !ok || len(z.NameServers) == 0 || len(state.Values.RootModule.Resources) != 1 {
		t.Fatalf("after step 1 the state must hold the zone alone, with name servers: %+v (%d resources)", z, len(state.Values.RootModule.Resources))
	}
	if !strings.Contains(step1.Error(), "created hosted zone app.fixture.example ("+z.ID+")") ||
		!strings.Contains(step1.Error(), "set NS records for app.fixture.example to "+strings.Join(z.NameServers, " ")) {
		t.Errorf("step 1 must say which zone it created and what to delegate to: %v", step1)
	}
	if s.runner.HasPlan() {
		t.Error("the saved plan is stale after step 1 and must be gone")
	}

	// Step 2, not delegated yet: nothing more is applied.
	if _, err := s.runner.Plan(ctx, nil); err != nil {
		t.Fatal(err)
	}
	err = c.delegation(ctx, s, notDelegated)
	if !errors.As(err, &d) || !strings.Contains(err.Error(), "is not delegated yet") {
		t.Fatalf("apply before the delegation: %v, want it to wait", err)
	}
	// Delegated: the rest applies.
	delegated := resolverFunc(func(_ context.Context, name string) ([]*net.NS, error) {
		var ns []*net.NS
		for _, n := range z.NameServers {
			ns = append(ns, &net.NS{Host: n + "."})
		}
		return ns, nil
	})
	if err := c.delegation(ctx, s, delegated); err != nil {
		t.Fatalf("apply once delegated: %v", err)
	}
	if err := s.runner.Apply(ctx, nil); err != nil {
		t.Fatal(err)
	}
}
