package verify

import (
	"slices"
	"strings"
	"testing"
)

const (
	dataKey     = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333"
	snsKey      = "arn:aws:kms:us-east-1:123456789012:key/44444444-4444-4444-4444-444444444444"
	topicARN    = "arn:aws:sns:us-east-1:123456789012:ec2stack-prod-alerts"
	cfACLARN    = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/ec2stack-prod-cloudfront/aaaa-1111"
	albACLARN   = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ec2stack-prod-alb/bbbb-2222"
	albLogs     = "ec2stack-prod-alb-logs-123456789012"
	cfLogs      = "ec2stack-prod-cloudfront-logs-123456789012"
	distID      = "E2QWRUHEXAMPLE"
	distDomain  = "d111111abcdef8.cloudfront.net"
	appFQDN     = "app.example.com"
	hstsPolicy  = "rhp-1"
	warnAlarm   = "ec2stack-prod-cpu-warning"
	critAlarm   = "ec2stack-prod-5xx-critical"
	secretARN   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1"
	topicPolicy = `{"Version":"2012-10-17","Statement":[
		{"Sid":"cw","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"*"},
		{"Sid":"ev","Effect":"Allow","Principal":{"Service":["events.amazonaws.com"]},"Action":["sns:Publish"],"Resource":"*"}]}`
	bucketPolicy = `{"Version":"2012-10-17","Statement":{"Sid":"tls","Effect":"Deny","Principal":"*","Action":"s3:*",
		"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`
)

// fullExpectations are prod-like expectations with every optional feature on.
func fullExpectations() Expectations {
	w := devExpectations()
	yes := true
	w.Database = &DatabaseExpectations{Engine: "postgres", MultiAZ: true, DeletionProtection: true, BackupRetentionDays: 14,
		ReadReplica: true}
	w.BackupRetentionDays = 35
	w.Alerts, w.Dashboard, w.AccessLogs, w.OffHours = true, true, true, true
	w.Edge = &EdgeExpectations{CloudFront: true, WAF: true, Domain: true}
	w.DetailedMonitoring = &yes
	return w
}

