output "zone_id" {
  description = "Hosted zone holding domain_name (created or given); \"\" without a domain."
  value       = var.domain_name == "" ? "" : local.zone_id
}

output "name_servers" {
  description = "Name servers of the zone this module created, to delegate to from the parent zone; [] otherwise."
  value       = var.create_hosted_zone ? aws_route53_zone.this[0].name_servers : []
}

output "alb_certificate_arn" {
  description = "Validated ACM certificate for domain_name in the stack's region, for the ALB HTTPS listener; \"\" without a domain."
  value       = local.enable_dns ? aws_acm_certificate_validation.alb[0].certificate_arn : ""
}

output "cloudfront_distribution_id" {
  description = "ID of the CloudFront distribution; \"\" when CloudFront is off."
  value       = local.enable_cloudfront ? aws_cloudfront_distribution.this[0].id : ""
}

output "cloudfront_domain_name" {
  description = "*.cloudfront.net name of the distribution; \"\" when CloudFront is off."
  value       = local.enable_cloudfront ? aws_cloudfront_distribution.this[0].domain_name : ""
}

output "cloudfront_web_acl_arn" {
  description = "ARN of the CLOUDFRONT-scope web ACL (us-east-1); \"\" when WAF or CloudFront is off."
  value       = local.enable_waf_cf ? aws_wafv2_web_acl.cloudfront[0].arn : ""
}

output "regional_web_acl_arn" {
  description = "ARN of the REGIONAL web ACL associated with the ALB; \"\" when WAF is off."
  value       = local.enable_waf_alb ? aws_wafv2_web_acl.regional[0].arn : ""
}

output "cloudfront_prefix_list_id" {
  description = "Managed prefix list of CloudFront's origin-facing addresses, for the ALB security group ingress; \"\" when CloudFront is off."
  value       = local.enable_cloudfront ? data.aws_ec2_managed_prefix_list.cloudfront[0].id : ""
}

output "fqdn" {
  description = "Name users reach the application at: domain_name, else the CloudFront name, else the ALB DNS name."
  value       = local.enable_dns ? var.domain_name : (local.enable_cloudfront ? aws_cloudfront_distribution.this[0].domain_name : var.alb_dns_name)
}

output "origin_domain_name" {
  description = "Name CloudFront reaches the ALB at (origin.<domain_name>, in the ALB certificate's names); \"\" without CloudFront."
  value       = local.origin_domain_name
}
