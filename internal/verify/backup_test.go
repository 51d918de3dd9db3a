package verify

import "testing"

func TestBackupGood(t *testing.T) {
	checkGood(t, fullBase, []goodCase{
		{"copies to the DR region", func(s *Snapshot, w *Expectations) {
			w.BackupCrossRegionCopy = true
			for i := range s.BackupPlan.Rules {
				s.BackupPlan.Rules[i].CopyTo = []string{"arn:aws:backup:us-west-2:123456789012:backup-vault:ec2stack-prod-dr"}
			}
		}},
		{"backup rules without daily in the name", func(s *Snapshot, _ *Expectations) {
			s.BackupPlan.Rules[0].Name, s.BackupPlan.Rules[1].Name, s.BackupPlan.Rules[2].Name = "r1", "r2", "r3"
		}},
	})
}

func TestBackupFails(t *testing.T) {
	checkFails(t, fullBase, []failCase{
		// Backup
		{"vault missing", func(s *Snapshot, _ *Expectations) { s.BackupVault = nil }, "backup.vault", "ec2stack-prod", "not found"},
		{"vault with another key", func(s *Snapshot, _ *Expectations) { s.BackupVault.EncryptionKeyARN = ebsKey },
			"backup.vault_kms", "ec2stack-prod", "EncryptionKeyArn=" + ebsKey},
		{"plan missing", func(s *Snapshot, _ *Expectations) { s.BackupPlan = nil }, "backup.plan", "plan-1", "not found"},
		{"daily retention", func(s *Snapshot, _ *Expectations) { s.BackupPlan.Rules[0].DeleteAfterDays = 7 },
			"backup.retention", "plan-1", "[daily=7]"},
		{"retention below the minimum", func(_ *Snapshot, w *Expectations) { w.BackupRetentionDays = 40 },
			"backup.retention", "plan-1", "[daily=35]"},
		{"no copy to the DR region", func(s *Snapshot, w *Expectations) {
			w.BackupCrossRegionCopy = true
			s.BackupPlan.Rules[1].CopyTo = nil
		}, "backup.copy", "plan-1", "rule weekly copies to []"},
		{"copy within the region", func(s *Snapshot, w *Expectations) {
			w.BackupCrossRegionCopy = true
			for i := range s.BackupPlan.Rules {
				s.BackupPlan.Rules[i].CopyTo = []string{"arn:aws:backup:us-east-1:123456789012:backup-vault:other"}
			}
		}, "backup.copy", "plan-1", "backup-vault:other"},
		{"no weekly or monthly rule", func(s *Snapshot, _ *Expectations) { s.BackupPlan.Rules = s.BackupPlan.Rules[:1] },
			"backup.rules", "plan-1", "rules [daily]"},
		{"rule targets another vault", func(s *Snapshot, _ *Expectations) { s.BackupPlan.Rules[1].TargetVault = "Default" },
			"backup.rules", "plan-1", "rule weekly targets vault Default"},
		{"backups not expected", func(_ *Snapshot, w *Expectations) { w.BackupRetentionDays = 0 },
			"backup.absent", "ec2stack-prod", "backup vault ec2stack-prod"},
	})
}
