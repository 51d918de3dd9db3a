package cli

import (
	"context"
	"fmt"

	"github.com/ec2stack/ec2stack/internal/bluegreen"
)

// switchReport is `ec2stack switch ENV --json`.
type switchReport struct {
	Environment string `json:"environment"`
	File        string `json:"file"`
	From        string `json:"from"`
	To          string `json:"to"`
	Switched    bool   `json:"switched"` // false: --to named the color already live
}

// switchTraffic is `ec2stack switch ENV [--to blue|green]`: with blue/green on, it rewrites the live color in
// terraform/envs/ENV/main.tf (only that value) to the idle color, or to --to, so the switch, and the switch back,
// is a reviewed change that plans as the listener's new weights and the monitoring following the live group (in
// place) and goes through the gate, approval and promotion like any other. Nothing is applied and no state is needed.
func (c *command) switchTraffic(_ context.Context) error {
	_, e, file, src, err := c.envMainTF()
	if err != nil {
		return err
	}
	next, was, changed, err := bluegreen.Switch(src, c.opts.to)
	if err != nil {
		return fmt.Errorf("switch %s: %s: %w", e.Name, file, err)
	}
	now, err := bluegreen.Read(next)
	if err != nil {
		return fmt.Errorf("switch %s: %w", e.Name, err)
	}
	if changed {
		if err := writeFileAtomic(file, next); err != nil {
			return fmt.Errorf("switch %s: %w", e.Name, err)
		}
	}
	r := switchReport{Environment: e.Name, File: file, From: was.Live, To: now.Live, Switched: changed}
	if c.opts.json {
		return c.result(r)
	}
	if !changed {
		fmt.Fprintf(c.stdout, "%s: %s is already live (%s); nothing changed\n", e.Name, now.Live, file)
		return nil
	}
	fmt.Fprintf(c.stdout, "switched %s: live = %q in %s (was %q); plan it (`ec2stack plan %s`): the listener's weights and the monitoring of the live group change in place, and the way back is `ec2stack switch %s`\n",
		e.Name, now.Live, file, was.Live, e.Name, e.Name)
	return nil
}