// fullSnapshot is goodSnapshot with every optional feature deployed and healthy.
func fullSnapshot() *Snapshot {
	s := goodSnapshot()
	o := &s.Outputs
	o.DatabaseInstanceID, o.DatabaseReplicaID = "ec2stack-prod-db", "ec2stack-prod-db-replica"
	o.DataKMSKeyARN, o.SNSKMSKeyARN, o.SNSTopicARN = dataKey, snsKey, topicARN
	o.AlarmNames = map[string]string{"cpu_warning": warnAlarm, "alb_5xx_critical": critAlarm}
	o.DashboardName = "ec2stack-prod"
	o.BackupVaultName, o.BackupPlanID = "ec2stack-prod", "plan-1"
	o.ALBLogsBucket, o.CloudFrontLogsBucket = albLogs, cfLogs
	o.CloudFrontDistributionID, o.CloudFrontWebACLARN, o.RegionalWebACLARN = distID, cfACLARN, albACLARN
	o.HostedZoneID, o.FQDN = "Z0123456789", appFQDN

	s.KMSKeys[dataKey] = KMSKey{ID: KeyID(dataKey), ARN: dataKey, State: "Enabled", Manager: "CUSTOMER", RotationEnabled: true}
	s.KMSKeys[snsKey] = KMSKey{ID: KeyID(snsKey), ARN: snsKey, State: "Enabled", Manager: "CUSTOMER", RotationEnabled: true}

	db := func(id string) *DBInstance {
		return &DBInstance{ID: id, Status: "available", Engine: "postgres", StorageEncrypted: true, KMSKeyID: dataKey,
			SecurityGroupIDs: []string{"sg-db"}, SubnetGroupName: "ec2stack-prod", SubnetIDs: []string{"subnet-db-a", "subnet-db-b"},
			IAMAuthentication: true, CopyTagsToSnapshot: true, AutoMinorVersionUpgrade: true, LogExports: []string{"postgresql"}}
	}
	s.Database = db("ec2stack-prod-db")
	s.Database.BackupRetentionPeriod, s.Database.MultiAZ, s.Database.DeletionProtection = 14, true, true
	s.Database.MasterUserSecretARN, s.Database.MasterUserSecretKMSKeyID = secretARN, KeyID(dataKey)
	s.Database.PerformanceInsights, s.Database.PerformanceInsightsKMSKey = true, dataKey
	s.Database.MonitoringInterval, s.Database.MonitoringRoleARN = 60, "arn:aws:iam::123456789012:role/rds-monitoring"
	s.DatabaseReplica = db("ec2stack-prod-db-replica")
	s.DatabaseReplica.ReplicaSourceID = "ec2stack-prod-db"

	s.BackupVault = &BackupVault{Name: "ec2stack-prod", EncryptionKeyARN: dataKey}
	s.BackupPlan = &BackupPlan{ID: "plan-1", Name: "ec2stack-prod", Rules: []BackupRule{
		{Name: "daily", TargetVault: "ec2stack-prod", DeleteAfterDays: 35},
		{Name: "weekly", TargetVault: "ec2stack-prod", DeleteAfterDays: 90},
		{Name: "monthly", TargetVault: "ec2stack-prod", DeleteAfterDays: 365},
	}}

	s.Topic = &Topic{ARN: topicARN, KMSMasterKeyID: "alias/ec2stack-prod-sns", KMSKeyARN: snsKey, Policy: topicPolicy}
	s.Alarms = map[string]Alarm{
		warnAlarm: {Name: warnAlarm, ActionsEnabled: true, AlarmActions: []string{topicARN}},
		critAlarm: {Name: critAlarm, ActionsEnabled: true, AlarmActions: []string{topicARN}, OKActions: []string{topicARN}},
	}
	s.Dashboard = &Dashboard{Name: "ec2stack-prod"}

	s.LoadBalancer.Attributes["access_logs.s3.enabled"] = "true"
	s.LoadBalancer.Attributes["access_logs.s3.bucket"] = albLogs
	s.LoadBalancer.WebACLARN = albACLARN
	bucket := func(name string) Bucket {
		return Bucket{Name: name, BlockPublicACLs: true, IgnorePublicACLs: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
			Versioning: "Enabled", Encryption: []string{"AES256"}, Policy: bucketPolicy,
			Lifecycle: []LifecycleRule{{ID: "expire", Enabled: true}, {ID: "abort", Enabled: true, AbortIncompleteUploadDays: 7}}}
	}
	s.Buckets = map[string]Bucket{albLogs: bucket(albLogs), cfLogs: bucket(cfLogs)}

	g := s.SecurityGroups["sg-alb"]
	g.Ingress = []Rule{{Protocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIDs: []string{"pl-3b927c52"}},
		{Protocol: "tcp", FromPort: 80, ToPort: 80, PrefixListIDs: []string{"pl-3b927c52"}}}
	s.SecurityGroups["sg-alb"] = g

	s.Distribution = &Distribution{ID: distID, DomainName: distDomain, Enabled: true, Aliases: []string{appFQDN},
		WebACLID: cfACLARN, LoggingEnabled: true, LoggingBucket: cfLogs + ".s3.amazonaws.com",
		Behaviors: []CacheBehavior{
			{TargetOriginID: "alb", ViewerProtocolPolicy: "redirect-to-https", ResponseHeadersPolicyID: hstsPolicy},
			{PathPattern: "/static/*", TargetOriginID: "alb", ViewerProtocolPolicy: "https-only", ResponseHeadersPolicyID: hstsPolicy},
		},
		Origins: []Origin{{ID: "alb", DomainName: "origin." + appFQDN, Custom: true, OriginProtocolPolicy: "https-only",
			SSLProtocols: []string{"TLSv1.2"}}},
		Certificate: ViewerCertificate{ACMCertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/c-1",
			SSLSupportMethod: "sni-only", MinimumProtocolVersion: CloudFrontTLSPolicy},
		ResponseHeadersPolicies: map[string]ResponseHeadersPolicy{
			hstsPolicy: {ID: hstsPolicy, Name: "ec2stack-prod-security", StrictTransportSecurity: true, HSTSMaxAgeSeconds: 63072000}},
	}
	acl := func(arn, name, scope string) WebACL {
		return WebACL{ARN: arn, Name: name, Scope: scope, DefaultAction: "allow", Rules: []WAFRule{
			{Name: "common", Priority: 1, ManagedGroup: "AWS/AWSManagedRulesCommonRuleSet", OverrideNone: true},
			{Name: "bad-inputs", Priority: 2, ManagedGroup: "AWS/AWSManagedRulesKnownBadInputsRuleSet", OverrideNone: true},
			{Name: "ip-reputation", Priority: 3, ManagedGroup: "AWS/AWSManagedRulesAmazonIpReputationList", OverrideNone: true},
			{Name: "rate", Priority: 4, RateBased: true, RateLimit: 2000, ActionBlocked: true},
		}}
	}
	s.WebACLs = map[string]WebACL{
		cfACLARN:  acl(cfACLARN, "ec2stack-prod-cloudfront", "CLOUDFRONT"),
		albACLARN: acl(albACLARN, "ec2stack-prod-alb", "REGIONAL"),
	}
	s.HostedZone = &HostedZone{ID: "Z0123456789", Name: "example.com", Records: []DNSRecord{
		{Name: appFQDN, Type: "A", AliasDNSName: distDomain, AliasZoneID: "Z2FDTNDATAQYW2"},
		{Name: appFQDN, Type: "AAAA", AliasDNSName: distDomain, AliasZoneID: "Z2FDTNDATAQYW2"},
	}}

	three, zero := int32(3), int32(0)
	s.AutoScalingGroup.ScheduledActions = []ScheduledAction{
		{Name: "ec2stack-prod-off-hours-down", Recurrence: "0 19 * * MON-FRI", MinSize: &zero, MaxSize: &zero, DesiredCapacity: &zero},
		{Name: "ec2stack-prod-off-hours-up", Recurrence: "0 7 * * MON-FRI", MinSize: &three, MaxSize: &three, DesiredCapacity: &three},
	}
	return s
}

