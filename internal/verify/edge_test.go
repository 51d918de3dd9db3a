package verify

import (
	"slices"
	"testing"
)

func TestEdgeGood(t *testing.T) {
	checkGood(t, fullBase, []goodCase{
		{"WAF and domain without CloudFront: alias to the ALB", func(s *Snapshot, w *Expectations) {
			w.Edge = &EdgeExpectations{WAF: true, Domain: true}
			s.Outputs.CloudFrontDistributionID, s.Outputs.CloudFrontWebACLARN, s.Outputs.CloudFrontLogsBucket = "", "", ""
			s.Distribution = nil
			s.HostedZone.Records = []DNSRecord{{Name: appFQDN, Type: "A", AliasDNSName: "dualstack." + s.Outputs.ALBDNSName}}
			// Facing clients, the ALB takes 80 and 443 from the internet and its web ACL judges their addresses.
			g := s.SecurityGroups["sg-alb"]
			g.Ingress = []Rule{tcp(80, []string{"0.0.0.0/0"}), tcp(443, []string{"0.0.0.0/0"})}
			s.SecurityGroups["sg-alb"] = g
			regional := s.WebACLs[albACLARN]
			regional.Rules = slices.Clone(s.WebACLs[cfACLARN].Rules)
			s.WebACLs[albACLARN] = regional
		}},
		{"CloudFront without WAF", func(s *Snapshot, w *Expectations) {
			w.Edge = &EdgeExpectations{CloudFront: true, Domain: true}
			s.Outputs.CloudFrontWebACLARN, s.Outputs.RegionalWebACLARN = "", ""
			s.Distribution.WebACLID = ""
		}},
		{"ALB certificate for a wildcard covering the origin", func(s *Snapshot, _ *Expectations) {
			s.Certificates[albCertARN] = Certificate{ARN: albCertARN, Names: []string{appFQDN, "*." + appFQDN}}
		}},
	})
}

func TestEdgeFails(t *testing.T) {
	acl := func(s *Snapshot, arn string, f func(*WebACL)) {
		editEntry(s.WebACLs, arn, func(w *WebACL) {
			w.Rules = slices.Clone(w.Rules) // the good snapshot shares its rules: never edit them in place
			f(w)
		})
	}

	checkFails(t, fullBase, []failCase{
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
		{"ALB on 80 from CloudFront (a second prefix-list reference)", func(s *Snapshot, _ *Expectations) {
			g := s.SecurityGroups["sg-alb"]
			g.Ingress = append(slices.Clone(g.Ingress), Rule{Protocol: "tcp", FromPort: 80, ToPort: 80, PrefixListIDs: []string{"pl-3b927c52"}})
			s.SecurityGroups["sg-alb"] = g
		}, "edge.alb_ingress", "sg-alb (alb) ingress tcp 80-80", "from [pl-3b927c52]"},
		{"origin is the ALB's own name", func(s *Snapshot, _ *Expectations) {
			s.Distribution.Origins[0].DomainName = s.Outputs.ALBDNSName
		}, "edge.origin_certificate", distID + " origin alb", "origin " + "ec2stack-dev-1.us-east-1.elb.amazonaws.com"},
		{"ALB certificate without the origin name", func(s *Snapshot, _ *Expectations) {
			s.Certificates[albCertARN] = Certificate{ARN: albCertARN, Names: []string{appFQDN}}
		}, "edge.origin_certificate", distID + " origin alb", "certificate names [" + appFQDN + "]"},
		{"ALB certificate unreadable", func(s *Snapshot, _ *Expectations) { delete(s.Certificates, albCertARN) },
			"edge.origin_certificate", distID + " origin alb", "no readable certificate"},
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
		{"no rate limit", func(s *Snapshot, _ *Expectations) { acl(s, cfACLARN, func(w *WebACL) { w.Rules = w.Rules[:3] }) },
			"waf.rate_limit", cfACLARN, "rules ["},
		{"rate limit behind CloudFront", func(s *Snapshot, _ *Expectations) {
			acl(s, albACLARN, func(w *WebACL) { w.Rules = slices.Clone(s.WebACLs[cfACLARN].Rules) })
		}, "waf.rate_limit", albACLARN, "rate=rate(2000)"},
		{"IP reputation behind CloudFront", func(s *Snapshot, _ *Expectations) {
			acl(s, albACLARN, func(w *WebACL) { w.Rules = slices.Clone(s.WebACLs[cfACLARN].Rules) })
		}, "waf.rules", albACLARN, "rule ip-reputation (AWS/AWSManagedRulesAmazonIpReputationList) behind CloudFront"},
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
	})
}

func TestCertificateCovers(t *testing.T) {
	for _, c := range []struct {
		name, host string
		want       bool
	}{
		{"origin.app.example.com", "origin.app.example.com", true},
		{"Origin.App.Example.com.", "origin.app.example.com", true},
		{"*.app.example.com", "origin.app.example.com", true},
		{"*.app.example.com", "app.example.com", false},
		{"*.example.com", "origin.app.example.com", false},
		{"app.example.com", "origin.app.example.com", false},
	} {
		if got := certificateCovers(c.name, c.host); got != c.want {
			t.Errorf("certificateCovers(%q, %q) = %t, want %t", c.name, c.host, got, c.want)
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
