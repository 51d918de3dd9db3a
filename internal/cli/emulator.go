package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/ec2stack/ec2stack/internal/emulator"
)

// faultProxyVerb is the hidden command the detached fault proxy of `emulator start --faults` runs as:
// `ec2stack __fault-proxy UPSTREAM SPEC`, serving on the listening socket passed as fd 3 until SIGTERM.
const faultProxyVerb = "__fault-proxy"

func serveFaultProxy(ctx context.Context, args []string, stderr io.Writer) int {
	if len(args) != 2 {
		return fail(stderr, usagef("usage: ec2stack %s UPSTREAM SPEC (started by `ec2stack emulator start --faults`)", faultProxyVerb))
	}
	fmt.Fprintf(stderr, "fault proxy (pid %d) in front of %s: %s\n", os.Getpid(), args[0], args[1])
	return fail(stderr, emulator.ServeInheritedProxy(ctx, args[0], args[1]))
}

func (c *command) emulator(ctx context.Context) error {
	if c.opts.endpoint != "" {
		return usagef("--endpoint does not apply to `ec2stack emulator %s`: that server is not managed by ec2stack", c.opts.action)
	}
	home, err := repoHome()
	if err != nil {
		return err
	}
	switch c.opts.action {
	case "start":
		return c.emulatorStart(ctx, home)
	case "stop":
		return c.emulatorStop(ctx, home)
	default:
		return c.emulatorStatus(ctx, home)
	}
}

func (c *command) emulatorStart(ctx context.Context, home string) error {
	opts := emulator.StartOptions{Faults: c.opts.faults}
	if c.opts.faults != nil {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("emulator start: finding ec2stack itself to run the fault proxy: %w", err)
		}
		opts.ProxyCommand = []string{exe, faultProxyVerb}
	}
	s, started, err := emulator.Ensure(ctx, home, opts)
	if err != nil {
		return fmt.Errorf("emulator start: %w", err)
	}
	verb := "already running"
	if started {
		verb = "started"
	}
	doc := map[string]any{"running": true, "started": started, "endpoint": s.Endpoint, "pid": s.PID}
	if s.Faults == nil {
		c.printf("moto %s at %s (pid %d)\n", verb, s.Endpoint, s.PID)
		return c.result(doc)
	}
	c.printf("moto %s at %s (pid %d) behind the fault proxy at %s (pid %d): %s; the SDKs get %d attempts per call\n",
		verb, s.MotoEndpoint, s.PID, s.Endpoint, s.ProxyPID, s.Faults, s.MaxAttempts())
	doc["faults"] = c.faultsDoc(ctx, s)
	return c.result(doc)
}

// faultsDoc is the fault proxy in the --json documents of the emulator verbs.
func (c *command) faultsDoc(ctx context.Context, s *emulator.Server) map[string]any {
	doc := map[string]any{"spec": s.Faults.String(), "proxy_pid": s.ProxyPID, "moto_endpoint": s.MotoEndpoint, "max_attempts": s.MaxAttempts()}
	if st, err := emulator.FaultStatsAt(ctx, s.Endpoint); err == nil {
		doc["stats"] = st
	}
	return doc
}

func (c *command) emulatorStop(ctx context.Context, home string) error {
	var stats *emulator.FaultStats
	if s, _ := emulator.Recorded(ctx, home); s != nil && s.Faults != nil {
		stats, _ = emulator.FaultStatsAt(ctx, s.Endpoint)
	}
	stopped, err := emulator.StopRecorded(ctx, home)
	if err != nil {
		return fmt.Errorf("emulator stop: %w", err)
	}
	doc := map[string]any{"running": false, "stopped": stopped}
	switch {
	case stopped && stats != nil:
		c.printf("moto and its fault proxy stopped (%s: %s)\n", stats.Faults, stats.Summary())
		doc["faults"] = map[string]any{"spec": stats.Faults, "stats": stats}
	case stopped:
		c.printf("moto stopped\n")
	default:
		c.printf("no moto running for this repository\n")
	}
	return c.result(doc)
}

func (c *command) emulatorStatus(ctx context.Context, home string) error {
	s, err := emulator.Recorded(ctx, home)
	if err != nil {
		return fmt.Errorf("emulator status: %w", err)
	}
	if s == nil {
		c.printf("moto is not running (start it with `ec2stack emulator start` or any `ec2stack up`)\n")
		return c.result(map[string]any{"running": false})
	}
	doc := map[string]any{"running": true, "endpoint": s.Endpoint, "pid": s.PID}
	if s.Faults == nil {
		c.printf("moto running at %s (pid %d)\n", s.Endpoint, s.PID)
		return c.result(doc)
	}
	fd := c.faultsDoc(ctx, s)
	doc["faults"] = fd
	c.printf("moto running at %s (pid %d) behind the fault proxy at %s (pid %d): %s; the SDKs get %d attempts per call\n",
		s.MotoEndpoint, s.PID, s.Endpoint, s.ProxyPID, s.Faults, s.MaxAttempts())
	if st, ok := fd["stats"].(*emulator.FaultStats); ok {
		c.printf("since it started: %s\n", st.Summary())
	}
	return c.result(doc)
}
