package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
)

func (c *command) outputs(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("outputs %s: %w", c.opts.env, err)
	}
	if err := s.init(ctx); err != nil {
		return err
	}
	out, err := s.runner.Outputs(ctx)
	if err != nil {
		return fmt.Errorf("outputs %s: %w", s.env.Name, err)
	}
	if len(out) == 0 {
		c.printf("%s has no outputs (nothing applied yet?)\n", s.describe())
	}
	c.printOutputs(out)
	return c.result(map[string]any{"environment": s.env.Name, "target": s.target, "outputs": out})
}

// printOutputs prints name = value lines, sorted, values as compact JSON
// (strings bare).
func (c *command) printOutputs(out map[string]any) {
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c.printf("%s = %s\n", n, formatValue(out[n]))
	}
}

func formatValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
