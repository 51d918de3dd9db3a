package terraform

import (
	"context"
	"fmt"
)

// Graph is `terraform graph` of the root in DOT: in Terraform 1.7 and later, by default, the dependencies between
// the configuration's resources and data sources, with the module variables, outputs and locals in between
// already resolved to resource-to-resource edges ("A" -> "B": A depends on B). It needs an initialized working
// directory (and, as every command that loads the backend, its credentials).
func (r *Runner) Graph(ctx context.Context) ([]byte, error) {
	tf, err := r.terraform()
	if err != nil {
		return nil, err
	}
	dot, err := tf.Graph(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform graph in %s: %w", r.opts.Root, err)
	}
	return []byte(dot), nil
}
