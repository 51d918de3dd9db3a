package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
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
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
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
		"so destroy deletes everything else and then stops at them: lift it first with "+
		"`aws rds modify-db-instance --db-instance-identifier DATABASE_INSTANCE_ID --no-deletion-protection --apply-immediately` and "+
		"`aws elbv2 modify-load-balancer-attributes --load-balancer-arn ALB_ARN --attributes Key=deletion_protection.enabled,Value=false` "+
		"(database_instance_id and alb_arn from `ec2stack outputs %s --target aws`)", env, env)
}
