package cli

import (
	"context"
	"fmt"
)

func (c *command) destroy(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("destroy %s: %w", c.opts.env, err)
	}
	if err := s.init(ctx); err != nil {
		return err
	}
	c.progressf("destroying %s ...", s.describe())
	if err := s.runner.Destroy(ctx, c.progress(0)); err != nil {
		return fmt.Errorf("destroy %s: %w", s.env.Name, err)
	}
	c.printf("Destroyed everything in %s.\n", s.describe())
	return c.result(map[string]any{"environment": s.env.Name, "target": s.target, "destroyed": true})
}
