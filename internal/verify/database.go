package verify

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// The database (terraform/modules/database): the RDS primary and its read replica, their subnet and parameter
// groups and the RDS-managed master password secret.

var databaseDomain = domain{
	name: "database",
	collect: []collectStep{
		{"database", func(o Outputs) bool { return o.DatabaseInstanceID != "" || o.DatabaseReplicaID != "" }, (*clients).database},
	},
	check:     []func(*checker){(*checker).database},
	leftovers: databaseLeftovers,
}

// DatabaseExpectations are the spec values of the RDS database.
type DatabaseExpectations struct {
	Engine              string // postgres | mysql; "" = not checked
	InstanceClass       string // "" = not checked
	MultiAZ             bool
	DeletionProtection  bool // true: required; false: not checked
	BackupRetentionDays int  // the least BackupRetentionPeriod of the primary
	ReadReplica         bool
}

// DatabaseSnapshot is the database part of a Snapshot.
type DatabaseSnapshot struct {
	Database        *DBInstance // the primary (database_instance_id)
	DatabaseReplica *DBInstance // the read replica (database_replica_id)
}

// DBInstance is an RDS DB instance.
type DBInstance struct {
	ID                        string
	ARN                       string
	Status                    string
	Engine                    string
	EngineVersion             string
	Class                     string
	StorageEncrypted          bool
	KMSKeyID                  string
	PubliclyAccessible        bool
	SecurityGroupIDs          []string
	SubnetGroupName           string
	SubnetIDs                 []string // of its DB subnet group
	IAMAuthentication         bool
	CopyTagsToSnapshot        bool
	AutoMinorVersionUpgrade   bool
	BackupRetentionPeriod     int32
	MultiAZ                   bool
	DeletionProtection        bool
	MasterUserSecretARN       string // "" = no RDS-managed master password
	MasterUserSecretKMSKeyID  string
	LogExports                []string // EnabledCloudwatchLogsExports
	PerformanceInsights       bool
	PerformanceInsightsKMSKey string
	MonitoringInterval        int32
	MonitoringRoleARN         string
	ReplicaSourceID           string // ReadReplicaSourceDBInstanceIdentifier (an identifier or ARN); "" for a primary
	Tags                      map[string]string
}

func rdsTag(t rdstypes.Tag) (*string, *string) { return t.Key, t.Value }

// ---- collect

func (c *clients) database(ctx context.Context, s *Snapshot) error {
	for _, x := range []struct {
		id  string
		dst **DBInstance
	}{{s.Outputs.DatabaseInstanceID, &s.Database}, {s.Outputs.DatabaseReplicaID, &s.DatabaseReplica}} {
		if x.id == "" {
			continue
		}
		resp, err := c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(x.id)})
		if apiError(err, "DBInstanceNotFound", "DBInstanceNotFoundFault") {
			continue
		}
		if err != nil {
			return fmt.Errorf("describe db instance %s: %w", x.id, err)
		}
		if len(resp.DBInstances) > 0 {
			*x.dst = dbInstance(resp.DBInstances[0])
		}
	}
	return nil
}

func dbInstance(d rdstypes.DBInstance) *DBInstance {
	db := &DBInstance{
		ID:                        aws.ToString(d.DBInstanceIdentifier),
		ARN:                       aws.ToString(d.DBInstanceArn),
		Status:                    aws.ToString(d.DBInstanceStatus),
		Engine:                    aws.ToString(d.Engine),
		EngineVersion:             aws.ToString(d.EngineVersion),
		Class:                     aws.ToString(d.DBInstanceClass),
		StorageEncrypted:          aws.ToBool(d.StorageEncrypted),
		KMSKeyID:                  aws.ToString(d.KmsKeyId),
		PubliclyAccessible:        aws.ToBool(d.PubliclyAccessible),
		IAMAuthentication:         aws.ToBool(d.IAMDatabaseAuthenticationEnabled),
		CopyTagsToSnapshot:        aws.ToBool(d.CopyTagsToSnapshot),
		AutoMinorVersionUpgrade:   aws.ToBool(d.AutoMinorVersionUpgrade),
		BackupRetentionPeriod:     aws.ToInt32(d.BackupRetentionPeriod),
		MultiAZ:                   aws.ToBool(d.MultiAZ),
		DeletionProtection:        aws.ToBool(d.DeletionProtection),
		LogExports:                d.EnabledCloudwatchLogsExports,
		PerformanceInsights:       aws.ToBool(d.PerformanceInsightsEnabled),
		PerformanceInsightsKMSKey: aws.ToString(d.PerformanceInsightsKMSKeyId),
		MonitoringInterval:        aws.ToInt32(d.MonitoringInterval),
		MonitoringRoleARN:         aws.ToString(d.MonitoringRoleArn),
		ReplicaSourceID:           aws.ToString(d.ReadReplicaSourceDBInstanceIdentifier),
		Tags:                      tagMap(d.TagList, rdsTag),
	}
	for _, g := range d.VpcSecurityGroups {
		db.SecurityGroupIDs = append(db.SecurityGroupIDs, aws.ToString(g.VpcSecurityGroupId))
	}
	if g := d.DBSubnetGroup; g != nil {
		db.SubnetGroupName = aws.ToString(g.DBSubnetGroupName)
		for _, sn := range g.Subnets {
			db.SubnetIDs = append(db.SubnetIDs, aws.ToString(sn.SubnetIdentifier))
		}
		sort.Strings(db.SubnetIDs)
	}
	if m := d.MasterUserSecret; m != nil {
		db.MasterUserSecretARN = aws.ToString(m.SecretArn)
		db.MasterUserSecretKMSKeyID = aws.ToString(m.KmsKeyId)
	}
	return db
}

