package cli

import (
	"context"
	"fmt"

	"github.com/ec2stack/ec2stack/internal/emulator"
)

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
	s, started, err := emulator.Ensure(ctx, home, emulator.StartOptions{})
	if err != nil {
		return fmt.Errorf("emulator start: %w", err)
	}
	verb := "already running"
	if started {
		verb = "started"
	}
	c.printf("moto %s at %s (pid %d)\n", verb, s.Endpoint, s.PID)
	return c.result(map[string]any{"running": true, "started": started, "endpoint": s.Endpoint, "pid": s.PID})
}

func (c *command) emulatorStop(ctx context.Context, home string) error {
	stopped, err := emulator.StopRecorded(ctx, home)
	if err != nil {
		return fmt.Errorf("emulator stop: %w", err)
	}
	if stopped {
		c.printf("moto stopped\n")
	} else {
		c.printf("no moto running for this repository\n")
	}
	return c.result(map[string]any{"running": false, "stopped": stopped})
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
	c.printf("moto running at %s (pid %d)\n", s.Endpoint, s.PID)
	return c.result(map[string]any{"running": true, "endpoint": s.Endpoint, "pid": s.PID})
}
