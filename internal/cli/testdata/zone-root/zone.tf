# Test fixture (added to the one-VPC dev root): a new hosted zone and a certificate validated through it, the shape
# of a first bring-up on AWS (the CLI creates the zone alone first, then waits for its delegation).
resource "aws_route53_zone" "this" {
  name = "app.fixture.example"
}

resource "aws_acm_certificate" "this" {
  domain_name       = "app.fixture.example"
  validation_method = "DNS"
}

resource "aws_route53_record" "validation" {
  for_each = toset(["app.fixture.example"])

  zone_id = aws_route53_zone.this.zone_id
  name    = one([for o in aws_acm_certificate.this.domain_validation_options : o.resource_record_name if o.domain_name == each.key])
  type    = one([for o in aws_acm_certificate.this.domain_validation_options : o.resource_record_type if o.domain_name == each.key])
  records = [one([for o in aws_acm_certificate.this.domain_validation_options : o.resource_record_value if o.domain_name == each.key])]
  ttl     = 60
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
