package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	waftypes "github.com/aws/aws-sdk-go-v2/service/wafv2/types"
)

// The edge (terraform/modules/edge): the CloudFront distribution, the WAF web ACLs (CLOUDFRONT and REGIONAL
// scope) and the ALB's association, the Route 53 zone and alias record.

var edgeDomain = domain{
	name: "edge",
	collect: []collectStep{
		{"cloudfront distribution", func(o Outputs) bool { return o.CloudFrontDistributionID != "" }, (*clients).distribution},
		{"web acls", func(o Outputs) bool { return o.CloudFrontWebACLARN != "" || o.RegionalWebACLARN != "" }, (*clients).webACLs},
		{"hosted zone", func(o Outputs) bool { return o.HostedZoneID != "" }, (*clients).hostedZone},
		// After the load balancer (compute's steps run first): the certificates its listeners present.
		{"listener certificates", func(o Outputs) bool { return o.CloudFrontDistributionID != "" }, (*clients).listenerCertificates},
	},
	check:     []func(*checker){(*checker).edge},
	leftovers: edgeLeftovers,
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
}

// SourceAddressRuleGroup is the managed group that judges the request's source address: required where the web
// ACL sees clients (CloudFront's, or the ALB's without CloudFront), pointless behind CloudFront (it would judge
// CloudFront's addresses), like the rate-based rule.
const SourceAddressRuleGroup = "AWS/AWSManagedRulesAmazonIpReputationList"

// CloudFrontTLSPolicy is the minimum viewer TLS version required with a custom domain.
const CloudFrontTLSPolicy = "TLSv1.2_2021"

// EdgeSnapshot is the edge part of a Snapshot.
type EdgeSnapshot struct {
	Distribution *Distribution
	WebACLs      map[string]WebACL // keyed by the ARN as reported in the outputs
	HostedZone   *HostedZone
	// Certificates are the ACM certificates the ALB's listeners present, keyed by ARN; one that could not be
	// read is absent.
	Certificates map[string]Certificate
}

// Certificate is an ACM certificate's names.
type Certificate struct {
	ARN   string
	Names []string // the domain name and the subject alternative names
}

// Distribution is a CloudFront distribution.
type Distribution struct {
	ID             string
	ARN            string
	DomainName     string
	Enabled        bool
	Aliases        []string
	WebACLID       string // WAFv2 web ACL ARN
	LoggingEnabled bool
	LoggingBucket  string          // bucket domain name, e.g. logs.s3.amazonaws.com
	Behaviors      []CacheBehavior // the default behaviour first (PathPattern "")
	Origins        []Origin
	Certificate    ViewerCertificate
	// ResponseHeadersPolicies are the response headers policies the behaviours use, keyed by policy ID; a
	// policy that could not be read is absent.
	ResponseHeadersPolicies map[string]ResponseHeadersPolicy
}

// CacheBehavior is a cache behaviour of a distribution.
type CacheBehavior struct {
	PathPattern             string // "" for the default behaviour
	TargetOriginID          string
	ViewerProtocolPolicy    string // allow-all | redirect-to-https | https-only
	ResponseHeadersPolicyID string
}

// Origin is an origin of a distribution.
type Origin struct {
	ID                   string
	DomainName           string
	Custom               bool   // false for S3 origins
	OriginProtocolPolicy string // http-only | match-viewer | https-only (custom origins)
	SSLProtocols         []string
}

// ViewerCertificate is the certificate a distribution presents to viewers.
type ViewerCertificate struct {
	CloudFrontDefault      bool
	ACMCertificateARN      string
	SSLSupportMethod       string // sni-only | vip | static-ip
	MinimumProtocolVersion string
}

// ResponseHeadersPolicy is a CloudFront response headers policy (only what the checks read).
type ResponseHeadersPolicy struct {
	ID                      string
	Name                    string
	StrictTransportSecurity bool
	HSTSMaxAgeSeconds       int32
}