func TestCheckFeaturesGood(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *Snapshot, w *Expectations)
	}{
		{"every feature on", func(*Snapshot, *Expectations) {}},
		{"topic key by ARN, no resolution", func(s *Snapshot, _ *Expectations) {
			s.Topic.KMSMasterKeyID, s.Topic.KMSKeyARN = snsKey, ""
		}},
		{"replica source as an ARN", func(s *Snapshot, _ *Expectations) {
			s.DatabaseReplica.ReplicaSourceID = "arn:aws:rds:us-east-1:123456789012:db:ec2stack-prod-db"
		}},
		{"single-AZ database without replica or deletion protection (dev)", func(s *Snapshot, w *Expectations) {
			w.Database.MultiAZ, w.Database.DeletionProtection, w.Database.ReadReplica = false, false, false
			s.Database.MultiAZ, s.Database.DeletionProtection = false, false
			s.Outputs.DatabaseReplicaID, s.DatabaseReplica = "", nil
		}},
		{"backup rules without daily in the name", func(s *Snapshot, _ *Expectations) {
			s.BackupPlan.Rules[0].Name, s.BackupPlan.Rules[1].Name, s.BackupPlan.Rules[2].Name = "r1", "r2", "r3"
		}},
		{"WAF and domain without CloudFront: alias to the ALB", func(s *Snapshot, w *Expectations) {
			w.Edge = &EdgeExpectations{WAF: true, Domain: true}
			s.Outputs.CloudFrontDistributionID, s.Outputs.CloudFrontWebACLARN, s.Outputs.CloudFrontLogsBucket = "", "", ""
			s.Distribution = nil
			s.HostedZone.Records = []DNSRecord{{Name: appFQDN, Type: "A", AliasDNSName: "dualstack." + s.Outputs.ALBDNSName}}
		}},
		{"CloudFront without WAF or domain", func(s *Snapshot, w *Expectations) {
			w.Edge = &EdgeExpectations{CloudFront: true}
			s.Outputs.CloudFrontWebACLARN, s.Outputs.RegionalWebACLARN, s.Outputs.HostedZoneID = "", "", ""
			s.Distribution.WebACLID, s.Distribution.Aliases, s.Distribution.Certificate = "", nil, ViewerCertificate{CloudFrontDefault: true}
		}},
		{"detailed monitoring off as expected", func(s *Snapshot, w *Expectations) {
			no := false
			w.DetailedMonitoring = &no
			s.LaunchTemplate.Versions[0].MonitoringEnabled = false
		}},
		{"features off: null outputs, nothing found", func(s *Snapshot, w *Expectations) {
			*s, *w = *goodSnapshot(), devExpectations()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := fullSnapshot(), fullExpectations()
			tt.mutate(s, &w)
			for _, f := range Check(s, w) {
				t.Errorf("unexpected failure: %v", f)
			}
		})
	}
}

