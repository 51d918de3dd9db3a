package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/ec2stack/ec2stack/internal/verify"
)

// differencesError ends a verify that found the live environment differing (exit code 4).
type differencesError struct {
	env string
	n   int
}

func (e *differencesError) Error() string {
	return fmt.Sprintf("verify %s: %d difference(s) between the live environment and its contract or outputs", e.env, e.n)
}

// verify reads the applied environment back through the AWS API and checks it against the environment contract
// and the root's outputs: a table by default, --json for one document; exit 4 when something does not hold.
func (c *command) verify(ctx context.Context) error {
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("verify %s: %w", c.opts.env, err)
	}
	if err := s.init(ctx); err != nil {
		return err
	}
	result, err := c.readBack(ctx, s)
	if err != nil {
		return err
	}
	c.printVerify(s, result)
	if err := c.result(map[string]any{"environment": s.env.Name, "target": s.target, "holds": result.Holds(), "domains": result.Domains, "skipped": result.Skipped}); err != nil {
		return err
	}
	if !result.Holds() {
		return &differencesError{env: s.env.Name, n: len(result.Failures())}
	}
	return nil
}

// errNotAStack: the root's outputs are not those of an ec2stack stack (no project), so there is nothing to verify.
var errNotAStack = errors.New("the root has no project output: it is not an ec2stack stack, and cannot be verified")

// readBack reads s's applied environment through the AWS API and checks it against the contract and the outputs.
func (c *command) readBack(ctx context.Context, s *session) (verify.Result, error) {
	raw, err := s.runner.Outputs(ctx)
	if err != nil {
		return verify.Result{}, fmt.Errorf("verify %s: %w", s.env.Name, err)
	}
	if len(raw) == 0 {
		return verify.Result{}, fmt.Errorf("verify %s: %s has no outputs: nothing is applied (run `ec2stack up %s%s`)", s.env.Name, s.describe(), s.env.Name, targetFlag(s.target))
	}
	if _, ok := raw["project"]; !ok {
		return verify.Result{}, fmt.Errorf("verify %s: %w", s.env.Name, errNotAStack)
	}
	out, err := verify.DecodeOutputs(raw)
	if err != nil {
		return verify.Result{}, fmt.Errorf("verify %s: %w", s.env.Name, err)
	}
	_, required, err := c.requirements(s.home)
	if err != nil {
		return verify.Result{}, err
	}
	cfg, err := s.awsConfig(ctx, out.Region)
	if err != nil {
		return verify.Result{}, fmt.Errorf("verify %s: %w", s.env.Name, err)
	}
	c.progressf("reading %s back through the AWS API ...", s.describe())
	snap, err := verify.Collect(ctx, cfg, out)
	if err != nil {
		return verify.Result{}, fmt.Errorf("verify %s: %w", s.env.Name, err)
	}
	return verify.Run(snap, verify.Expect(required, s.target == "emulator")), nil
}

// awsConfig is an SDK configuration for reading the session's environment back: the emulator's, or the user's
// AWS credentials in region.
func (s *session) awsConfig(ctx context.Context, region string) (aws.Config, error) {
	if region == "" {
		region = s.env.Region
	}
	if s.moto != nil {
		return s.moto.AWSConfig(ctx, region)
	}
	return config.LoadDefaultConfig(ctx, config.WithRegion(region))
}

func (c *command) printVerify(s *session, r verify.Result) {
	if c.opts.json {
		return
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tRESULT\tCHECKS")
	for _, d := range r.Domains {
		result := "ok"
		if len(d.Failures) > 0 {
			result = fmt.Sprintf("%d failed", len(d.Failures))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d: %s\n", d.Name, result, len(d.Checks), strings.Join(d.Checks, " "))
	}
	tw.Flush()
	if failures := r.Failures(); len(failures) > 0 {
		c.printf("\n")
		fmt.Fprintln(tw, "CHECK\tRESOURCE\tGOT\tWANT")
		for _, f := range failures {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Check, f.Resource, clip(f.Got, 60), f.Want)
		}
		tw.Flush()
	}
	verdict := "everything holds"
	if !r.Holds() {
		verdict = fmt.Sprintf("%d difference(s)", len(r.Failures()))
	}
	c.printf("\nVerified %s against policy/contract.yaml and the root's outputs: %d checks, %s.\n", s.describe(), r.Checks(), verdict)
	if len(r.Skipped) > 0 {
		c.printf("Not checked on this target (proven on the plan instead): %s.\n", strings.Join(r.Skipped, ", "))
	}
}