// WebACL is a WAFv2 web ACL and its rules.
type WebACL struct {
	ARN           string
	Name          string
	Scope         string // CLOUDFRONT | REGIONAL
	DefaultAction string // allow | block
	Rules         []WAFRule
}

// WAFRule is one rule of a web ACL.
type WAFRule struct {
	Name          string
	Priority      int32
	ManagedGroup  string // "<vendor>/<name>" of a managed rule group statement; "" otherwise
	OverrideNone  bool   // OverrideAction none (the rule group's own actions apply)
	RateBased     bool
	RateLimit     int64
	ActionBlocked bool // Action block (rules that are not rule groups)
}

// HostedZone is a Route 53 hosted zone with the records for the stack's name.
type HostedZone struct {
	ID      string // without the /hostedzone/ prefix
	Name    string
	Records []DNSRecord // the records whose name is the fqdn output
}

// DNSRecord is a Route 53 record set.
type DNSRecord struct {
	Name         string // without the trailing dot
	Type         string
	AliasDNSName string // without the trailing dot; "" when not an alias
	AliasZoneID  string
}

// ---- collect

func (c *clients) distribution(ctx context.Context, s *Snapshot) error {
	id := s.Outputs.CloudFrontDistributionID
	resp, err := c.cf.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: aws.String(id)})
	if apiError(err, "NoSuchDistribution") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get distribution %s: %w", id, err)
	}
	if resp.Distribution == nil {
		return nil
	}
	d := resp.Distribution
	dist := &Distribution{ID: aws.ToString(d.Id), ARN: aws.ToString(d.ARN), DomainName: aws.ToString(d.DomainName),
		ResponseHeadersPolicies: map[string]ResponseHeadersPolicy{}}
	if cfg := d.DistributionConfig; cfg != nil {
		dist.Enabled = aws.ToBool(cfg.Enabled)
		dist.WebACLID = aws.ToString(cfg.WebACLId)
		if cfg.Aliases != nil {
			dist.Aliases = cfg.Aliases.Items
		}
		if l := cfg.Logging; l != nil {
			dist.LoggingEnabled, dist.LoggingBucket = aws.ToBool(l.Enabled), aws.ToString(l.Bucket)
		}
		if b := cfg.DefaultCacheBehavior; b != nil {
			dist.Behaviors = append(dist.Behaviors, CacheBehavior{TargetOriginID: aws.ToString(b.TargetOriginId),
				ViewerProtocolPolicy: string(b.ViewerProtocolPolicy), ResponseHeadersPolicyID: aws.ToString(b.ResponseHeadersPolicyId)})
		}
		if cfg.CacheBehaviors != nil {
			for _, b := range cfg.CacheBehaviors.Items {
				dist.Behaviors = append(dist.Behaviors, CacheBehavior{PathPattern: aws.ToString(b.PathPattern),
					TargetOriginID: aws.ToString(b.TargetOriginId), ViewerProtocolPolicy: string(b.ViewerProtocolPolicy),
					ResponseHeadersPolicyID: aws.ToString(b.ResponseHeadersPolicyId)})
			}
		}
		if cfg.Origins != nil {
			for _, o := range cfg.Origins.Items {
				dist.Origins = append(dist.Origins, origin(o))
			}
		}
		if v := cfg.ViewerCertificate; v != nil {
			dist.Certificate = ViewerCertificate{CloudFrontDefault: aws.ToBool(v.CloudFrontDefaultCertificate),
				ACMCertificateARN: aws.ToString(v.ACMCertificateArn), SSLSupportMethod: string(v.SSLSupportMethod),
				MinimumProtocolVersion: string(v.MinimumProtocolVersion)}
		}
	}
	for _, b := range dist.Behaviors {
		pid := b.ResponseHeadersPolicyID
		if _, done := dist.ResponseHeadersPolicies[pid]; pid == "" || done {
			continue
		}
		// A policy that cannot be read (not found, or an emulator without the API) stays absent: the check
		// then reports it, naming the policy ID.
		p, err := c.cf.GetResponseHeadersPolicy(ctx, &cloudfront.GetResponseHeadersPolicyInput{Id: aws.String(pid)})
		if err != nil || p.ResponseHeadersPolicy == nil {
			continue
		}
		rhp := ResponseHeadersPolicy{ID: pid}
		if pc := p.ResponseHeadersPolicy.ResponseHeadersPolicyConfig; pc != nil {
			rhp.Name = aws.ToString(pc.Name)
			if sh := pc.SecurityHeadersConfig; sh != nil && sh.StrictTransportSecurity != nil {
				rhp.StrictTransportSecurity = true
				rhp.HSTSMaxAgeSeconds = aws.ToInt32(sh.StrictTransportSecurity.AccessControlMaxAgeSec)
			}
		}
		dist.ResponseHeadersPolicies[pid] = rhp
	}
	s.Distribution = dist
	return nil
}

