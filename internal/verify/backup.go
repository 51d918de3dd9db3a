package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// AWS Backup (terraform/modules/backup): the vault and the plan with its daily, weekly and monthly rules.

var backupDomain = domain{
	name: "backup",
	collect: []collectStep{
		{"backup vault", func(o Outputs) bool { return o.BackupVaultName != "" }, (*clients).backupVault},
		{"backup plan", func(o Outputs) bool { return o.BackupPlanID != "" }, (*clients).backupPlan},
	},
	check:     []func(*checker){(*checker).backup},
	leftovers: backupLeftovers,
}

// BackupSnapshot is the AWS Backup part of a Snapshot.
type BackupSnapshot struct {
	BackupVault *BackupVault
	BackupPlan  *BackupPlan
}

// BackupVault is an AWS Backup vault.
type BackupVault struct {
	Name             string
	ARN              string
	EncryptionKeyARN string
}

// BackupPlan is an AWS Backup plan with its rules.
type BackupPlan struct {
	ID    string
	Name  string
	Rules []BackupRule
}

// BackupRule is one rule of a backup plan.
type BackupRule struct {
	Name            string
	Schedule        string
	TargetVault     string
	DeleteAfterDays int64    // 0 = kept forever
	CopyTo          []string // destination vault ARNs of the rule's copy actions
}

// ---- collect

func (c *clients) backupVault(ctx context.Context, s *Snapshot) error {
	name := s.Outputs.BackupVaultName
	v, err := c.backup.DescribeBackupVault(ctx, &backup.DescribeBackupVaultInput{BackupVaultName: aws.String(name)})
	if apiError(err, "ResourceNotFoundException", "AccessDeniedException") { // AWS answers a missing vault with either
		return nil
	}
	if err != nil {
		return fmt.Errorf("describe backup vault %s: %w", name, err)
	}
	s.BackupVault = &BackupVault{Name: aws.ToString(v.BackupVaultName), ARN: aws.ToString(v.BackupVaultArn),
		EncryptionKeyARN: aws.ToString(v.EncryptionKeyArn)}
	return nil
}

func (c *clients) backupPlan(ctx context.Context, s *Snapshot) error {
	id := s.Outputs.BackupPlanID
	p, err := c.backup.GetBackupPlan(ctx, &backup.GetBackupPlanInput{BackupPlanId: aws.String(id)})
	if apiError(err, "ResourceNotFoundException") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get backup plan %s: %w", id, err)
	}
	plan := &BackupPlan{ID: aws.ToString(p.BackupPlanId)}
	if p.BackupPlan != nil {
		plan.Name = aws.ToString(p.BackupPlan.BackupPlanName)
		for _, r := range p.BackupPlan.Rules {
			rule := BackupRule{Name: aws.ToString(r.RuleName), Schedule: aws.ToString(r.ScheduleExpression),
				TargetVault: aws.ToString(r.TargetBackupVaultName)}
			if r.Lifecycle != nil {
				rule.DeleteAfterDays = aws.ToInt64(r.Lifecycle.DeleteAfterDays)
			}
			for _, a := range r.CopyActions {
				rule.CopyTo = append(rule.CopyTo, aws.ToString(a.DestinationBackupVaultArn))
			}
			plan.Rules = append(plan.Rules, rule)
		}
	}
	s.BackupPlan = plan
	return nil
}

// ---- check