// ---- check

func (c *checker) database() {
	d := c.w.Database
	if d == nil {
		c.checks("database.absent")
		for _, x := range []struct {
			id    string
			found bool
		}{{c.o.DatabaseInstanceID, c.s.Database != nil}, {c.o.DatabaseReplicaID, c.s.DatabaseReplica != nil}} {
			if x.id != "" || x.found {
				c.fail("database.absent", x.id, "DB instance "+x.id, "no database in this environment")
			}
		}
		return
	}
	c.checks("database", "database.encryption", "database.public", "database.security_group", "database.subnets",
		"database.iam_auth", "database.copy_tags", "database.minor_upgrades", "database.multi_az", "database.backup_retention",
		"database.master_secret", "database.log_exports", "database.performance_insights", "database.monitoring", "database.replica")
	if d.Engine != "" {
		c.checks("database.engine")
	}
	if d.InstanceClass != "" {
		c.checks("database.instance_class")
	}
	if d.DeletionProtection {
		c.checks("database.deletion_protection")
	}
	db := c.s.Database
	if !c.missing("database", c.o.DatabaseInstanceID, db != nil) {
		c.dbInstance(db)
		c.primary(db, d)
	}
	r := c.s.DatabaseReplica
	if !d.ReadReplica {
		if c.o.DatabaseReplicaID != "" || r != nil {
			c.fail("database.replica", c.o.DatabaseReplicaID, "read replica "+c.o.DatabaseReplicaID, "no read replica")
		}
		return
	}
	if c.missing("database.replica", c.o.DatabaseReplicaID, r != nil) {
		return
	}
	c.dbInstance(r)
	if db != nil && r.ReplicaSourceID != db.ID && !strings.HasSuffix(r.ReplicaSourceID, ":db:"+db.ID) {
		c.fail("database.replica", r.ID, "ReadReplicaSourceDBInstanceIdentifier="+r.ReplicaSourceID,
			"ReadReplicaSourceDBInstanceIdentifier="+db.ID)
	}
}

// dbInstance checks what the primary and the replica share: encryption, network placement.
func (c *checker) dbInstance(db *DBInstance) {
	key := c.o.DataKMSKeyARN
	if !db.StorageEncrypted || key == "" || KeyID(db.KMSKeyID) != KeyID(key) {
		c.fail("database.encryption", db.ID, fmt.Sprintf("StorageEncrypted=%t KmsKeyId=%s", db.StorageEncrypted, db.KMSKeyID),
			"StorageEncrypted=true KmsKeyId="+key)
	}
	if db.PubliclyAccessible {
		c.fail("database.public", db.ID, "PubliclyAccessible=true", "PubliclyAccessible=false")
	}
	if sg := c.o.DatabaseSecurityGroupID; sg == "" || !slices.Equal(db.SecurityGroupIDs, []string{sg}) {
		c.fail("database.security_group", db.ID, "VpcSecurityGroups "+list(db.SecurityGroupIDs), "only the database SG "+sg)
	}
	if want := sortedValues(c.o.DatabaseSubnetIDs); len(want) == 0 || !sameSet(db.SubnetIDs, want) {
		c.fail("database.subnets", db.ID, "subnet group "+db.SubnetGroupName+" "+list(db.SubnetIDs), "the database subnets "+list(want))
	}
}

