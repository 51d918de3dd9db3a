package verify

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// DatabaseExpectations are the spec values of the RDS database.
type DatabaseExpectations struct {
	Engine              string // postgres | mysql; "" = not checked
	MultiAZ             bool
	DeletionProtection  bool
	BackupRetentionDays int // the instance's BackupRetentionPeriod
	ReadReplica         bool
}

// EdgeExpectations say which edge features the environment has.
type EdgeExpectations struct {
	CloudFront bool // a CloudFront distribution in front of the ALB, which only CloudFront may reach
	WAF        bool // WAF web ACLs on the ALB (and on the distribution with CloudFront)
	Domain     bool // a custom domain: Route 53 alias record and ACM certificate
}

// Managed WAF rule groups every web ACL must use, with OverrideAction none.
var RequiredWAFRuleGroups = []string{
	"AWS/AWSManagedRulesCommonRuleSet",
	"AWS/AWSManagedRulesKnownBadInputsRuleSet",
	"AWS/AWSManagedRulesAmazonIpReputationList",
}

// CloudFrontTLSPolicy is the minimum viewer TLS version required with a custom domain.
const CloudFrontTLSPolicy = "TLSv1.2_2021"

// ---- IAM-style policy documents (topic and bucket policies)

// policyStrings decodes a policy value that may be a string, a bool, or a list of them.
type policyStrings []string

func (p *policyStrings) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			*p = append(*p, fmt.Sprint(e))
		}
	case nil:
	default:
		*p = policyStrings{fmt.Sprint(x)}
	}
	return nil
}

type policyStatement struct {
	Effect    string
	Principal json.RawMessage
	Action    policyStrings
	Condition map[string]map[string]policyStrings
}

// policyStatements parses a policy document; an unparsable or empty document has no statements.
func policyStatements(doc string) []policyStatement {
	var d struct{ Statement json.RawMessage }
	if json.Unmarshal([]byte(doc), &d) != nil || len(d.Statement) == 0 {
		return nil
	}
	var list []policyStatement
	if json.Unmarshal(d.Statement, &list) == nil {
		return list
	}
	var one policyStatement
	if json.Unmarshal(d.Statement, &one) == nil {
		return []policyStatement{one}
	}
	return nil
}

// services are the service principals of the statement.
func (st policyStatement) services() []string {
	var p struct{ Service policyStrings }
	if json.Unmarshal(st.Principal, &p) != nil {
		return nil
	}
	return p.Service
}

func (st policyStatement) allows(action string) bool {
	service, _, _ := strings.Cut(action, ":")
	return slices.ContainsFunc(st.Action, func(a string) bool {
		return a == "*" || strings.EqualFold(a, action) || strings.EqualFold(a, service+":*")
	})
}

// allowsService reports whether doc lets the service principal do action.
func allowsService(doc, service, action string) bool {
	for _, st := range policyStatements(doc) {
		if st.Effect == "Allow" && slices.Contains(st.services(), service) && st.allows(action) {
			return true
		}
	}
	return false
}

// deniesInsecureTransport reports whether doc has a Deny on aws:SecureTransport false.
func deniesInsecureTransport(doc string) bool {
	for _, st := range policyStatements(doc) {
		if st.Effect != "Deny" {
			continue
		}
		for op, cond := range st.Condition {
			if !strings.EqualFold(op, "Bool") {
				continue
			}
			for k, v := range cond {
				if strings.EqualFold(k, "aws:SecureTransport") && slices.Contains(v, "false") {
					return true
				}
			}
		}
	}
	return false
}

// ---- database

