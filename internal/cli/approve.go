package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// approve shows ENV's saved plan (its changes, the gate's verdict, its cost) and records an approval of that
// very plan: asked at a terminal, or without a prompt with --approved-by NAME.
func (c *command) approve(ctx context.Context) error {
	home, err := repoHome()
	if err != nil {
		return err
	}
	planFile := terraform.PlanFile(home, c.opts.target, c.opts.env)
	if !fileExists(planFile) {
		return &terraform.NoPlanError{Env: c.opts.env, Target: c.opts.target}
	}
	g, err := deploy.CheckGate(planFile, "ec2stack plan "+c.opts.env+targetFlag(c.opts.target))
	if err != nil {
		return &refusedError{msg: fmt.Sprintf("approve %s: %v; only a plan that passed the gate can be approved", c.opts.env, err)}
	}
	s, err := c.prepare(ctx)
	if err != nil {
		return fmt.Errorf("approve %s: %w", c.opts.env, err)
	}
	plan, err := s.runner.ShowPlan(ctx)
	if err != nil {
		return fmt.Errorf("approve %s: %w", s.env.Name, err)
	}
	sum := terraform.Summarize(plan)
	a, err := c.approvePlan(s, sum, g, true)
	if err != nil {
		return err
	}
	return c.result(map[string]any{"environment": s.env.Name, "target": s.target, "plan_file": planFile, "plan": sum, "approval": a})
}

// approvePlan shows the saved plan of s and records its approval: by --approved-by, else asked at a terminal.
// Without either it refuses, naming the commands that approve and apply the saved plan.
func (c *command) approvePlan(s *session, sum terraform.PlanSummary, g *deploy.Gate, show bool) (*deploy.Approval, error) {
	by := c.opts.approvedBy
	if show || by == "" {
		c.printPlan(s, sum)
		c.printf("Check: %s (%d rules, %d accepted exception(s)); checked %s\n", verdict(g.Clean, fmt.Sprintf("%d violation(s)", g.Violations)), g.Rules, g.Excepted, g.CheckedAt.Format("2006-01-02 15:04 MST"))
		if r, err := c.estimate(context.Background(), s.home, s.env.Name, ""); err == nil {
			c.printf("Cost: %s\n", costSummary(r))
		}
	}
	if by == "" {
		f, ok := c.terminal()
		if !ok {
			return nil, &refusedError{msg: fmt.Sprintf("%s %s: the plan needs an approval (%s's contract requires one) and there is no terminal to ask: pass --approved-by NAME, or run `ec2stack approve %s%s` and then `ec2stack apply %s%s`",
				c.opts.verb, s.env.Name, s.env.Name, s.env.Name, targetFlag(s.target), s.env.Name, targetFlag(s.target))}
		}
		fmt.Fprintf(c.stderr, "Approve this plan of %s as %s? Type %s to approve: ", s.env.Name, actor(), s.env.Name)
		answer, _ := bufio.NewReader(f).ReadString('\n')
		if strings.TrimSpace(answer) != s.env.Name {
			return nil, &refusedError{msg: fmt.Sprintf("%s %s: not approved (typed %q, not %q); nothing was applied", c.opts.verb, s.env.Name, strings.TrimSpace(answer), s.env.Name)}
		}
		by = actor()
	}
	a, err := deploy.RecordApproval(s.runner.PlanFile(), s.env.Name, by)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("%s %s: %v", c.opts.verb, s.env.Name, err)}
	}
	c.printf("Approved by %s: plan sha256 %s of %s.\n", a.ApprovedBy, a.PlanSHA256[:12], s.env.Name)
	return &a, nil
}

// clearedOrApproved is cleared for a plan this command has just made: where the contract requires an approval
// and none is recorded for it, it asks for one (approvePlan).
func (c *command) clearedOrApproved(s *session, sum terraform.PlanSummary) (*deploy.Gate, *deploy.Approval, error) {
	g, err := deploy.CheckGate(s.runner.PlanFile(), "ec2stack plan "+s.env.Name+targetFlag(s.target))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", c.opts.verb, s.env.Name, err)
	}
	_, e, err := c.requirements(s.home)
	if err != nil || !e.Deployment.NeedsApproval() {
		return g, nil, err
	}
	a, err := c.approvePlan(s, sum, g, false)
	return g, a, err
}

// terminal is the command's standard input when it is a terminal that can answer a question.
func (c *command) terminal() (*os.File, bool) {
	f, ok := c.stdin.(*os.File)
	return f, ok && term.IsTerminal(int(f.Fd()))
}