func (c *clients) listenerCertificates(ctx context.Context, s *Snapshot) error {
	s.Certificates = map[string]Certificate{}
	if s.LoadBalancer == nil {
		return nil
	}
	for _, l := range s.LoadBalancer.Listeners {
		arn := l.CertificateARN
		if _, done := s.Certificates[arn]; arn == "" || done {
			continue
		}
		resp, err := c.acm.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
		if apiError(err, "ResourceNotFoundException") {
			continue
		}
		if err != nil {
			return fmt.Errorf("describe certificate %s: %w", arn, err)
		}
		cert := Certificate{ARN: arn}
		if d := resp.Certificate; d != nil {
			cert.Names = append(cert.Names, aws.ToString(d.DomainName))
			for _, n := range d.SubjectAlternativeNames {
				if !slices.Contains(cert.Names, n) {
					cert.Names = append(cert.Names, n)
				}
			}
		}
		s.Certificates[arn] = cert
	}
	return nil
}

func origin(o cftypes.Origin) Origin {
	out := Origin{ID: aws.ToString(o.Id), DomainName: aws.ToString(o.DomainName)}
	if co := o.CustomOriginConfig; co != nil {
		out.Custom = true
		out.OriginProtocolPolicy = string(co.OriginProtocolPolicy)
		if co.OriginSslProtocols != nil {
			for _, p := range co.OriginSslProtocols.Items {
				out.SSLProtocols = append(out.SSLProtocols, string(p))
			}
		}
	}
	return out
}

// parseWebACLARN splits arn:aws:wafv2:<region>:<account>:<global|regional>/webacl/<name>/<id>.
func parseWebACLARN(arn string) (scope waftypes.Scope, name, id string, ok bool) {
	i := strings.Index(arn, ":global/webacl/")
	scope = waftypes.ScopeCloudfront
	if i < 0 {
		i = strings.Index(arn, ":regional/webacl/")
		scope = waftypes.ScopeRegional
	}
	if i < 0 {
		return "", "", "", false
	}
	rest := arn[i+1:]
	parts := strings.Split(rest, "/")
	if len(parts) != 4 || parts[2] == "" || parts[3] == "" {
		return "", "", "", false
	}
	return scope, parts[2], parts[3], true
}