func (c *checker) database() {
	d := c.w.Database
	if d == nil {
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
	flags := []struct {
		check, name string
		got, want   bool
	}{
		{"database.iam_auth", "IAMDatabaseAuthenticationEnabled", db.IAMAuthentication, true},
		{"database.copy_tags", "CopyTagsToSnapshot", db.CopyTagsToSnapshot, true},
		{"database.minor_upgrades", "AutoMinorVersionUpgrade", db.AutoMinorVersionUpgrade, true},
		{"database.multi_az", "MultiAZ", db.MultiAZ, d.MultiAZ},
		{"database.deletion_protection", "DeletionProtection", db.DeletionProtection, d.DeletionProtection},
	}
	for _, f := range flags {
		if f.got != f.want {
			c.fail(f.check, db.ID, fmt.Sprintf("%s=%t", f.name, f.got), fmt.Sprintf("%s=%t", f.name, f.want))
		}
	}
	if int(db.BackupRetentionPeriod) != d.BackupRetentionDays {
		c.fail("database.backup_retention", db.ID, fmt.Sprintf("BackupRetentionPeriod=%d", db.BackupRetentionPeriod),
			fmt.Sprintf("BackupRetentionPeriod=%d", d.BackupRetentionDays))
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

// ---- AWS Backup

func (c *checker) backup() {
	want := c.w.BackupRetentionDays
	if want == 0 {
		if c.o.BackupVaultName != "" || c.o.BackupPlanID != "" || c.s.BackupVault != nil || c.s.BackupPlan != nil {
			c.fail("backup.absent", strings.TrimSpace(c.o.BackupVaultName+" "+c.o.BackupPlanID),
				"backup vault "+c.o.BackupVaultName+", plan "+c.o.BackupPlanID, "AWS Backup off in this environment")
		}
		return
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
		ok := r.DeleteAfterDays == int64(want)
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
	}
	if (hasDaily && dailyBad) || (!hasDaily && !anyOK) {
		got := list(days)
		if hasDaily {
			got = list(daily)
		}
		c.fail("backup.retention", p.ID, "DeleteAfterDays "+got, fmt.Sprintf("daily rule DeleteAfterDays=%d", want))
	}
	if !(weekly && monthly) && len(p.Rules) < 3 {
		c.fail("backup.rules", p.ID, "rules "+list(names), "daily, weekly and monthly rules")
	}
}

// ---- alerts and dashboard

func (c *checker) alerts() {
	if !c.w.Alerts {
		if c.o.SNSTopicARN != "" || c.s.Topic != nil {
			c.fail("alerts.absent", c.o.SNSTopicARN, "SNS topic "+c.o.SNSTopicARN, "no alerts topic in this environment")
		}
		return
	}
	topic := c.o.SNSTopicARN
	if t := c.s.Topic; !c.missing("alerts.topic", topic, t != nil) {
		key, got := t.KMSKeyARN, t.KMSMasterKeyID
		if key == "" {
			key = t.KMSMasterKeyID
		}
		if got == "" {
			got = "none"
		}
		if want := c.o.SNSKMSKeyARN; want == "" || t.KMSMasterKeyID == "" || KeyID(key) != KeyID(want) {
			c.fail("alerts.topic_kms", t.ARN, "KmsMasterKeyId="+got, "KmsMasterKeyId="+want)
		}
		for _, svc := range []string{"cloudwatch.amazonaws.com", "events.amazonaws.com"} {
			if !allowsService(t.Policy, svc, "sns:Publish") {
				c.fail("alerts.topic_policy", t.ARN, "no Allow sns:Publish for "+svc, "topic policy allows "+svc+" to publish")
			}
		}
	}
	if len(c.o.AlarmNames) == 0 {
		c.fail("alerts.alarm", "alarm_names", "no alarms", "alarms acting on "+topic)
	}
	warning, critical := false, false
	for _, k := range sortedKeys(c.o.AlarmNames) {
		name := c.o.AlarmNames[k]
		lk, ln := strings.ToLower(k), strings.ToLower(name)
		warning = warning || strings.Contains(lk, "warning") || strings.Contains(ln, "warning")
		critical = critical || strings.Contains(lk, "critical") || strings.Contains(ln, "critical")
		a, ok := c.s.Alarms[name]
		if c.missing("alerts.alarm", name, ok) {
			continue
		}
		if !a.ActionsEnabled {
			c.fail("alerts.alarm_actions", name, "ActionsEnabled=false", "ActionsEnabled=true")
		}
		if topic == "" || !slices.Contains(a.AlarmActions, topic) {
			c.fail("alerts.alarm_actions", name, "AlarmActions "+list(a.AlarmActions), "AlarmActions include "+topic)
		}
	}
	names := list(sortedValues(c.o.AlarmNames))
	if !warning {
		c.fail("alerts.severity", "alarm_names", names, "at least one warning alarm")
	}
	if !critical {
		c.fail("alerts.severity", "alarm_names", names, "at least one critical alarm")
	}
}

func (c *checker) dashboard() {
	if !c.w.Dashboard {
		if c.o.DashboardName != "" || c.s.Dashboard != nil {
			c.fail("dashboard.absent", c.o.DashboardName, "dashboard "+c.o.DashboardName, "no dashboard in this environment")
		}
		return
	}
	c.missing("dashboard", c.o.DashboardName, c.s.Dashboard != nil)
}

// ---- access logs and log buckets

func (c *checker) accessLogs() {
	const enabled, bucket = "access_logs.s3.enabled", "access_logs.s3.bucket"
	lb := c.s.LoadBalancer
	if !c.w.AccessLogs {
		if c.o.ALBLogsBucket != "" || (lb != nil && lb.Attributes[enabled] == "true") {
			res := c.o.ALBLogsBucket
			if lb != nil {
				res = lb.ARN
			}
			c.fail("access_logs.absent", res, fmt.Sprintf("alb_logs_bucket=%q %s=%s", c.o.ALBLogsBucket, enabled, attr(lb, enabled)),
				"ALB access logs off in this environment")
		}
		return
	}
	if lb != nil {
		if v := lb.Attributes[enabled]; v != "true" {
			c.fail("access_logs.alb", lb.ARN, enabled+"="+v, enabled+"=true")
		}
		if v := lb.Attributes[bucket]; c.o.ALBLogsBucket == "" || v != c.o.ALBLogsBucket {
			c.fail("access_logs.alb", lb.ARN, bucket+"="+v, bucket+"="+c.o.ALBLogsBucket)
		}
	}
	c.logBucket(c.o.ALBLogsBucket, "alb_logs_bucket")
}

func attr(lb *LoadBalancer, key string) string {
	if lb == nil {
		return ""
	}
	return lb.Attributes[key]
}

// logBucket checks the hardening of a log bucket named by output.
func (c *checker) logBucket(name, output string) {
	res := name + " (" + output + ")"
	if name == "" {
		res = "(no " + output + " output)"
	}
	b, ok := c.s.Buckets[name]
	if c.missing("log_bucket", res, ok && name != "") {
		return
	}
	if !b.BlockPublicACLs || !b.IgnorePublicACLs || !b.BlockPublicPolicy || !b.RestrictPublicBuckets {
		c.fail("log_bucket.public_access_block", res, fmt.Sprintf("BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t RestrictPublicBuckets=%t",
			b.BlockPublicACLs, b.IgnorePublicACLs, b.BlockPublicPolicy, b.RestrictPublicBuckets), "all four public access blocks true")
	}
	if b.Versioning != "Enabled" {
		c.fail("log_bucket.versioning", res, "versioning "+strconv.Quote(b.Versioning), "versioning Enabled")
	}
	if len(b.Encryption) == 0 {
		c.fail("log_bucket.encryption", res, "no default encryption", "default encryption")
	}
	if !slices.ContainsFunc(b.Lifecycle, func(r LifecycleRule) bool { return r.Enabled && r.AbortIncompleteUploadDays > 0 }) {
		var rules []string
		for _, r := range b.Lifecycle {
			rules = append(rules, fmt.Sprintf("%s(enabled=%t abort=%d)", r.ID, r.Enabled, r.AbortIncompleteUploadDays))
		}
		c.fail("log_bucket.lifecycle", res, "lifecycle rules "+list(rules), "an enabled rule with AbortIncompleteMultipartUpload")
	}
	if !deniesInsecureTransport(b.Policy) {
		got := "no bucket policy"
		if b.Policy != "" {
			got = "no Deny on aws:SecureTransport=false"
		}
		c.fail("log_bucket.tls_only", res, got, "a Deny on aws:SecureTransport=false")
	}
}

// ---- edge: CloudFront, WAF, DNS

func (c *checker) edge() {
	e := c.w.Edge
	if e == nil {
		e = &EdgeExpectations{}
	}
	if !e.CloudFront && (c.o.CloudFrontDistributionID != "" || c.s.Distribution != nil) {
		c.fail("edge.absent", c.o.CloudFrontDistributionID, "distribution "+c.o.CloudFrontDistributionID, "no CloudFront in this environment")
	}
	if !e.WAF && (c.o.CloudFrontWebACLARN != "" || c.o.RegionalWebACLARN != "") {
		c.fail("waf.absent", strings.TrimSpace(c.o.RegionalWebACLARN+" "+c.o.CloudFrontWebACLARN),
			"web ACLs "+list(slices.DeleteFunc([]string{c.o.RegionalWebACLARN, c.o.CloudFrontWebACLARN}, func(s string) bool { return s == "" })),
			"no WAF in this environment")
	}
	if !e.Domain && c.o.HostedZoneID != "" {
		c.fail("edge.absent", c.o.HostedZoneID, "hosted zone "+c.o.HostedZoneID, "no custom domain in this environment")
	}
	if e.CloudFront {
		c.distribution(e)
		c.albFromCloudFront()
	}
	if e.WAF {
		if e.CloudFront {
			c.webACL(c.o.CloudFrontWebACLARN, "cloudfront_web_acl_arn")
		}
		c.webACL(c.o.RegionalWebACLARN, "regional_web_acl_arn")
		if lb := c.s.LoadBalancer; lb != nil && (c.o.RegionalWebACLARN == "" || lb.WebACLARN != c.o.RegionalWebACLARN) {
			got := lb.WebACLARN
			if got == "" {
				got = "none"
			}
			c.fail("waf.association", lb.ARN, "web ACL "+got, "web ACL "+c.o.RegionalWebACLARN)
		}
	}
	if e.Domain {
		c.dns(e)
	}
}

func (c *checker) distribution(e *EdgeExpectations) {
	d := c.s.Distribution
	if c.missing("edge.distribution", c.o.CloudFrontDistributionID, d != nil) {
		return
	}
	if !d.Enabled {
		c.fail("edge.enabled", d.ID, "Enabled=false", "Enabled=true")
	}
	if len(d.Behaviors) == 0 {
		c.fail("edge.viewer_protocol", d.ID, "no cache behaviours", "a default cache behaviour")
	}
	for _, b := range d.Behaviors {
		res := d.ID + " behaviour " + cmpOr(b.PathPattern, "default")
		if b.ViewerProtocolPolicy != "redirect-to-https" && b.ViewerProtocolPolicy != "https-only" {
			c.fail("edge.viewer_protocol", res, "ViewerProtocolPolicy="+b.ViewerProtocolPolicy, "ViewerProtocolPolicy in [redirect-to-https https-only]")
		}
		p, ok := d.ResponseHeadersPolicies[b.ResponseHeadersPolicyID]
		switch {
		case b.ResponseHeadersPolicyID == "":
			c.fail("edge.security_headers", res, "no response headers policy", "a response headers policy with Strict-Transport-Security")
		case !ok:
			c.fail("edge.security_headers", res, "response headers policy "+b.ResponseHeadersPolicyID+" not found",
				"a response headers policy with Strict-Transport-Security")
		case !p.StrictTransportSecurity:
			c.fail("edge.security_headers", res, "policy "+cmpOr(p.Name, p.ID)+" without Strict-Transport-Security",
				"a response headers policy with Strict-Transport-Security")
		}
	}
	for _, o := range d.Origins {
		if !o.Custom {
			continue
		}
		if o.OriginProtocolPolicy != "https-only" || !slices.Equal(o.SSLProtocols, []string{"TLSv1.2"}) {
			c.fail("edge.origin_tls", d.ID+" origin "+o.ID, fmt.Sprintf("OriginProtocolPolicy=%s OriginSslProtocols=%s", o.OriginProtocolPolicy, list(o.SSLProtocols)),
				"OriginProtocolPolicy=https-only OriginSslProtocols=[TLSv1.2]")
		}
	}
	if e.WAF && (c.o.CloudFrontWebACLARN == "" || d.WebACLID != c.o.CloudFrontWebACLARN) {
		c.fail("edge.waf", d.ID, "WebACLId="+d.WebACLID, "WebACLId="+c.o.CloudFrontWebACLARN)
	}
	if b := c.o.CloudFrontLogsBucket; b != "" {
		logBucket, _, _ := strings.Cut(d.LoggingBucket, ".s3.")
		if !d.LoggingEnabled || logBucket != b {
			c.fail("edge.logging", d.ID, fmt.Sprintf("Logging Enabled=%t Bucket=%s", d.LoggingEnabled, d.LoggingBucket),
				"Logging Enabled=true Bucket="+b+".s3.amazonaws.com")
		}
		c.logBucket(b, "cloudfront_logs_bucket")
	}
	if !e.Domain {
		return
	}
	if fqdn := dnsName(c.o.FQDN); fqdn == "" || !slices.ContainsFunc(d.Aliases, func(a string) bool { return dnsName(a) == fqdn }) {
		c.fail("edge.aliases", d.ID, "Aliases "+list(d.Aliases), "Aliases include "+c.o.FQDN)
	}
	vc := d.Certificate
	if vc.ACMCertificateARN == "" || vc.SSLSupportMethod != "sni-only" || vc.MinimumProtocolVersion != CloudFrontTLSPolicy {
		c.fail("edge.certificate", d.ID, fmt.Sprintf("ACMCertificateArn=%s SSLSupportMethod=%s MinimumProtocolVersion=%s",
			cmpOr(vc.ACMCertificateARN, "none"), vc.SSLSupportMethod, vc.MinimumProtocolVersion),
			"an ACM certificate, SSLSupportMethod=sni-only MinimumProtocolVersion="+CloudFrontTLSPolicy)
	}
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// albFromCloudFront checks that only CloudFront (a managed prefix list) reaches the ALB on 80 and 443.
func (c *checker) albFromCloudFront() {
	g, ok := c.s.SecurityGroups[c.o.ALBSecurityGroupID]
	if !ok { // reported by sg.alb_ingress
		return
	}
	fromPrefixList := false
	for _, r := range g.Ingress {
		if !covers(r, 80) && !covers(r, 443) {
			continue
		}
		if len(r.CIDRs) > 0 || len(r.SourceGroupIDs) > 0 {
			c.fail("edge.alb_ingress", describeRule(g.ID, "alb", r), ruleSources(r), "only from the CloudFront origin-facing prefix list")
		}
		fromPrefixList = fromPrefixList || len(r.PrefixListIDs) > 0
	}
	if !fromPrefixList {
		c.fail("edge.alb_ingress", g.ID+" (alb)", "no ingress from a prefix list", "80/443 from the CloudFront origin-facing prefix list")
	}
}

func (c *checker) webACL(arn, output string) {
	res := arn
	if arn == "" {
		res = "(no " + output + " output)"
	}
	w, ok := c.s.WebACLs[arn]
	if c.missing("waf.web_acl", res, ok && arn != "") {
		return
	}
	var rules []string
	rateBased := false
	for _, r := range w.Rules {
		desc := r.Name
		if r.ManagedGroup != "" {
			desc += "=" + r.ManagedGroup
			if !r.OverrideNone {
				desc += "(override count)"
			}
		}
		if r.RateBased {
			rateBased = true
			desc += fmt.Sprintf("=rate(%d)", r.RateLimit)
		}
		rules = append(rules, desc)
	}
	for _, g := range RequiredWAFRuleGroups {
		i := slices.IndexFunc(w.Rules, func(r WAFRule) bool { return r.ManagedGroup == g })
		switch {
		case i < 0:
			c.fail("waf.rules", w.ARN, "rules "+list(rules), "managed rule group "+g)
		case !w.Rules[i].OverrideNone:
			c.fail("waf.rules", w.ARN, "rule "+w.Rules[i].Name+" ("+g+") without OverrideAction none",
				"managed rule group "+g+" with OverrideAction none")
		}
	}
	if !rateBased {
		c.fail("waf.rate_limit", w.ARN, "rules "+list(rules), "a rate-based rule")
	}
}

func (c *checker) dns(e *EdgeExpectations) {
	z := c.s.HostedZone
	if c.missing("edge.dns", zoneID(c.o.HostedZoneID), z != nil) {
		return
	}
	fqdn := dnsName(c.o.FQDN)
	target, what := dnsName(c.o.ALBDNSName), "the ALB"
	if e.CloudFront {
		target, what = "", "the distribution"
		if c.s.Distribution != nil {
			target = dnsName(c.s.Distribution.DomainName)
		}
	}
	var got []string
	found := false
	for _, r := range z.Records {
		got = append(got, r.Type+" "+r.Name+"->"+cmpOr(r.AliasDNSName, "(not an alias)"))
		if r.Type == "A" && r.Name == fqdn && r.AliasDNSName != "" &&
			(target == "" || strings.TrimPrefix(r.AliasDNSName, "dualstack.") == target) {
			found = true
		}
	}
	if fqdn == "" || !found {
		c.fail("edge.dns", z.ID, "records "+list(got), "an alias A record "+c.o.FQDN+" -> "+what+" "+target)
	}
}

// ---- schedule and monitoring

func (c *checker) offHours() {
	a := c.s.AutoScalingGroup
	if a == nil { // reported by asg
		return
	}
	var names []string
	for _, sa := range a.ScheduledActions {
		names = append(names, sa.Name+"("+cmpOr(sa.Recurrence, "once")+")")
	}
	if !c.w.OffHours {
		if len(a.ScheduledActions) > 0 {
			c.fail("asg.schedule", a.Name, "scheduled actions "+list(names), "no scheduled actions")
		}
		return
	}
	down, up := false, false
	for _, sa := range a.ScheduledActions {
		if sa.Recurrence == "" {
			continue
		}
		n := strings.ToLower(sa.Name)
		isDown := strings.Contains(n, "down") || strings.Contains(n, "stop") ||
			(sa.DesiredCapacity != nil && *sa.DesiredCapacity == 0) || (sa.MaxSize != nil && *sa.MaxSize == 0)
		down = down || isDown
		up = up || !isDown
	}
	if len(a.ScheduledActions) != 2 || !down || !up {
		c.fail("asg.schedule", a.Name, "scheduled actions "+list(names), "a recurring scale-down and a recurring scale-up action")
	}
}

func (c *checker) detailedMonitoring() {
	want := c.w.DetailedMonitoring
	lt := c.s.LaunchTemplate
	if want == nil || lt == nil {
		return
	}
	for _, v := range lt.Versions {
		if v.MonitoringEnabled != *want {
			c.fail("launch_template.monitoring", fmt.Sprintf("%s version %d", lt.ID, v.Version),
				fmt.Sprintf("Monitoring.Enabled=%t", v.MonitoringEnabled), fmt.Sprintf("Monitoring.Enabled=%t", *want))
		}
	}
}
