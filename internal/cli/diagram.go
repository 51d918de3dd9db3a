package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/ec2stack/ec2stack/internal/diagram"
)

// diagram draws ENV from its plan (as check finds it: --plan FILE, the saved plan of the aws target, else a plan
// with real settings): Mermaid on stdout, --svg FILE also writes the SVG, --json prints the model instead.
// Nodes are coloured by their plan action unless --no-actions.
func (c *command) diagram(ctx context.Context) error {
	home, err := repoHome()
	if err != nil {
		return err
	}
	planJSON, from, inputs, err := c.checkPlan(ctx, home)
	if err != nil {
		return err
	}
	if inputs != nil {
		return fmt.Errorf("diagram %s: the inputs break their rules, there is no plan: run `ec2stack check %s`", c.opts.env, c.opts.env)
	}
	m, err := diagram.Build(planJSON)
	if err != nil {
		return fmt.Errorf("diagram %s: %s: %w", c.opts.env, from, err)
	}
	o := diagram.Options{Actions: !c.opts.noActions}
	if c.opts.svgPath != "" {
		if err := os.WriteFile(c.opts.svgPath, []byte(m.SVG(o)), 0o644); err != nil {
			return fmt.Errorf("diagram %s: writing the SVG: %w", c.opts.env, err)
		}
	}
	if !c.opts.json {
		fmt.Fprint(c.stdout, m.Mermaid(o))
	}
	return c.result(map[string]any{"environment": c.opts.env, "plan": from, "diagram": m})
}