func (c *checker) primary(db *DBInstance, d *DatabaseExpectations) {
	key := c.o.DataKMSKeyARN
	if d.Engine != "" && db.Engine != d.Engine {
		c.fail("database.engine", db.ID, db.Engine, d.Engine)
	}
	if d.InstanceClass != "" && db.Class != d.InstanceClass {
		c.fail("database.instance_class", db.ID, db.Class, d.InstanceClass)
	}
	flags := []struct {
		check, name string
		got, want   bool
	}{
		{"database.iam_auth", "IAMDatabaseAuthenticationEnabled", db.IAMAuthentication, true},
		{"database.copy_tags", "CopyTagsToSnapshot", db.CopyTagsToSnapshot, true},
		{"database.minor_upgrades", "AutoMinorVersionUpgrade", db.AutoMinorVersionUpgrade, true},
		{"database.multi_az", "MultiAZ", db.MultiAZ, d.MultiAZ},
		{"database.deletion_protection", "DeletionProtection", db.DeletionProtection || !d.DeletionProtection, true},
	}
	for _, f := range flags {
		if f.got != f.want {
			c.fail(f.check, db.ID, fmt.Sprintf("%s=%t", f.name, f.got), fmt.Sprintf("%s=%t", f.name, f.want))
		}
	}
	if int(db.BackupRetentionPeriod) < d.BackupRetentionDays || db.BackupRetentionPeriod == 0 {
		c.fail("database.backup_retention", db.ID, fmt.Sprintf("BackupRetentionPeriod=%d", db.BackupRetentionPeriod),
			fmt.Sprintf("BackupRetentionPeriod >= %d", max(d.BackupRetentionDays, 1)))
	}
	switch {
	case db.MasterUserSecretARN == "":
		c.fail("database.master_secret", db.ID, "no MasterUserSecret", "an RDS-managed master password secret encrypted with "+key)
	case key == "" || KeyID(db.MasterUserSecretKMSKeyID) != KeyID(key):
		c.fail("database.master_secret", db.ID, "MasterUserSecret KmsKeyId="+db.MasterUserSecretKMSKeyID, "MasterUserSecret KmsKeyId="+key)
	}
	if len(db.LogExports) == 0 {
		c.fail("database.log_exports", db.ID, "EnabledCloudwatchLogsExports=[]", "logs exported to CloudWatch")
	}
	if !db.PerformanceInsights || key == "" || KeyID(db.PerformanceInsightsKMSKey) != KeyID(key) {
		c.fail("database.performance_insights", db.ID,
			fmt.Sprintf("PerformanceInsightsEnabled=%t PerformanceInsightsKMSKeyId=%s", db.PerformanceInsights, db.PerformanceInsightsKMSKey),
			"PerformanceInsightsEnabled=true PerformanceInsightsKMSKeyId="+key)
	}
	if db.MonitoringInterval <= 0 || db.MonitoringRoleARN == "" {
		c.fail("database.monitoring", db.ID, fmt.Sprintf("MonitoringInterval=%d MonitoringRoleArn=%s", db.MonitoringInterval, db.MonitoringRoleARN),
			"enhanced monitoring: MonitoringInterval > 0 with a monitoring role")
	}
}

// ---- leftovers

func databaseLeftovers(ctx context.Context, l *leftovers) {
	find(ctx, l, "db-instance", rds.NewDescribeDBInstancesPaginator(l.rds, &rds.DescribeDBInstancesInput{}),
		func(o *rds.DescribeDBInstancesOutput) []rdstypes.DBInstance { return o.DBInstances },
		func(d rdstypes.DBInstance) (string, bool, error) {
			id := aws.ToString(d.DBInstanceIdentifier)
			// DescribeDBInstances carries the tags; where it does not, the identifier decides.
			return id, l.ours(tagMap(d.TagList, rdsTag)) || (len(d.TagList) == 0 && l.named(id)), nil
		})
	find(ctx, l, "db-subnet-group", rds.NewDescribeDBSubnetGroupsPaginator(l.rds, &rds.DescribeDBSubnetGroupsInput{}),
		func(o *rds.DescribeDBSubnetGroupsOutput) []rdstypes.DBSubnetGroup { return o.DBSubnetGroups },
		func(g rdstypes.DBSubnetGroup) (string, bool, error) {
			name := aws.ToString(g.DBSubnetGroupName)
			ok, err := l.rdsOurs(ctx, name, aws.ToString(g.DBSubnetGroupArn))
			return name, ok, err
		})
	find(ctx, l, "db-parameter-group", rds.NewDescribeDBParameterGroupsPaginator(l.rds, &rds.DescribeDBParameterGroupsInput{}),
		func(o *rds.DescribeDBParameterGroupsOutput) []rdstypes.DBParameterGroup { return o.DBParameterGroups },
		func(g rdstypes.DBParameterGroup) (string, bool, error) {
			name := aws.ToString(g.DBParameterGroupName)
			if strings.HasPrefix(name, "default.") {
				return name, false, nil
			}
			ok, err := l.rdsOurs(ctx, name, aws.ToString(g.DBParameterGroupArn))
			return name, ok, err
		})
	find(ctx, l, "secret", secretsmanager.NewListSecretsPaginator(l.secrets, &secretsmanager.ListSecretsInput{}),
		func(o *secretsmanager.ListSecretsOutput) []smtypes.SecretListEntry { return o.SecretList },
		func(s smtypes.SecretListEntry) (string, bool, error) {
			tags := tagMap(s.Tags, func(t smtypes.Tag) (*string, *string) { return t.Key, t.Value })
			return aws.ToString(s.ARN), s.DeletedDate == nil && l.ours(tags), nil
		})
}

// rdsOurs reports whether an RDS group is the environment's: by its name, else by the tags of its ARN (if any).
func (l *leftovers) rdsOurs(ctx context.Context, name, arn string) (bool, error) {
	if l.named(name) || arn == "" {
		return l.named(name), nil
	}
	resp, err := l.rds.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	if err != nil {
		return false, fmt.Errorf("list tags of %s %s: %w", name, arn, err)
	}
	return l.ours(tagMap(resp.TagList, rdsTag)), nil
}
