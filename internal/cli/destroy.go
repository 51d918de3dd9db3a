package cli

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ec2stack/ec2stack/internal/deploy"
)

// destroy destroys everything in the environment. On --target aws it needs --yes, or the environment's name
// typed at a terminal, before anything runs.
func (c *command) destroy(ctx context.Context) error {
	if c.opts.target == "aws" {
		if err := c.confirmDestroy(); err != nil {
			return err
		}
	}
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("destroy %s: %w", c.opts.env, err)
	}
	if err := c.timed("init", func() error { return s.init(ctx) }); err != nil {
		return err
	}
	outputs, err := s.runner.Outputs(ctx) // read before they are gone: where the DLM snapshots are
	if err != nil {
		return fmt.Errorf("destroy %s: %w", s.env.Name, err)
	}
	c.progressf("destroying %s ...", s.describe())
	if err := c.timed("destroy", func() error { return s.runner.Destroy(ctx, c.progress(0)) }); err != nil {
		if ctx.Err() != nil {
			return c.interruptedApply(ctx, s, "destroy")
		}
		return fmt.Errorf("destroy %s: %w", s.env.Name, err)
	}
	snapshots, err := c.deleteSnapshots(ctx, s, outputs)
	if err != nil {
		return fmt.Errorf("destroy %s: %w", s.env.Name, err)
	}
	c.printf("Destroyed everything in %s.\n", s.describe())
	return c.result(map[string]any{"environment": s.env.Name, "target": s.target, "destroyed": true, "deleted_snapshots": snapshots})
}

// deleteSnapshots deletes the EBS snapshots DLM took of the environment's volumes, which outlive the lifecycle
// policy, in its region and DR region; where the contract asks for deletion protection they are kept.
func (c *command) deleteSnapshots(ctx context.Context, s *session, outputs map[string]any) ([]string, error) {
	home, err := repoHome()
	if err != nil {
		return nil, err
	}
	_, e, err := c.requirements(home)
	if err != nil {
		return nil, err
	}
	project, _ := outputs["project"].(string)
	region, _ := outputs["region"].(string)
	drRegion, _ := outputs["dr_region"].(string)
	if e.DeletionProtection || project == "" || region == "" {
		return []string{}, nil
	}
	deleted := []string{}
	for _, r := range slices.Compact([]string{region, drRegion}) {
		if r == "" {
			continue
		}
		cfg, err := s.awsConfig(ctx, r)
		if err != nil {
			return deleted, err
		}
		ids, err := deploy.DeleteDLMSnapshots(ctx, cfg, project, s.env.Name)
		deleted = append(deleted, ids...)
		if err != nil {
			return deleted, err
		}
	}
	if len(deleted) > 0 {
		c.printf("Deleted %d EBS snapshot(s) DLM had taken of %s's volumes: %s\n", len(deleted), s.env.Name, strings.Join(deleted, " "))
	}
	return deleted, nil
}

// confirmDestroy asks for the environment's name at a terminal; without one --yes is required. Where the
// environment contract asks for deletion protection, it says what that will stop and how to lift it.
func (c *command) confirmDestroy() error {
	home, err := repoHome()
	if err != nil {
		return err
	}
	_, e, err := c.requirements(home)
	if err != nil {
		return err
	}
	protection := ""
	if e.DeletionProtection {
		protection = deletionProtectionNote(c.opts.env)
	}
	if c.opts.yes {
		if protection != "" {
			c.progressf("%s", protection)
		}
		return nil
	}
	if f, ok := c.terminal(); ok {
		fmt.Fprintf(c.stderr, "This deletes every resource of %s on AWS. %s\nType %s to go on: ", c.opts.env, protection, c.opts.env)
		answer, _ := bufio.NewReader(f).ReadString('\n')
		if strings.TrimSpace(answer) == c.opts.env {
			return nil
		}
		return usagef("destroy %s: not confirmed (typed %q, not %q); nothing was changed", c.opts.env, strings.TrimSpace(answer), c.opts.env)
	}
	msg := fmt.Sprintf("destroy %s --target aws deletes every resource of %s: pass --yes (or run it at a terminal and type %s)", c.opts.env, c.opts.env, c.opts.env)
	if protection != "" {
		msg += "; " + protection
	}
	return usagef("%s", msg)
}

// deletionProtectionNote says, in one sentence, what deletion protection stops and how to lift it.
func deletionProtectionNote(env string) string {
	return fmt.Sprintf("%s's database and load balancer have deletion protection (the environment contract requires it), "+
		"and destroy keeps its log buckets while they hold logs, its backup vault while it holds recovery points, the final "+
		"database snapshot and the DLM volume snapshots: destroy deletes everything else and then stops at those. "+
		"To delete them deliberately, first "+
		"`aws rds modify-db-instance --db-instance-identifier DATABASE_INSTANCE_ID --no-deletion-protection --apply-immediately`, "+
		"`aws elbv2 modify-load-balancer-attributes --load-balancer-arn ALB_ARN --attributes Key=deletion_protection.enabled,Value=false`, "+
		"empty the buckets (alb_logs_bucket, cloudfront_logs_bucket) and delete the vault's recovery points "+
		"(ids and names from `ec2stack outputs %s --target aws`)", env, env)
}