func TestCheckFeaturesFails(t *testing.T) {
	bucket := func(s *Snapshot, name string, f func(*Bucket)) { editEntry(s.Buckets, name, f) }
	alarm := func(s *Snapshot, name string, f func(*Alarm)) { editEntry(s.Alarms, name, f) }
	acl := func(s *Snapshot, arn string, f func(*WebACL)) {
		editEntry(s.WebACLs, arn, func(w *WebACL) {
			w.Rules = slices.Clone(w.Rules) // the good snapshot shares its rules: never edit them in place
			f(w)
		})
	}
	tests := []struct {
		name     string
		mutate   func(s *Snapshot, w *Expectations)
		check    string // the failure's Check
		resource string // substring of its Resource
		got      string // substring of its Got
	}{
		// Database
		{"database missing", func(s *Snapshot, _ *Expectations) { s.Database = nil }, "database", "ec2stack-prod-db", "not found"},
		{"database output missing", func(s *Snapshot, _ *Expectations) { s.Outputs.DatabaseInstanceID, s.Database = "", nil },
			"database", "(no output)", "not found"},
		{"database not expected", func(_ *Snapshot, w *Expectations) { w.Database = nil },
			"database.absent", "ec2stack-prod-db", "DB instance ec2stack-prod-db"},
		{"engine", func(s *Snapshot, _ *Expectations) { s.Database.Engine = "mysql" }, "database.engine", "ec2stack-prod-db", "mysql"},
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

		// Alerts and dashboard
		{"topic missing", func(s *Snapshot, _ *Expectations) { s.Topic = nil }, "alerts.topic", topicARN, "not found"},
		{"topic unencrypted", func(s *Snapshot, _ *Expectations) { s.Topic.KMSMasterKeyID, s.Topic.KMSKeyARN = "", "" },
			"alerts.topic_kms", topicARN, "KmsMasterKeyId=none"},
		{"topic with the AWS managed key", func(s *Snapshot, _ *Expectations) {
			s.Topic.KMSMasterKeyID, s.Topic.KMSKeyARN = "alias/aws/sns", ""
		}, "alerts.topic_kms", topicARN, "KmsMasterKeyId=alias/aws/sns"},
		{"topic with another key", func(s *Snapshot, _ *Expectations) { s.Topic.KMSKeyARN = dataKey },
			"alerts.topic_kms", topicARN, "KmsMasterKeyId=alias/ec2stack-prod-sns"},
		{"topic policy without EventBridge", func(s *Snapshot, _ *Expectations) {
			s.Topic.Policy = strings.Replace(topicPolicy, "events.amazonaws.com", "s3.amazonaws.com", 1)
		}, "alerts.topic_policy", topicARN, "no Allow sns:Publish for events.amazonaws.com"},
		{"topic policy denies CloudWatch", func(s *Snapshot, _ *Expectations) {
			s.Topic.Policy = strings.Replace(topicPolicy, `"Sid":"cw","Effect":"Allow"`, `"Sid":"cw","Effect":"Deny"`, 1)
		}, "alerts.topic_policy", topicARN, "no Allow sns:Publish for cloudwatch.amazonaws.com"},
		{"no topic policy", func(s *Snapshot, _ *Expectations) { s.Topic.Policy = "" },
			"alerts.topic_policy", topicARN, "cloudwatch.amazonaws.com"},
		{"alarm missing", func(s *Snapshot, _ *Expectations) { delete(s.Alarms, critAlarm) }, "alerts.alarm", critAlarm, "not found"},
		{"no alarms", func(s *Snapshot, _ *Expectations) { s.Outputs.AlarmNames = nil }, "alerts.alarm", "alarm_names", "no alarms"},
		{"alarm actions disabled", func(s *Snapshot, _ *Expectations) {
			alarm(s, warnAlarm, func(a *Alarm) { a.ActionsEnabled = false })
		}, "alerts.alarm_actions", warnAlarm, "ActionsEnabled=false"},
		{"alarm notifies another topic", func(s *Snapshot, _ *Expectations) {
			alarm(s, critAlarm, func(a *Alarm) { a.AlarmActions = []string{"arn:aws:sns:us-east-1:123456789012:other"} })
		}, "alerts.alarm_actions", critAlarm, "AlarmActions [arn:aws:sns:us-east-1:123456789012:other]"},
		{"no critical alarm", func(s *Snapshot, _ *Expectations) { delete(s.Outputs.AlarmNames, "alb_5xx_critical") },
			"alerts.severity", "alarm_names", "[" + warnAlarm + "]"},
		{"alerts not expected", func(_ *Snapshot, w *Expectations) { w.Alerts = false },
			"alerts.absent", topicARN, "SNS topic " + topicARN},
		{"dashboard missing", func(s *Snapshot, _ *Expectations) { s.Dashboard = nil }, "dashboard", "ec2stack-prod", "not found"},
		{"dashboard not expected", func(_ *Snapshot, w *Expectations) { w.Dashboard = false },
			"dashboard.absent", "ec2stack-prod", "dashboard ec2stack-prod"},

		// Access logs and log buckets
		{"ALB access logs off", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.Attributes["access_logs.s3.enabled"] = "false" },
			"access_logs.alb", albARN, "access_logs.s3.enabled=false"},
		{"ALB logs to another bucket", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.Attributes["access_logs.s3.bucket"] = "other" },
			"access_logs.alb", albARN, "access_logs.s3.bucket=other"},
		{"access logs not expected", func(_ *Snapshot, w *Expectations) { w.AccessLogs = false },
			"access_logs.absent", albARN, "access_logs.s3.enabled=true"},
		{"log bucket missing", func(s *Snapshot, _ *Expectations) { delete(s.Buckets, albLogs) },
			"log_bucket", albLogs + " (alb_logs_bucket)", "not found"},
		{"log bucket output missing", func(s *Snapshot, _ *Expectations) { s.Outputs.ALBLogsBucket = "" },
			"log_bucket", "(no alb_logs_bucket output)", "not found"},
		{"public access block partial", func(s *Snapshot, _ *Expectations) {
			bucket(s, albLogs, func(b *Bucket) { b.RestrictPublicBuckets = false })
		}, "log_bucket.public_access_block", albLogs, "RestrictPublicBuckets=false"},
		{"versioning suspended", func(s *Snapshot, _ *Expectations) { bucket(s, albLogs, func(b *Bucket) { b.Versioning = "Suspended" }) },
			"log_bucket.versioning", albLogs, `versioning "Suspended"`},
		{"no default encryption", func(s *Snapshot, _ *Expectations) { bucket(s, cfLogs, func(b *Bucket) { b.Encryption = nil }) },
			"log_bucket.encryption", cfLogs + " (cloudfront_logs_bucket)", "no default encryption"},
		{"no abort incomplete uploads", func(s *Snapshot, _ *Expectations) {
			bucket(s, albLogs, func(b *Bucket) { b.Lifecycle = b.Lifecycle[:1] })
		}, "log_bucket.lifecycle", albLogs, "expire(enabled=true abort=0)"},
		{"abort rule disabled", func(s *Snapshot, _ *Expectations) {
			bucket(s, albLogs, func(b *Bucket) { b.Lifecycle = []LifecycleRule{{ID: "abort", AbortIncompleteUploadDays: 7}} })
		}, "log_bucket.lifecycle", albLogs, "abort(enabled=false abort=7)"},
		{"no bucket policy", func(s *Snapshot, _ *Expectations) { bucket(s, albLogs, func(b *Bucket) { b.Policy = "" }) },
			"log_bucket.tls_only", albLogs, "no bucket policy"},
		{"bucket policy without TLS deny", func(s *Snapshot, _ *Expectations) {
			bucket(s, albLogs, func(b *Bucket) { b.Policy = strings.Replace(bucketPolicy, `"false"`, `"true"`, 1) })
		}, "log_bucket.tls_only", albLogs, "no Deny on aws:SecureTransport=false"},

		// CloudFront
		{"distribution missing", func(s *Snapshot, _ *Expectations) { s.Distribution = nil }, "edge.distribution", distID, "not found"},
		{"distribution disabled", func(s *Snapshot, _ *Expectations) { s.Distribution.Enabled = false }, "edge.enabled", distID, "Enabled=false"},
		{"behaviour allows HTTP", func(s *Snapshot, _ *Expectations) { s.Distribution.Behaviors[1].ViewerProtocolPolicy = "allow-all" },
			"edge.viewer_protocol", distID + " behaviour /static/*", "ViewerProtocolPolicy=allow-all"},
		{"origin over HTTP", func(s *Snapshot, _ *Expectations) { s.Distribution.Origins[0].OriginProtocolPolicy = "http-only" },
			"edge.origin_tls", distID + " origin alb", "OriginProtocolPolicy=http-only"},
		{"origin allows TLS 1.1", func(s *Snapshot, _ *Expectations) {
			s.Distribution.Origins[0].SSLProtocols = []string{"TLSv1.1", "TLSv1.2"}
		}, "edge.origin_tls", distID + " origin alb", "[TLSv1.1 TLSv1.2]"},
		{"distribution without its web ACL", func(s *Snapshot, _ *Expectations) { s.Distribution.WebACLID = "" },
			"edge.waf", distID, "WebACLId="},
		{"distribution logging off", func(s *Snapshot, _ *Expectations) { s.Distribution.LoggingEnabled = false },
			"edge.logging", distID, "Enabled=false"},
		{"distribution logs elsewhere", func(s *Snapshot, _ *Expectations) { s.Distribution.LoggingBucket = "other.s3.amazonaws.com" },
			"edge.logging", distID, "Bucket=other.s3.amazonaws.com"},
		{"no response headers policy", func(s *Snapshot, _ *Expectations) { s.Distribution.Behaviors[0].ResponseHeadersPolicyID = "" },
			"edge.security_headers", distID + " behaviour default", "no response headers policy"},
		{"response headers policy unreadable", func(s *Snapshot, _ *Expectations) { s.Distribution.ResponseHeadersPolicies = nil },
			"edge.security_headers", distID, "response headers policy rhp-1 not found"},
		{"no HSTS", func(s *Snapshot, _ *Expectations) {
			s.Distribution.ResponseHeadersPolicies[hstsPolicy] = ResponseHeadersPolicy{ID: hstsPolicy, Name: "cors-only"}
		}, "edge.security_headers", distID, "policy cors-only without Strict-Transport-Security"},
		{"alias missing", func(s *Snapshot, _ *Expectations) { s.Distribution.Aliases = []string{"www.example.com"} },
			"edge.aliases", distID, "Aliases [www.example.com]"},
		{"default certificate with a domain", func(s *Snapshot, _ *Expectations) {
			s.Distribution.Certificate = ViewerCertificate{CloudFrontDefault: true, MinimumProtocolVersion: "TLSv1"}
		}, "edge.certificate", distID, "ACMCertificateArn=none"},
		{"old viewer TLS", func(s *Snapshot, _ *Expectations) { s.Distribution.Certificate.MinimumProtocolVersion = "TLSv1.2_2019" },
			"edge.certificate", distID, "MinimumProtocolVersion=TLSv1.2_2019"},
		{"dedicated IP certificate", func(s *Snapshot, _ *Expectations) { s.Distribution.Certificate.SSLSupportMethod = "vip" },
			"edge.certificate", distID, "SSLSupportMethod=vip"},
		{"ALB open to the internet behind CloudFront", func(s *Snapshot, _ *Expectations) {
			g := s.SecurityGroups["sg-alb"]
			g.Ingress = append(slices.Clone(g.Ingress), tcp(443, []string{"0.0.0.0/0"}))
			s.SecurityGroups["sg-alb"] = g
		}, "edge.alb_ingress", "sg-alb (alb) ingress tcp 443-443", "from [0.0.0.0/0]"},
		{"ALB not reachable from the prefix list", func(s *Snapshot, _ *Expectations) {
			g := s.SecurityGroups["sg-alb"]
			g.Ingress = []Rule{tcp(80, []string{"10.0.0.0/8"}), tcp(443, []string{"10.0.0.0/8"})}
			s.SecurityGroups["sg-alb"] = g
		}, "edge.alb_ingress", "sg-alb (alb)", "no ingress from a prefix list"},
		{"CloudFront not expected", func(_ *Snapshot, w *Expectations) { w.Edge = nil },
			"edge.absent", distID, "distribution " + distID},

		// WAF
		{"regional web ACL missing", func(s *Snapshot, _ *Expectations) { delete(s.WebACLs, albACLARN) },
			"waf.web_acl", albACLARN, "not found"},
		{"cloudfront web ACL output missing", func(s *Snapshot, _ *Expectations) { s.Outputs.CloudFrontWebACLARN = "" },
			"waf.web_acl", "(no cloudfront_web_acl_arn output)", "not found"},
		{"no known bad inputs rule group", func(s *Snapshot, _ *Expectations) {
			acl(s, albACLARN, func(w *WebACL) { w.Rules = slices.Delete(w.Rules, 1, 2) })
		}, "waf.rules", albACLARN, "rules [common=AWS/AWSManagedRulesCommonRuleSet"},
		{"rule group in count mode", func(s *Snapshot, _ *Expectations) {
			acl(s, cfACLARN, func(w *WebACL) { w.Rules[1].OverrideNone = false })
		}, "waf.rules", cfACLARN, "rule bad-inputs (AWS/AWSManagedRulesKnownBadInputsRuleSet) without OverrideAction none"},
		{"no ip reputation list", func(s *Snapshot, _ *Expectations) {
			acl(s, cfACLARN, func(w *WebACL) { w.Rules[2].ManagedGroup = "AWS/AWSManagedRulesAnonymousIpList" })
		}, "waf.rules", cfACLARN, "ip-reputation=AWS/AWSManagedRulesAnonymousIpList"},
		{"no rate limit", func(s *Snapshot, _ *Expectations) { acl(s, albACLARN, func(w *WebACL) { w.Rules = w.Rules[:3] }) },
			"waf.rate_limit", albACLARN, "rules ["},
		{"web ACL not on the ALB", func(s *Snapshot, _ *Expectations) { s.LoadBalancer.WebACLARN = "" },
			"waf.association", albARN, "web ACL none"},
		{"WAF not expected", func(_ *Snapshot, w *Expectations) { w.Edge.WAF = false },
			"waf.absent", albACLARN, "web ACLs [" + albACLARN},

		// DNS
		{"hosted zone missing", func(s *Snapshot, _ *Expectations) { s.HostedZone = nil }, "edge.dns", "Z0123456789", "not found"},
		{"no alias record", func(s *Snapshot, _ *Expectations) { s.HostedZone.Records = s.HostedZone.Records[1:] },
			"edge.dns", "Z0123456789", "records [AAAA app.example.com->" + distDomain + "]"},
		{"alias to the ALB instead of CloudFront", func(s *Snapshot, _ *Expectations) {
			s.HostedZone.Records[0].AliasDNSName = s.Outputs.ALBDNSName
		}, "edge.dns", "Z0123456789", "A app.example.com->" + "ec2stack-dev-1.us-east-1.elb.amazonaws.com"},
		{"plain A record", func(s *Snapshot, _ *Expectations) {
			s.HostedZone.Records = []DNSRecord{{Name: appFQDN, Type: "A"}}
		}, "edge.dns", "Z0123456789", "(not an alias)"},
		{"domain not expected", func(_ *Snapshot, w *Expectations) { w.Edge.Domain = false },
			"edge.absent", "Z0123456789", "hosted zone Z0123456789"},

		// Off-hours schedule and detailed monitoring
		{"no scale-up action", func(s *Snapshot, _ *Expectations) {
			s.AutoScalingGroup.ScheduledActions = s.AutoScalingGroup.ScheduledActions[:1]
		}, "asg.schedule", "ec2stack-dev-app", "[ec2stack-prod-off-hours-down(0 19 * * MON-FRI)]"},
		{"one-off actions", func(s *Snapshot, _ *Expectations) {
			for i := range s.AutoScalingGroup.ScheduledActions {
				s.AutoScalingGroup.ScheduledActions[i].Recurrence = ""
			}
		}, "asg.schedule", "ec2stack-dev-app", "ec2stack-prod-off-hours-up(once)"},
		{"schedule not expected", func(_ *Snapshot, w *Expectations) { w.OffHours = false },
			"asg.schedule", "ec2stack-dev-app", "scheduled actions [ec2stack-prod-off-hours-down"},
		{"detailed monitoring off", func(s *Snapshot, _ *Expectations) { s.LaunchTemplate.Versions[0].MonitoringEnabled = false },
			"launch_template.monitoring", ltID + " version 1", "Monitoring.Enabled=false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, w := fullSnapshot(), fullExpectations()
			tt.mutate(s, &w)
			failures := Check(s, w)
			for _, f := range failures {
				if f.Check == tt.check && strings.Contains(f.Resource, tt.resource) && strings.Contains(f.Got, tt.got) {
					if f.Want == "" {
						t.Errorf("failure %v has no Want", f)
					}
					return
				}
			}
			t.Errorf("want a %s failure on %q with got containing %q; got %d failures:", tt.check, tt.resource, tt.got, len(failures))
			for _, f := range failures {
				t.Logf("  %v", f)
			}
		})
	}
}

