package verify

import "testing"

func TestDatabaseGood(t *testing.T) {
	checkGood(t, fullBase, []goodCase{
		{"deletion protection not required", func(s *Snapshot, w *Expectations) {
			w.Database.DeletionProtection, s.Database.DeletionProtection = false, false
		}},
		{"backups kept longer than the minimum", func(s *Snapshot, _ *Expectations) { s.Database.BackupRetentionPeriod = 35 }},
		{"the instance class asked for", func(s *Snapshot, w *Expectations) {
			w.Database.InstanceClass, s.Database.Class = "db.t3.medium", "db.t3.medium"
		}},
		{"replica source as an ARN", func(s *Snapshot, _ *Expectations) {
			s.DatabaseReplica.ReplicaSourceID = "arn:aws:rds:us-east-1:123456789012:db:ec2stack-prod-db"
		}},
		{"single-AZ database without replica or deletion protection (dev)", func(s *Snapshot, w *Expectations) {
			w.Database.MultiAZ, w.Database.DeletionProtection, w.Database.ReadReplica = false, false, false
			s.Database.MultiAZ, s.Database.DeletionProtection = false, false
			s.Outputs.DatabaseReplicaID, s.DatabaseReplica = "", nil
		}},
	})
}

func TestDatabaseFails(t *testing.T) {
	checkFails(t, fullBase, []failCase{
		// Database
		{"database missing", func(s *Snapshot, _ *Expectations) { s.Database = nil }, "database", "ec2stack-prod-db", "not found"},
		{"database output missing", func(s *Snapshot, _ *Expectations) { s.Outputs.DatabaseInstanceID, s.Database = "", nil },
			"database", "(no output)", "not found"},
		{"database not expected", func(_ *Snapshot, w *Expectations) { w.Database = nil },
			"database.absent", "ec2stack-prod-db", "DB instance ec2stack-prod-db"},
		{"engine", func(s *Snapshot, _ *Expectations) { s.Database.Engine = "mysql" }, "database.engine", "ec2stack-prod-db", "mysql"},
		{"instance class", func(s *Snapshot, w *Expectations) {
			w.Database.InstanceClass, s.Database.Class = "db.t3.medium", "db.r6g.large"
		},
			"database.instance_class", "ec2stack-prod-db", "db.r6g.large"},
		{"storage unencrypted", func(s *Snapshot, _ *Expectations) { s.Database.StorageEncrypted = false },
			"database.encryption", "ec2stack-prod-db", "StorageEncrypted=false"},
		{"storage with another key", func(s *Snapshot, _ *Expectations) { s.Database.KMSKeyID = ebsKey },
			"database.encryption", "ec2stack-prod-db", "KmsKeyId=" + ebsKey},
		{"replica unencrypted", func(s *Snapshot, _ *Expectations) { s.DatabaseReplica.KMSKeyID = "" },
			"database.encryption", "ec2stack-prod-db-replica", "KmsKeyId="},
		{"publicly accessible", func(s *Snapshot, _ *Expectations) { s.Database.PubliclyAccessible = true },
			"database.public", "ec2stack-prod-db", "PubliclyAccessible=true"},
		{"wrong security group", func(s *Snapshot, _ *Expectations) { s.Database.SecurityGroupIDs = []string{"sg-app"} },
			"database.security_group", "ec2stack-prod-db", "[sg-app]"},
		{"extra security group", func(s *Snapshot, _ *Expectations) { s.Database.SecurityGroupIDs = []string{"sg-db", "sg-app"} },
			"database.security_group", "ec2stack-prod-db", "[sg-db sg-app]"},
		{"subnet group in private subnets", func(s *Snapshot, _ *Expectations) {
			s.Database.SubnetIDs = []string{"subnet-prv-a", "subnet-prv-b"}
		}, "database.subnets", "ec2stack-prod-db", "[subnet-prv-a subnet-prv-b]"},
		{"iam auth off", func(s *Snapshot, _ *Expectations) { s.Database.IAMAuthentication = false },
			"database.iam_auth", "ec2stack-prod-db", "IAMDatabaseAuthenticationEnabled=false"},
		{"copy tags off", func(s *Snapshot, _ *Expectations) { s.Database.CopyTagsToSnapshot = false },
			"database.copy_tags", "ec2stack-prod-db", "CopyTagsToSnapshot=false"},
		{"minor upgrades off", func(s *Snapshot, _ *Expectations) { s.Database.AutoMinorVersionUpgrade = false },
			"database.minor_upgrades", "ec2stack-prod-db", "AutoMinorVersionUpgrade=false"},
		{"backup retention", func(s *Snapshot, _ *Expectations) { s.Database.BackupRetentionPeriod = 1 },
			"database.backup_retention", "ec2stack-prod-db", "BackupRetentionPeriod=1"},
		{"single AZ where multi-AZ is expected", func(s *Snapshot, _ *Expectations) { s.Database.MultiAZ = false },
			"database.multi_az", "ec2stack-prod-db", "MultiAZ=false"},
		{"multi-AZ where single AZ is expected", func(_ *Snapshot, w *Expectations) { w.Database.MultiAZ = false },
			"database.multi_az", "ec2stack-prod-db", "MultiAZ=true"},
		{"deletion protection off", func(s *Snapshot, _ *Expectations) { s.Database.DeletionProtection = false },
			"database.deletion_protection", "ec2stack-prod-db", "DeletionProtection=false"},
		{"no managed master password", func(s *Snapshot, _ *Expectations) { s.Database.MasterUserSecretARN = "" },
			"database.master_secret", "ec2stack-prod-db", "no MasterUserSecret"},
		{"master secret with the AWS managed key", func(s *Snapshot, _ *Expectations) {
			s.Database.MasterUserSecretKMSKeyID = "alias/aws/secretsmanager"
		}, "database.master_secret", "ec2stack-prod-db", "KmsKeyId=alias/aws/secretsmanager"},
		{"no log exports", func(s *Snapshot, _ *Expectations) { s.Database.LogExports = nil },
			"database.log_exports", "ec2stack-prod-db", "EnabledCloudwatchLogsExports=[]"},
		{"performance insights off", func(s *Snapshot, _ *Expectations) { s.Database.PerformanceInsights = false },
			"database.performance_insights", "ec2stack-prod-db", "PerformanceInsightsEnabled=false"},
		{"performance insights with another key", func(s *Snapshot, _ *Expectations) { s.Database.PerformanceInsightsKMSKey = ebsKey },
			"database.performance_insights", "ec2stack-prod-db", "PerformanceInsightsKMSKeyId=" + ebsKey},
		{"no enhanced monitoring", func(s *Snapshot, _ *Expectations) { s.Database.MonitoringInterval = 0 },
			"database.monitoring", "ec2stack-prod-db", "MonitoringInterval=0"},
		{"replica missing", func(s *Snapshot, _ *Expectations) { s.DatabaseReplica = nil },
			"database.replica", "ec2stack-prod-db-replica", "not found"},
		{"replica of another instance", func(s *Snapshot, _ *Expectations) { s.DatabaseReplica.ReplicaSourceID = "other-db" },
			"database.replica", "ec2stack-prod-db-replica", "ReadReplicaSourceDBInstanceIdentifier=other-db"},
		{"replica not expected", func(_ *Snapshot, w *Expectations) { w.Database.ReadReplica = false },
			"database.replica", "ec2stack-prod-db-replica", "read replica ec2stack-prod-db-replica"},
		{"data key not checked for rotation", func(s *Snapshot, _ *Expectations) {
			k := s.KMSKeys[dataKey]
			k.RotationEnabled = false
			s.KMSKeys[dataKey] = k
		}, "kms.rotation", dataKey, "KeyRotationEnabled=false"},
	})
}
