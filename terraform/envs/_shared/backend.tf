# Partial S3 backend: bucket, key and region are given at init (`ec2stack` passes them with -backend-config;
# see the README). State locking uses an S3 lock file, no DynamoDB table.
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
