output "alb_logs_bucket" {
  description = "Name of the ALB access-log bucket, or null when enable_alb_logs is false."
  value       = try(aws_s3_bucket.this["alb"].id, null)
}

output "cloudfront_logs_bucket" {
  description = "Name of the CloudFront standard-log bucket, or null when enable_cloudfront_logs is false."
  value       = try(aws_s3_bucket.this["cloudfront"].id, null)
}

output "bucket_arns" {
  description = "ARNs of the log buckets, keyed by kind (alb, cloudfront); only enabled kinds appear."
  value       = { for kind, bucket in aws_s3_bucket.this : kind => bucket.arn }
}
