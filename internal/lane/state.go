package lane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// A run's state. `ec2stack --target aws` keeps an environment's state in the S3 bucket it is given, under the
// key ENV/terraform.tfstate, and terraform's working data under EC2STACK_WORKDIR/aws/ENV/tfdata. The lane gives
// each run a working directory of its own and, in it, selects a Terraform workspace named after the run's
// prefix: the S3 backend then keeps the run's state under env:/PREFIX/ENV/terraform.tfstate, apart from the
// environment's own state and from every other run, and every ec2stack command run with that working
// directory uses it (terraform init -reconfigure keeps the selected workspace). The CLI is not changed for it.

// stateTarget is the CLI target whose working data the lane prepares.
const stateTarget = "aws"

// runner is the terraform runner of environment e in the run's working directory (the one the CLI uses).
func (l *lane) runner(e env.Environment) (*terraform.Runner, error) {
	return terraform.New(terraform.Options{Tool: l.tool, Home: l.home, Root: e.Root, Target: stateTarget, Env: e.Name, CLIConfig: l.rc})
}

// backend is the backend configuration the CLI passes for e (internal/cli awsBackend).
func (l *lane) backend(e env.Environment) map[string]string {
	region := l.stateRegion
	if region == "" {
		region = e.Region
	}
	return map[string]string{"bucket": l.bucket, "key": e.Name + "/terraform.tfstate", "region": region}
}

// tf is a terraform-exec handle on e's root with the run's working data, for the workspace commands.
func (l *lane) tf(e env.Environment, dataDir string) (*tfexec.Terraform, error) {
	tf, err := tfexec.NewTerraform(e.Root, l.tool.Path)
	if err != nil {
		return nil, err
	}
	environ := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		environ[k] = v
	}
	environ["TF_DATA_DIR"] = dataDir
	environ["TF_CLI_CONFIG_FILE"] = l.rc
	if err := tf.SetEnv(tfexec.CleanEnv(environ)); err != nil {
		return nil, err
	}
	return tf, nil
}

// useWorkspace initialises e's working data in the run's directory and selects the run's workspace, creating it
// (an empty state object in the bucket) when it does not exist yet.
func (l *lane) useWorkspace(ctx context.Context, e env.Environment) error {
	r, err := l.runner(e)
	if err != nil {
		return err
	}
	if err := r.Init(ctx, l.backend(e)); err != nil {
		return fmt.Errorf("%s: %w", e.Name, err)
	}
	tf, err := l.tf(e, r.DataDir())
	if err != nil {
		return err
	}
	names, current, err := tf.WorkspaceList(ctx)
	if err != nil {
		return fmt.Errorf("%s: terraform workspace list: %w", e.Name, err)
	}
	switch {
	case current == l.prefix:
	case slices.Contains(names, l.prefix):
		err = tf.WorkspaceSelect(ctx, l.prefix)
	default:
		err = tf.WorkspaceNew(ctx, l.prefix)
	}
	if err != nil {
		return fmt.Errorf("%s: selecting workspace %s: %w", e.Name, l.prefix, err)
	}
	return l.onRunState(e)
}

// onRunState refuses to go on unless e's working data has the run's workspace selected: run without it, an
// ec2stack command would act on the environment's own state (ENV/terraform.tfstate).
func (l *lane) onRunState(e env.Environment) error {
	r, err := l.runner(e)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(r.DataDir(), "environment"))
	if got := strings.TrimSpace(string(b)); err != nil || got != l.prefix {
		return fmt.Errorf("%s: the run's working data (%s) does not select workspace %s (got %q): refusing to run ec2stack on another state",
			e.Name, r.DataDir(), l.prefix, got)
	}
	return nil
}

// dropWorkspace deletes the run's workspace of e (its state object), which terraform refuses while the state
// still holds resources. Afterwards no ec2stack command may run for e in this working directory.
func (l *lane) dropWorkspace(ctx context.Context, e env.Environment) error {
	r, err := l.runner(e)
	if err != nil {
		return err
	}
	tf, err := l.tf(e, r.DataDir())
	if err != nil {
		return err
	}
	if err := tf.WorkspaceSelect(ctx, "default"); err != nil {
		return fmt.Errorf("%s: terraform workspace select default: %w", e.Name, err)
	}
	if err := tf.WorkspaceDelete(ctx, l.prefix); err != nil {
		return fmt.Errorf("%s: terraform workspace delete %s: %w", e.Name, l.prefix, err)
	}
	return nil
}

// stateKey is where the run keeps e's state in the bucket.
func (l *lane) stateKey(e env.Environment) string {
	return "env:/" + l.prefix + "/" + e.Name + "/terraform.tfstate"
}