func (c *checker) backup() {
	want := c.w.BackupRetentionDays
	if want == 0 {
		c.checks("backup.absent")
		if c.o.BackupVaultName != "" || c.o.BackupPlanID != "" || c.s.BackupVault != nil || c.s.BackupPlan != nil {
			c.fail("backup.absent", strings.TrimSpace(c.o.BackupVaultName+" "+c.o.BackupPlanID),
				"backup vault "+c.o.BackupVaultName+", plan "+c.o.BackupPlanID, "AWS Backup off in this environment")
		}
		return
	}
	c.checks("backup.vault", "backup.vault_kms", "backup.plan", "backup.rules", "backup.retention")
	if c.w.BackupCrossRegionCopy {
		c.checks("backup.copy")
	}
	if v := c.s.BackupVault; !c.missing("backup.vault", c.o.BackupVaultName, v != nil) {
		if key := c.o.DataKMSKeyARN; key == "" || KeyID(v.EncryptionKeyARN) != KeyID(key) {
			c.fail("backup.vault_kms", v.Name, "EncryptionKeyArn="+v.EncryptionKeyARN, "EncryptionKeyArn="+key)
		}
	}
	p := c.s.BackupPlan
	if c.missing("backup.plan", c.o.BackupPlanID, p != nil) {
		return
	}
	var names, days, daily []string
	var hasDaily, dailyBad, anyOK, weekly, monthly bool
	for _, r := range p.Rules {
		n := strings.ToLower(r.Name)
		d := strconv.FormatInt(r.DeleteAfterDays, 10)
		names, days = append(names, r.Name), append(days, r.Name+"="+d)
		ok := r.DeleteAfterDays >= int64(want)
		anyOK = anyOK || ok
		if strings.Contains(n, "daily") {
			hasDaily, dailyBad = true, dailyBad || !ok
			daily = append(daily, r.Name+"="+d)
		}
		weekly = weekly || strings.Contains(n, "weekly")
		monthly = monthly || strings.Contains(n, "monthly")
		if c.o.BackupVaultName != "" && r.TargetVault != c.o.BackupVaultName {
			c.fail("backup.rules", p.ID, "rule "+r.Name+" targets vault "+r.TargetVault, "every rule targets "+c.o.BackupVaultName)
		}
		if c.w.BackupCrossRegionCopy && !slices.ContainsFunc(r.CopyTo, func(arn string) bool { return regionOf(arn) != c.o.Region }) {
			c.fail("backup.copy", p.ID, "rule "+r.Name+" copies to "+list(r.CopyTo), "every rule copies to a vault in another region than "+c.o.Region)
		}
	}
	if (hasDaily && dailyBad) || (!hasDaily && !anyOK) {
		got := list(days)
		if hasDaily {
			got = list(daily)
		}
		c.fail("backup.retention", p.ID, "DeleteAfterDays "+got, fmt.Sprintf("daily rule DeleteAfterDays >= %d", want))
	}
	if !(weekly && monthly) && len(p.Rules) < 3 {
		c.fail("backup.rules", p.ID, "rules "+list(names), "daily, weekly and monthly rules")
	}
}

// regionOf is the region field of an ARN ("" when it has none).
func regionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

// ---- leftovers

func backupLeftovers(ctx context.Context, l *leftovers) {
	find(ctx, l, "backup-vault", backup.NewListBackupVaultsPaginator(l.backup, &backup.ListBackupVaultsInput{}),
		func(o *backup.ListBackupVaultsOutput) []backuptypes.BackupVaultListMember { return o.BackupVaultList },
		func(v backuptypes.BackupVaultListMember) (string, bool, error) {
			name := aws.ToString(v.BackupVaultName)
			if l.named(name) {
				return name, true, nil
			}
			tags, err := l.backup.ListTags(ctx, &backup.ListTagsInput{ResourceArn: v.BackupVaultArn})
			if err != nil {
				return name, false, fmt.Errorf("list tags of backup vault %s: %w", name, err)
			}
			return name, l.ours(tags.Tags), nil
		})
	// EBS snapshots DLM took of the volumes carry the volumes' tags; they outlive the lifecycle policy.
	find(ctx, l, "ebs-snapshot", ec2.NewDescribeSnapshotsPaginator(l.ec2, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, Filters: l.ec2Filters()}),
		func(o *ec2.DescribeSnapshotsOutput) []ec2types.Snapshot { return o.Snapshots },
		func(s ec2types.Snapshot) (string, bool, error) { return aws.ToString(s.SnapshotId), true, nil })
	find(ctx, l, "backup-plan", backup.NewListBackupPlansPaginator(l.backup, &backup.ListBackupPlansInput{}),
		func(o *backup.ListBackupPlansOutput) []backuptypes.BackupPlansListMember { return o.BackupPlansList },
		func(p backuptypes.BackupPlansListMember) (string, bool, error) {
			return aws.ToString(p.BackupPlanId), l.named(aws.ToString(p.BackupPlanName)), nil
		})
}
