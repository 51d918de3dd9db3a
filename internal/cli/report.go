package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/ec2stack/ec2stack/internal/report"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// dailyReport is `ec2stack report ENV`, the daily summary of ENV: alarms not OK, the last backups, drift (a refresh-only plan), cost
// against the budget, the age of the machine image, what waits for an approval or a promotion. A source that
// cannot be read is a line of the report; the command fails only when nothing can be read. It exits 0 whatever
// the report shows.
func (c *command) dailyReport(ctx context.Context) error {
	home, err := repoHome()
	if err != nil {
		return err
	}
	r := report.Report{Environment: c.opts.env, Target: c.opts.target, GeneratedAt: time.Now().UTC()}
	var sources []report.Source
	s, err := c.prepare(ctx)
	if err == nil {
		err = s.init(ctx)
	}
	if err != nil {
		sources = append(sources, report.Source{Name: "the environment", Gather: func(context.Context, *report.Report) error { return err }})
	} else {
		c.progressf("reading %s for its report ...", s.describe())
		sources = append(sources, c.liveSources(ctx, s)...)
	}
	sources = append(sources,
		report.Source{Name: "cost", Gather: func(_ context.Context, r *report.Report) error { return c.reportCost(home, r) }},
		report.Source{Name: "pending approvals", Gather: func(ctx context.Context, r *report.Report) error { return c.reportPending(ctx, home, s, r) }},
	)
	if err := report.Gather(ctx, &r, sources); err != nil {
		return fmt.Errorf("report %s: %w", c.opts.env, err)
	}
	switch {
	case c.opts.json:
		return c.result(r)
	case c.opts.markdown:
		report.WriteMarkdown(c.stdout, r)
	default:
		report.WriteTable(c.stdout, r)
	}
	return nil
}

// liveSources read the applied environment: its outputs, then CloudWatch, AWS Backup, RDS, EC2 and a
// refresh-only plan.
func (c *command) liveSources(ctx context.Context, s *session) []report.Source {
	raw, err := s.runner.Outputs(ctx)
	if err == nil && len(raw) == 0 {
		err = fmt.Errorf("%s has no outputs: nothing is applied (run `ec2stack up %s%s`)", s.describe(), s.env.Name, targetFlag(s.target))
	}
	var out verify.Outputs
	if err == nil {
		out, err = verify.DecodeOutputs(raw)
	}
	if err != nil {
		return []report.Source{{Name: "the environment's outputs", Gather: func(context.Context, *report.Report) error { return err }}}
	}
	project := outputString(raw["project"])
	cfg, cfgErr := s.awsConfig(ctx, out.Region)
	aws := func(name string, f func(ctx context.Context, r *report.Report) error) report.Source {
		return report.Source{Name: name, Gather: func(ctx context.Context, r *report.Report) error {
			if cfgErr != nil {
				return cfgErr
			}
			return f(ctx, r)
		}}
	}
	sources := []report.Source{
		aws("alarms", func(ctx context.Context, r *report.Report) error {
			names := make([]string, 0, len(out.AlarmNames))
			for _, n := range out.AlarmNames {
				names = append(names, n)
			}
			sort.Strings(names)
			a, err := report.Alarms(ctx, verify.CloudWatch(cfg), names)
			r.Alarms = append(r.Alarms, a...)
			return err
		}),
	}
	if out.BackupVaultName != "" {
		sources = append(sources, aws("AWS Backup recovery points of vault "+out.BackupVaultName, func(ctx context.Context, r *report.Report) error {
			b, err := report.RecoveryPoints(ctx, backup.NewFromConfig(cfg), out.BackupVaultName)
			r.Backups = append(r.Backups, b...)
			return err
		}))
	}
	if out.DatabaseInstanceID != "" {
		sources = append(sources, aws("RDS snapshots of "+out.DatabaseInstanceID, func(ctx context.Context, r *report.Report) error {
			b, err := report.DBSnapshots(ctx, rds.NewFromConfig(cfg), out.DatabaseInstanceID)
			r.Backups = append(r.Backups, b...)
			return err
		}))
	}
	sources = append(sources,
		aws("EBS snapshots", func(ctx context.Context, r *report.Report) error {
			b, err := report.EBSSnapshots(ctx, ec2.NewFromConfig(cfg), project, s.env.Name)
			r.Backups = append(r.Backups, b...)
			return err
		}),
		aws("images", func(ctx context.Context, r *report.Report) error {
			im, err := report.Images(ctx, ec2.NewFromConfig(cfg), out.LaunchTemplateID, out.AutoScalingGroupName, time.Now())
			r.Images = append(r.Images, im...)
			return err
		}),
		report.Source{Name: "drift", Gather: func(ctx context.Context, r *report.Report) error {
			ro, err := s.runner.Inspect(ctx, true, nil)
			if err != nil {
				return err
			}
			r.Drift, err = report.DriftOf(ro)
			return err
		}},
	)
	return sources
}

// reportCost prices the saved plan the gate checked, as `ec2stack cost` does; "no plan" when there is none.
func (c *command) reportCost(home string, r *report.Report) error {
	raw, from, err := savedPlanJSON(home, c.opts.target, c.opts.env)
	if err != nil {
		r.Cost = &report.Cost{Note: err.Error()}
		return nil
	}
	est, err := c.estimateJSON(home, c.opts.env, raw, from)
	if err != nil {
		return err
	}
	r.Cost = &report.Cost{Plan: true, ExpectedUSD: est.Total.Expected, LowUSD: est.Total.Low, HighUSD: est.Total.High, BudgetUSD: est.Budget, OverBudget: est.OverBudget}
	return nil
}

// reportPending finds a checked plan lacking the approval the contract requires, and a release the upstream
// environment (deployment.promote_from) has applied and verified that ENV has not deployed.
func (c *command) reportPending(ctx context.Context, home string, s *session, r *report.Report) error {
	_, e, err := c.requirements(home)
	if err != nil {
		return err
	}
	env, tf := c.opts.env, targetFlag(c.opts.target)
	p, err := report.Approval(terraform.PlanFile(home, c.opts.target, env), env, e.Deployment.NeedsApproval(),
		"ec2stack plan "+env+tf, "ec2stack approve "+env+tf)
	if err != nil {
		return err
	}
	r.Pending = append(r.Pending, p...)
	from := e.Deployment.PromoteFrom
	if from == "" {
		return nil
	}
	if s == nil {
		return errors.New("the deployment history: the environment could not be prepared")
	}
	own, err := c.records(ctx, s)
	if err != nil {
		return fmt.Errorf("the history of %s: %w", env, err)
	}
	upstream, err := c.recordsOf(ctx, from)
	if err != nil {
		return fmt.Errorf("the history of %s: %w", from, err)
	}
	r.Pending = append(r.Pending, report.Promotion(env, from, upstream, own, "ec2stack promote "+env+tf)...)
	return nil
}

// outputString is a string output, bare or in its `terraform output -json` wrapper.
func outputString(v any) string {
	if m, ok := v.(map[string]any); ok {
		v = m["value"]
	}
	s, _ := v.(string)
	return s
}