func (c *clients) webACLs(ctx context.Context, s *Snapshot) error {
	s.WebACLs = map[string]WebACL{}
	for _, arn := range []string{s.Outputs.CloudFrontWebACLARN, s.Outputs.RegionalWebACLARN} {
		if arn == "" {
			continue
		}
		scope, name, id, ok := parseWebACLARN(arn)
		if !ok {
			return fmt.Errorf("web acl %s: not a WAFv2 web ACL ARN", arn)
		}
		client := c.waf
		if scope == waftypes.ScopeCloudfront {
			client = c.wafGlobal
		}
		resp, err := client.GetWebACL(ctx, &wafv2.GetWebACLInput{Name: aws.String(name), Id: aws.String(id), Scope: scope})
		if apiError(err, "WAFNonexistentItemException") {
			continue
		}
		if err != nil {
			return fmt.Errorf("get web acl %s: %w", arn, err)
		}
		if resp.WebACL == nil {
			continue
		}
		w := resp.WebACL
		acl := WebACL{ARN: aws.ToString(w.ARN), Name: aws.ToString(w.Name), Scope: string(scope)}
		if w.DefaultAction != nil {
			switch {
			case w.DefaultAction.Allow != nil:
				acl.DefaultAction = "allow"
			case w.DefaultAction.Block != nil:
				acl.DefaultAction = "block"
			}
		}
		for _, r := range w.Rules {
			rule := WAFRule{Name: aws.ToString(r.Name), Priority: r.Priority}
			if st := r.Statement; st != nil {
				if m := st.ManagedRuleGroupStatement; m != nil {
					rule.ManagedGroup = aws.ToString(m.VendorName) + "/" + aws.ToString(m.Name)
				}
				if rb := st.RateBasedStatement; rb != nil {
					rule.RateBased, rule.RateLimit = true, aws.ToInt64(rb.Limit)
				}
			}
			if r.OverrideAction != nil && r.OverrideAction.None != nil {
				rule.OverrideNone = true
			}
			if r.Action != nil && r.Action.Block != nil {
				rule.ActionBlocked = true
			}
			acl.Rules = append(acl.Rules, rule)
		}
		s.WebACLs[arn] = acl
	}
	return nil
}

// zoneID strips the /hostedzone/ prefix Route 53 puts on zone IDs.
func zoneID(id string) string { return strings.TrimPrefix(id, "/hostedzone/") }

// dnsName normalises a DNS name: lower case, no trailing dot.
func dnsName(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

func (c *clients) hostedZone(ctx context.Context, s *Snapshot) error {
	id := zoneID(s.Outputs.HostedZoneID)
	z, err := c.r53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)})
	if apiError(err, "NoSuchHostedZone") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get hosted zone %s: %w", id, err)
	}
	hz := &HostedZone{ID: id}
	if z.HostedZone != nil {
		hz.Name = dnsName(aws.ToString(z.HostedZone.Name))
	}
	if fqdn := dnsName(s.Outputs.FQDN); fqdn != "" {
		// Records are listed in name order from StartRecordName: the fqdn's records come first if it has any.
		page, err := c.r53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{
			HostedZoneId: aws.String(id), StartRecordName: aws.String(fqdn)})
		if err != nil {
			return fmt.Errorf("list records of %s from %s: %w", id, fqdn, err)
		}
		for _, r := range page.ResourceRecordSets {
			if dnsName(aws.ToString(r.Name)) != fqdn {
				continue
			}
			rec := DNSRecord{Name: fqdn, Type: string(r.Type)}
			if a := r.AliasTarget; a != nil {
				rec.AliasDNSName, rec.AliasZoneID = dnsName(aws.ToString(a.DNSName)), aws.ToString(a.HostedZoneId)
			}
			hz.Records = append(hz.Records, rec)
		}
	}
	s.HostedZone = hz
	return nil
}

// ---- check

