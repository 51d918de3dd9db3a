package verify

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// TestCollectFeaturesMoto creates an encrypted RDS instance, an SNS topic with an alarm, a backup vault and plan,
// a log bucket and an SSM parameter with the SDK (in the test only), reads them back with Collect, checks Check
// on them, and that Leftovers finds them.
func TestCollectFeaturesMoto(t *testing.T) {
	cfg := startMoto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const env = "verifyfeat"
	prefix := NamePrefix(env)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("setup %s: %v", what, err)
		}
	}

	km := kms.NewFromConfig(cfg)
	key := func(desc string) string {
		k, err := km.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String(desc),
			Tags: []kmstypes.Tag{{TagKey: aws.String("Environment"), TagValue: aws.String(env)}}})
		must("kms key "+desc, err)
		return aws.ToString(k.KeyMetadata.Arn)
	}
	dataKeyARN, snsKeyARN := key("data"), key("sns")
	_, err := km.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/" + prefix + "-sns"), TargetKeyId: aws.String(snsKeyARN)})
	must("kms alias", err)

	// Database: VPC, two subnets, a security group, a subnet group and the instance.
	ec := ec2.NewFromConfig(cfg)
	vpc, err := ec.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must("vpc", err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	subnet := func(cidr, az string) string {
		s, err := ec.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})
		must("subnet "+cidr, err)
		return aws.ToString(s.Subnet.SubnetId)
	}
	dbA, dbB := subnet("10.0.20.0/24", "us-east-1a"), subnet("10.0.21.0/24", "us-east-1b")
	sg, err := ec.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("db"),
		VpcId: aws.String(vpcID), TagSpecifications: ec2TagSpec(ec2types.ResourceTypeSecurityGroup, env)})
	must("security group", err)
	dbSG := aws.ToString(sg.GroupId)
	rd := rds.NewFromConfig(cfg)
	rdsTags := []rdstypes.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}
	_, err = rd.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String(prefix),
		DBSubnetGroupDescription: aws.String("db"), SubnetIds: []string{dbA, dbB}, Tags: rdsTags})
	must("db subnet group", err)
	_, err = rd.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String(prefix + "-db"), DBInstanceClass: aws.String("db.t3.micro"), Engine: aws.String("postgres"),
		AllocatedStorage: aws.Int32(20), MasterUsername: aws.String("app"), ManageMasterUserPassword: aws.Bool(true),
		MasterUserSecretKmsKeyId: aws.String(dataKeyARN), StorageEncrypted: aws.Bool(true), KmsKeyId: aws.String(dataKeyARN),
		DBSubnetGroupName: aws.String(prefix), VpcSecurityGroupIds: []string{dbSG}, PubliclyAccessible: aws.Bool(false),
		EnableIAMDatabaseAuthentication: aws.Bool(true), CopyTagsToSnapshot: aws.Bool(true), AutoMinorVersionUpgrade: aws.Bool(true),
		BackupRetentionPeriod: aws.Int32(7), DeletionProtection: aws.Bool(false), EnableCloudwatchLogsExports: []string{"postgresql"},
		Tags: rdsTags})
	must("db instance", err)

	// Alerts: an encrypted topic (by alias) whose policy lets CloudWatch publish, and one warning alarm on it.
	sn := sns.NewFromConfig(cfg)
	topic, err := sn.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(prefix + "-alerts"),
		Attributes: map[string]string{"KmsMasterKeyId": "alias/" + prefix + "-sns",
			"Policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`},
		Tags: []snstypes.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}})
	must("sns topic", err)
	topicARN := aws.ToString(topic.TopicArn)
	alarmName := prefix + "-cpu-warning"
	_, err = newCloudWatch(cfg).PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(alarmName),
		Namespace: aws.String("AWS/EC2"), MetricName: aws.String("CPUUtilization"), Statistic: cwtypes.StatisticAverage,
		Period: aws.Int32(300), EvaluationPeriods: aws.Int32(2), Threshold: aws.Float64(80),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold, ActionsEnabled: aws.Bool(true), AlarmActions: []string{topicARN}})
	must("alarm", err)

	// Backup: a vault encrypted with the data key and a plan whose daily rule keeps 7 days (no weekly/monthly).
	bk := backup.NewFromConfig(cfg)
	_, err = bk.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: aws.String(prefix),
		EncryptionKeyArn: aws.String(dataKeyARN), BackupVaultTags: map[string]string{"Environment": env}})
	must("backup vault", err)
	plan, err := bk.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: &backuptypes.BackupPlanInput{
		BackupPlanName: aws.String(prefix), Rules: []backuptypes.BackupRuleInput{{RuleName: aws.String("daily"),
			TargetBackupVaultName: aws.String(prefix), ScheduleExpression: aws.String("cron(0 5 * * ? *)"),
			Lifecycle: &backuptypes.Lifecycle{DeleteAfterDays: aws.Int64(7)}}}}})
	must("backup plan", err)
	planID := aws.ToString(plan.BackupPlanId)

	// A tagged, versioned log bucket without a public access block, and an SSM parameter under the stack's path.
	s3c := newS3(cfg)
	bucket := prefix + "-alb-logs"
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	must("bucket", err)
	_, err = s3c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("Environment"), Value: aws.String(env)}}}})
	must("bucket tagging", err)
	_, err = s3c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must("bucket versioning", err)
	param := "/" + prefix + "/cloudwatch-agent"
	_, err = ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(param), Value: aws.String("{}"),
		Type: ssmtypes.ParameterTypeString})
	must("ssm parameter", err)

	out := Outputs{Environment: env, DatabaseInstanceID: prefix + "-db", DatabaseSecurityGroupID: dbSG,
		DatabaseSubnetIDs: map[string]string{"us-east-1a": dbA, "us-east-1b": dbB},
		DataKMSKeyARN:     dataKeyARN, SNSKMSKeyARN: snsKeyARN, SNSTopicARN: topicARN,
		AlarmNames:      map[string]string{"cpu_warning": alarmName},
		BackupVaultName: prefix, BackupPlanID: planID, ALBLogsBucket: bucket}
	s, err := Collect(ctx, cfg, out)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}

	// Values read back.
	if d := s.Database; d == nil || d.Engine != "postgres" || !d.StorageEncrypted || KeyID(d.KMSKeyID) != KeyID(dataKeyARN) ||
		d.PubliclyAccessible || !slices.Equal(d.SecurityGroupIDs, []string{dbSG}) || !sameSet(d.SubnetIDs, []string{dbA, dbB}) ||
		!d.IAMAuthentication || !d.CopyTagsToSnapshot || d.BackupRetentionPeriod != 7 || d.MasterUserSecretARN == "" ||
		!slices.Equal(d.LogExports, []string{"postgresql"}) || d.Tags["Environment"] != env {
		t.Errorf("Database = %+v", s.Database)
	}
	if tp := s.Topic; tp == nil || tp.KMSMasterKeyID != "alias/"+prefix+"-sns" || KeyID(tp.KMSKeyARN) != KeyID(snsKeyARN) ||
		!allowsService(tp.Policy, "cloudwatch.amazonaws.com", "sns:Publish") {
		t.Errorf("Topic = %+v", s.Topic)
	}
	if a, ok := s.Alarms[alarmName]; !ok || !a.ActionsEnabled || !slices.Equal(a.AlarmActions, []string{topicARN}) {
		t.Errorf("Alarms = %+v", s.Alarms)
	}
	if v := s.BackupVault; v == nil || v.Name != prefix || v.EncryptionKeyARN != dataKeyARN {
		t.Errorf("BackupVault = %+v", s.BackupVault)
	}
	if p := s.BackupPlan; p == nil || len(p.Rules) != 1 || p.Rules[0].Name != "daily" || p.Rules[0].DeleteAfterDays != 7 ||
		p.Rules[0].TargetVault != prefix {
		t.Errorf("BackupPlan = %+v", s.BackupPlan)
	}
	if b, ok := s.Buckets[bucket]; !ok || b.Versioning != "Enabled" || b.BlockPublicACLs || b.Policy != "" || len(b.Lifecycle) != 0 {
		t.Errorf("Buckets = %+v", s.Buckets)
	}

	// The planted faults are reported on the live data; the good parts are not.
	failures := Check(s, Expectations{Database: &DatabaseExpectations{Engine: "postgres", BackupRetentionDays: 7},
		BackupRetentionDays: 7, Alerts: true, AccessLogs: true})
	has := func(check, resource string) bool {
		return slices.ContainsFunc(failures, func(f Failure) bool { return f.Check == check && strings.Contains(f.Resource, resource) })
	}
	for _, want := range []struct{ check, resource string }{
		{"alerts.topic_policy", topicARN},  // no EventBridge statement
		{"alerts.severity", "alarm_names"}, // no critical alarm
		{"backup.rules", planID},           // no weekly or monthly rule
		{"log_bucket.public_access_block", bucket},
		{"log_bucket.tls_only", bucket},
	} {
		if !has(want.check, want.resource) {
			t.Errorf("Check on moto data: no %s failure on %s", want.check, want.resource)
		}
	}
	for _, clean := range []string{"database.engine", "database.encryption", "database.public", "database.security_group",
		"database.subnets", "database.iam_auth", "database.copy_tags", "database.backup_retention", "database.log_exports",
		"database.multi_az", "database.deletion_protection", "alerts.topic_kms", "alerts.alarm_actions", "backup.vault",
		"backup.vault_kms", "backup.retention", "log_bucket.versioning", "dashboard", "edge", "waf"} {
		for _, f := range failures {
			if f.Check == clean || strings.HasPrefix(f.Check, clean+".") {
				t.Errorf("Check on moto data: unexpected failure %v", f)
			}
		}
	}
	for _, f := range failures {
		t.Logf("check on moto data: %v", f)
	}

	left, err := Leftovers(ctx, cfg, env)
	if err != nil {
		t.Fatalf("Leftovers: %v", err)
	}
	for _, want := range []string{
		"db-instance " + prefix + "-db", "db-subnet-group " + prefix, "sns-topic " + topicARN, "cloudwatch-alarm " + alarmName,
		"backup-vault " + prefix, "backup-plan " + planID, "s3-bucket " + bucket, "ssm-parameter " + param,
	} {
		if !slices.Contains(left, want) {
			t.Errorf("Leftovers(%s) misses %q; got %v", env, want, left)
		}
	}
	if none, err := Leftovers(ctx, cfg, "verifyfea"); err != nil || len(none) != 0 {
		t.Errorf("Leftovers(verifyfea) = %v, %v; want nothing (names are matched on a separator)", none, err)
	}
}
