package verify

import "testing"

func TestBackupGood(t *testing.T) {
	checkGood(t, fullBase, []goodCase{
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
		{"retention not the spec's", func(_ *Snapshot, w *Expectations) { w.BackupRetentionDays = 30 },
			"backup.retention", "plan-1", "[daily=35]"},
		{"no weekly or monthly rule", func(s *Snapshot, _ *Expectations) { s.BackupPlan.Rules = s.BackupPlan.Rules[:1] },
			"backup.rules", "plan-1", "rules [daily]"},
		{"rule targets another vault", func(s *Snapshot, _ *Expectations) { s.BackupPlan.Rules[1].TargetVault = "Default" },
			"backup.rules", "plan-1", "rule weekly targets vault Default"},
		{"backups not expected", func(_ *Snapshot, w *Expectations) { w.BackupRetentionDays = 0 },
			"backup.absent", "ec2stack-prod", "backup vault ec2stack-prod"},
	})
}
