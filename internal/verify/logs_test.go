package verify

import (
	"strings"
	"testing"
)

func TestLogsFails(t *testing.T) {
	bucket := func(s *Snapshot, name string, f func(*Bucket)) { editEntry(s.Buckets, name, f) }

	checkFails(t, fullBase, []failCase{
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
	})
}