func (c *checker) edge() {
	e := c.w.Edge
	if e == nil {
		e = &EdgeExpectations{}
	}
	if !e.CloudFront || !e.WAF || !e.Domain {
		c.checks("edge.absent")
	}
	if !e.WAF {
		c.checks("waf.absent")
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
		c.checks("waf.association")
		if e.CloudFront {
			c.webACL(c.o.CloudFrontWebACLARN, "cloudfront_web_acl_arn", true)
		}
		// Behind CloudFront the ALB's ACL sees CloudFront's addresses, not the clients'.
		c.webACL(c.o.RegionalWebACLARN, "regional_web_acl_arn", !e.CloudFront)
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
	c.checks("edge.distribution", "edge.enabled", "edge.viewer_protocol", "edge.security_headers", "edge.origin_tls")
	if e.WAF {
		c.checks("edge.waf")
	}
	if c.o.CloudFrontLogsBucket != "" {
		c.checks("edge.logging")
	}
	if e.Domain {
		c.checks("edge.aliases", "edge.certificate")
	}
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
		c.originCertificate(d.ID, o)
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

// originCertificate checks that CloudFront can accept the certificate the ALB presents: CloudFront compares the
// origin's name with the certificate's names, so the name must be among those of the HTTPS listener's certificate.
func (c *checker) originCertificate(distribution string, o Origin) {
	c.checks("edge.origin_certificate")
	res := distribution + " origin " + o.ID
	var names []string
	found := false
	if lb := c.s.LoadBalancer; lb != nil {
		for _, l := range lb.Listeners {
			if cert, ok := c.s.Certificates[l.CertificateARN]; ok && l.Protocol == "HTTPS" {
				found = true
				names = append(names, cert.Names...)
			}
		}
	}
	if !found {
		c.fail("edge.origin_certificate", res, "no readable certificate on an HTTPS listener of the ALB", "the ALB's certificate covers "+o.DomainName)
		return
	}
	if !slices.ContainsFunc(names, func(n string) bool { return certificateCovers(n, o.DomainName) }) {
		c.fail("edge.origin_certificate", res, "origin "+o.DomainName+", certificate names "+list(names), "the ALB's certificate covers "+o.DomainName)
	}
}

// certificateCovers says whether a certificate name (possibly *.example.com) matches host.
func certificateCovers(name, host string) bool {
	name, host = dnsName(strings.ToLower(name)), dnsName(strings.ToLower(host))
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		_, parent, dot := strings.Cut(host, ".")
		return dot && parent == rest
	}
	return name == host
}

// albFromCloudFront checks that only CloudFront (a managed prefix list) reaches the ALB, on 443 alone: CloudFront
// connects over HTTPS, and each reference to its prefix list weighs as much as the list's maximum entries (55)
// against the group's rule quota (60), so a second one (80) would be refused.
func (c *checker) albFromCloudFront() {
	c.checks("edge.alb_ingress")
	g, ok := c.s.SecurityGroups[c.o.ALBSecurityGroupID]
	if !ok { // reported by sg.alb_ingress
		return
	}
	fromPrefixList := false
	for _, r := range g.Ingress {
		if !covers(r, 80) && !covers(r, 443) {
			continue
		}
		switch {
		case len(r.CIDRs) > 0 || len(r.SourceGroupIDs) > 0:
			c.fail("edge.alb_ingress", describeRule(g.ID, "alb", r), ruleSources(r), "only from the CloudFront origin-facing prefix list")
		case covers(r, 80):
			c.fail("edge.alb_ingress", describeRule(g.ID, "alb", r), ruleSources(r), "no ingress on 80 (CloudFront reaches the ALB on 443 only)")
		}
		fromPrefixList = fromPrefixList || (covers(r, 443) && len(r.PrefixListIDs) > 0)
	}
	if !fromPrefixList {
		c.fail("edge.alb_ingress", g.ID+" (alb)", "no ingress from a prefix list", "443 from the CloudFront origin-facing prefix list")
	}
}

// webACL checks a web ACL's rules; facesClients says whether it sees the clients' own addresses, which its
// rate-based rule and IP reputation group need (and must not use otherwise).
func (c *checker) webACL(arn, output string, facesClients bool) {
	c.checks("waf.web_acl", "waf.rules", "waf.rate_limit")
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
	required := RequiredWAFRuleGroups
	if facesClients {
		required = append(slices.Clip(required), SourceAddressRuleGroup)
	} else if i := slices.IndexFunc(w.Rules, func(r WAFRule) bool { return r.ManagedGroup == SourceAddressRuleGroup }); i >= 0 {
		c.fail("waf.rules", w.ARN, "rule "+w.Rules[i].Name+" ("+SourceAddressRuleGroup+") behind CloudFront",
			"no source-address rules behind CloudFront (they would judge CloudFront's addresses)")
	}
	for _, g := range required {
		i := slices.IndexFunc(w.Rules, func(r WAFRule) bool { return r.ManagedGroup == g })
		switch {
		case i < 0:
			c.fail("waf.rules", w.ARN, "rules "+list(rules), "managed rule group "+g)
		case !w.Rules[i].OverrideNone:
			c.fail("waf.rules", w.ARN, "rule "+w.Rules[i].Name+" ("+g+") without OverrideAction none",
				"managed rule group "+g+" with OverrideAction none")
		}
	}
	switch {
	case facesClients && !rateBased:
		c.fail("waf.rate_limit", w.ARN, "rules "+list(rules), "a rate-based rule")
	case !facesClients && rateBased:
		c.fail("waf.rate_limit", w.ARN, "rules "+list(rules), "no rate-based rule behind CloudFront (it would count CloudFront's addresses)")
	}
}

func (c *checker) dns(e *EdgeExpectations) {
	c.checks("edge.dns")
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

// ---- leftovers

func edgeLeftovers(ctx context.Context, l *leftovers) {
	find(ctx, l, "cloudfront-distribution", cloudfront.NewListDistributionsPaginator(l.cf, &cloudfront.ListDistributionsInput{}),
		func(o *cloudfront.ListDistributionsOutput) []cftypes.DistributionSummary {
			if o.DistributionList == nil {
				return nil
			}
			return o.DistributionList.Items
		},
		func(d cftypes.DistributionSummary) (string, bool, error) {
			id := aws.ToString(d.Id)
			tags, err := l.cf.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: d.ARN})
			if err != nil {
				return id, false, fmt.Errorf("list tags of distribution %s: %w", id, err)
			}
			if tags.Tags == nil {
				return id, false, nil
			}
			return id, l.ours(tagMap(tags.Tags.Items, func(t cftypes.Tag) (*string, *string) { return t.Key, t.Value })), nil
		})
	l.run("waf-web-acl", func() error { // ListWebACLs has no paginator
		for _, x := range []struct {
			scope  waftypes.Scope
			client *wafv2.Client
		}{{waftypes.ScopeRegional, l.waf}, {waftypes.ScopeCloudfront, l.wafGlobal}} {
			var marker *string
			for {
				resp, err := x.client.ListWebACLs(ctx, &wafv2.ListWebACLsInput{Scope: x.scope, Limit: aws.Int32(100), NextMarker: marker})
				if err != nil {
					return fmt.Errorf("list web acls (%s): %w", x.scope, err)
				}
				for _, w := range resp.WebACLs {
					if l.named(aws.ToString(w.Name)) {
						l.add("waf-web-acl", aws.ToString(w.ARN))
					}
				}
				if aws.ToString(resp.NextMarker) == "" || len(resp.WebACLs) == 0 {
					break
				}
				marker = resp.NextMarker
			}
		}
		return nil
	})
	l.run("route53-zone", func() error {
		zones, err := ids(ctx, route53.NewListHostedZonesPaginator(l.r53, &route53.ListHostedZonesInput{}),
			func(o *route53.ListHostedZonesOutput) []r53types.HostedZone { return o.HostedZones },
			func(z r53types.HostedZone) string { return zoneID(aws.ToString(z.Id)) })
		if err != nil {
			return err
		}
		return inBatches(zones, 10, func(batch []string) error { // ListTagsForResources takes at most 10 IDs
			resp, err := l.r53.ListTagsForResources(ctx, &route53.ListTagsForResourcesInput{
				ResourceType: r53types.TagResourceTypeHostedzone, ResourceIds: batch})
			if err != nil {
				return fmt.Errorf("list tags of hosted zones %v: %w", batch, err)
			}
			for _, rs := range resp.ResourceTagSets {
				if l.ours(tagMap(rs.Tags, func(t r53types.Tag) (*string, *string) { return t.Key, t.Value })) {
					l.add("route53-zone", zoneID(aws.ToString(rs.ResourceId)))
				}
			}
			return nil
		})
	})
}