func TestCheckFeaturesSkip(t *testing.T) {
	// What moto cannot return: the lead skips these on the emulator.
	s, w := fullSnapshot(), fullExpectations()
	s.Database.PerformanceInsights, s.Database.MonitoringInterval = false, 0
	s.Distribution.ResponseHeadersPolicies = nil
	w.Skip = []string{"database.performance_insights", "database.monitoring", "edge.security_headers"}
	for _, f := range Check(s, w) {
		t.Errorf("skipped check still reported: %v", f)
	}
}

func TestPolicyParsing(t *testing.T) {
	for _, tt := range []struct {
		doc              string
		cloudwatch, deny bool
	}{
		{topicPolicy, true, false},
		{bucketPolicy, false, true},
		{`{"Statement":{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:*"}}`, true, false},
		{`{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Subscribe"}]}`, false, false},
		{`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`, false, true},
		{`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":["false"]}}}]}`, false, true},
		{`not json`, false, false},
		{``, false, false},
	} {
		if got := allowsService(tt.doc, "cloudwatch.amazonaws.com", "sns:Publish"); got != tt.cloudwatch {
			t.Errorf("allowsService(%s) = %t, want %t", tt.doc, got, tt.cloudwatch)
		}
		if got := deniesInsecureTransport(tt.doc); got != tt.deny {
			t.Errorf("deniesInsecureTransport(%s) = %t, want %t", tt.doc, got, tt.deny)
		}
	}
}

func TestParseWebACLARN(t *testing.T) {
	for arn, want := range map[string][3]string{
		cfACLARN:  {"CLOUDFRONT", "ec2stack-prod-cloudfront", "aaaa-1111"},
		albACLARN: {"REGIONAL", "ec2stack-prod-alb", "bbbb-2222"},
		"arn:aws:wafv2:us-east-1:1:regional/ipset/x/y": {},
		"": {},
	} {
		scope, name, id, ok := parseWebACLARN(arn)
		if got := [3]string{string(scope), name, id}; got != want || ok != (want[0] != "") {
			t.Errorf("parseWebACLARN(%q) = %v %t, want %v", arn, got, ok, want)
		}
	}
}
