package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// Security (terraform/modules/security): security groups and their rules, KMS keys, the instance role and profile.

var securityDomain = domain{
	name: "security",
	collect: []collectStep{
		{"security groups", hasVPC, (*clients).securityGroups},
		{"kms keys", func(o Outputs) bool {
			return o.EBSKMSKeyARN != "" || o.LogsKMSKeyARN != "" || o.DataKMSKeyARN != "" || o.SNSKMSKeyARN != ""
		}, (*clients).kmsKeys},
	},
	check:     []func(*checker){(*checker).securityGroups, (*checker).kmsKeys},
	leftovers: securityLeftovers,
}

// SecuritySnapshot is the security part of a Snapshot.
type SecuritySnapshot struct {
	SecurityGroups map[string]SecurityGroup // every security group in the VPC, the default one included
	KMSKeys        map[string]KMSKey        // keyed by the key ARN as reported in the outputs
}

// SecurityGroup is one security group with its rules.
type SecurityGroup struct {
	ID      string
	Name    string
	VPCID   string
	Ingress []Rule
	Egress  []Rule
}

// Rule is one IP permission: a protocol and port range from (or to) a set of sources.
type Rule struct {
	Protocol       string // "tcp", "udp", "icmp", "-1" (all)
	FromPort       int32
	ToPort         int32
	CIDRs          []string // IPv4 and IPv6
	SourceGroupIDs []string
	PrefixListIDs  []string
}

// KMSKey is a KMS key and its rotation status.
type KMSKey struct {
	ID              string
	ARN             string
	State           string
	Manager         string
	RotationEnabled bool
}

// KeyID normalises a KMS key reference (key id or key ARN) to the key id; other forms are returned unchanged.
func KeyID(ref string) string {
	if i := strings.LastIndex(ref, ":key/"); i >= 0 {
		return strings.ToLower(ref[i+len(":key/"):])
	}
	return strings.ToLower(ref)
}

// ---- collect

func rules(perms []ec2types.IpPermission) []Rule {
	var out []Rule
	for _, p := range perms {
		r := Rule{Protocol: aws.ToString(p.IpProtocol), FromPort: aws.ToInt32(p.FromPort), ToPort: aws.ToInt32(p.ToPort)}
		for _, x := range p.IpRanges {
			r.CIDRs = append(r.CIDRs, aws.ToString(x.CidrIp))
		}
		for _, x := range p.Ipv6Ranges {
			r.CIDRs = append(r.CIDRs, aws.ToString(x.CidrIpv6))
		}
		for _, x := range p.UserIdGroupPairs {
			r.SourceGroupIDs = append(r.SourceGroupIDs, aws.ToString(x.GroupId))
		}
		for _, x := range p.PrefixListIds {
			r.PrefixListIDs = append(r.PrefixListIDs, aws.ToString(x.PrefixListId))
		}
		out = append(out, r)
	}
	return out
}

func (c *clients) securityGroups(ctx context.Context, s *Snapshot) error {
	s.SecurityGroups = map[string]SecurityGroup{}
	return describeVPC(ctx, s, "security groups",
		ec2.NewDescribeSecurityGroupsPaginator(c.ec2, &ec2.DescribeSecurityGroupsInput{Filters: vpcFilters(s)}),
		func(o *ec2.DescribeSecurityGroupsOutput) []ec2types.SecurityGroup { return o.SecurityGroups },
		func(g ec2types.SecurityGroup) {
			id := aws.ToString(g.GroupId)
			s.SecurityGroups[id] = SecurityGroup{ID: id, Name: aws.ToString(g.GroupName), VPCID: aws.ToString(g.VpcId),
				Ingress: rules(g.IpPermissions), Egress: rules(g.IpPermissionsEgress)}
		})
}

func (c *clients) kmsKeys(ctx context.Context, s *Snapshot) error {
	s.KMSKeys = map[string]KMSKey{}
	for _, arn := range []string{s.Outputs.EBSKMSKeyARN, s.Outputs.LogsKMSKeyARN, s.Outputs.DataKMSKeyARN, s.Outputs.SNSKMSKeyARN} {
		if arn == "" {
			continue
		}
		if _, done := s.KMSKeys[arn]; done {
			continue
		}
		d, err := c.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
		if err != nil {
			return fmt.Errorf("describe key %s: %w", arn, err)
		}
		k := KMSKey{}
		if m := d.KeyMetadata; m != nil {
			k.ID, k.ARN, k.State, k.Manager = aws.ToString(m.KeyId), aws.ToString(m.Arn), string(m.KeyState), string(m.KeyManager)
		}
		r, err := c.kms.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(arn)})
		if err != nil {
			return fmt.Errorf("get key rotation status %s: %w", arn, err)
		}
		k.RotationEnabled = r.KeyRotationEnabled
		s.KMSKeys[arn] = k
	}
	return nil
}

// ---- check

// covers reports whether the rule opens port on TCP (or all protocols).
func covers(r Rule, port int) bool {
	if r.Protocol == "-1" || r.Protocol == "all" {
		return true
	}
	return (r.Protocol == "tcp" || r.Protocol == "6") && int(r.FromPort) <= port && port <= int(r.ToPort)
}

// exactly reports whether the rule is TCP on exactly port.
func exactly(r Rule, port int) bool {
	return (r.Protocol == "tcp" || r.Protocol == "6") && int(r.FromPort) == port && int(r.ToPort) == port
}

func describeRule(sgID, role string, r Rule) string {
	ports := fmt.Sprintf("%d-%d", r.FromPort, r.ToPort)
	if r.Protocol == "-1" {
		ports = "all"
	}
	return fmt.Sprintf("%s (%s) ingress %s %s", sgID, role, r.Protocol, ports)
}

func ruleSources(r Rule) string {
	var parts []string
	parts = append(parts, r.CIDRs...)
	parts = append(parts, r.SourceGroupIDs...)
	parts = append(parts, r.PrefixListIDs...)
	return "from " + list(parts)
}

func public(cidr string) bool { return cidr == anyIPv4 || cidr == anyIPv6 }

func (c *checker) group(check, role, id string) (SecurityGroup, bool) {
	g, ok := c.s.SecurityGroups[id]
	res := id + " (" + role + ")"
	if id == "" {
		res = "(no " + role + "_security_group_id output)"
	}
	return g, !c.missing(check, res, ok)
}

func (c *checker) securityGroups() {
	c.checks("sg.alb_ingress", "sg.app_ingress", "sg.app_ssh", "sg.database_ingress", "sg.endpoints_ingress", "sg.no_public_admin", "sg.default_empty")
	if g, ok := c.group("sg.alb_ingress", "alb", c.o.ALBSecurityGroupID); ok {
		// Clients reach the ALB on 80 (redirected) and 443; behind CloudFront only CloudFront does, on 443
		// (edge.alb_ingress checks the source).
		ports := []int{80}
		if c.w.Edge != nil && c.w.Edge.CloudFront {
			ports = nil
		}
		if c.w.HTTPSListener {
			ports = append(ports, 443)
		}
		for _, p := range ports {
			if !slices.ContainsFunc(g.Ingress, func(r Rule) bool { return covers(r, p) }) {
				c.fail("sg.alb_ingress", g.ID+" (alb)", "no ingress on "+strconv.Itoa(p), "ingress on tcp "+strconv.Itoa(p))
			}
		}
	}
	if g, ok := c.group("sg.app_ingress", "app", c.o.AppSecurityGroupID); ok {
		c.appGroup(g)
	}
	if g, ok := c.group("sg.database_ingress", "database", c.o.DatabaseSecurityGroupID); ok {
		port := c.w.DatabasePort
		found := false
		for _, r := range g.Ingress {
			res := describeRule(g.ID, "database", r)
			if !exactly(r, port) || len(r.CIDRs) > 0 || len(r.PrefixListIDs) > 0 ||
				slices.ContainsFunc(r.SourceGroupIDs, func(s string) bool { return s != c.o.AppSecurityGroupID }) {
				c.fail("sg.database_ingress", res, ruleSources(r), fmt.Sprintf("only tcp %d from app SG %s", port, c.o.AppSecurityGroupID))
				continue
			}
			found = found || slices.Contains(r.SourceGroupIDs, c.o.AppSecurityGroupID)
		}
		if !found {
			c.fail("sg.database_ingress", g.ID+" (database)", "no ingress from the app SG",
				fmt.Sprintf("tcp %d from app SG %s", port, c.o.AppSecurityGroupID))
		}
	}
	if g, ok := c.group("sg.endpoints_ingress", "endpoints", c.o.EndpointsSecurityGroupID); ok {
		found := false
		for _, r := range g.Ingress {
			if covers(r, 443) && slices.Contains(r.SourceGroupIDs, c.o.AppSecurityGroupID) {
				found = true
			}
			if slices.ContainsFunc(r.CIDRs, public) {
				c.fail("sg.endpoints_ingress", describeRule(g.ID, "endpoints", r), ruleSources(r), "no ingress from the internet")
			}
		}
		if !found {
			c.fail("sg.endpoints_ingress", g.ID+" (endpoints)", "no 443 ingress from the app SG",
				"tcp 443 from app SG "+c.o.AppSecurityGroupID)
		}
	}
	for _, id := range sortedKeys(c.s.SecurityGroups) {
		g := c.s.SecurityGroups[id]
		for _, r := range g.Ingress {
			for _, port := range []int{22, 3389} {
				if covers(r, port) && slices.ContainsFunc(r.CIDRs, public) {
					c.fail("sg.no_public_admin", describeRule(g.ID, g.Name, r), ruleSources(r),
						fmt.Sprintf("no port %d from 0.0.0.0/0 or ::/0", port))
				}
			}
		}
	}
	var def *SecurityGroup
	for _, id := range sortedKeys(c.s.SecurityGroups) {
		if g := c.s.SecurityGroups[id]; g.Name == "default" {
			def = &g
		}
	}
	if !c.missing("sg.default_empty", "default security group of "+c.o.VPCID, def != nil) &&
		(len(def.Ingress) > 0 || len(def.Egress) > 0) {
		c.fail("sg.default_empty", def.ID+" (default)", fmt.Sprintf("%d ingress, %d egress rules", len(def.Ingress), len(def.Egress)),
			"no rules")
	}
}

func (c *checker) appGroup(g SecurityGroup) {
	port, alb := c.w.AppPort, c.o.ALBSecurityGroupID
	allowed := c.w.SSHAllowedCIDRs
	fromALB := false
	sshSeen := map[string]bool{}
	for _, r := range g.Ingress {
		res := describeRule(g.ID, "app", r)
		switch {
		case exactly(r, port) && port != 22:
			if len(r.CIDRs) > 0 || len(r.PrefixListIDs) > 0 ||
				slices.ContainsFunc(r.SourceGroupIDs, func(s string) bool { return s != alb }) {
				c.fail("sg.app_ingress", res, ruleSources(r), "only from ALB SG "+alb)
			}
			fromALB = fromALB || slices.Contains(r.SourceGroupIDs, alb)
		case exactly(r, 22):
			for _, cidr := range r.CIDRs {
				sshSeen[cidr] = true
				if public(cidr) || !slices.Contains(allowed, cidr) {
					c.fail("sg.app_ssh", res, "from "+cidr, "SSH only from "+list(allowed)+", never 0.0.0.0/0 or ::/0")
				}
			}
			if len(r.SourceGroupIDs) > 0 || len(r.PrefixListIDs) > 0 {
				c.fail("sg.app_ssh", res, ruleSources(r), "SSH only from "+list(allowed))
			}
		default:
			check := "sg.app_ingress"
			if covers(r, 22) {
				check = "sg.app_ssh"
			}
			c.fail(check, res, ruleSources(r), fmt.Sprintf("only tcp %d from ALB SG and tcp 22 from %s", port, list(allowed)))
		}
	}
	if !fromALB {
		c.fail("sg.app_ingress", g.ID+" (app)", "no ingress from the ALB SG", fmt.Sprintf("tcp %d from ALB SG %s", port, alb))
	}
	for _, cidr := range allowed {
		if !sshSeen[cidr] {
			c.fail("sg.app_ssh", g.ID+" (app)", "no SSH rule from "+cidr, "tcp 22 from "+cidr)
		}
	}
}

func (c *checker) kmsKeys() {
	c.checks("kms", "kms.rotation", "kms.state")
	keys := []string{c.o.EBSKMSKeyARN, c.o.LogsKMSKeyARN}
	if c.w.Database != nil || c.w.BackupRetentionDays > 0 {
		keys = append(keys, c.o.DataKMSKeyARN)
	}
	if c.w.Alerts {
		keys = append(keys, c.o.SNSKMSKeyARN)
	}
	for _, arn := range slices.Compact(keys) {
		k, ok := c.s.KMSKeys[arn]
		if c.missing("kms", arn, ok) {
			continue
		}
		if !k.RotationEnabled {
			c.fail("kms.rotation", arn, "KeyRotationEnabled=false", "KeyRotationEnabled=true")
		}
		if k.State != "Enabled" {
			c.fail("kms.state", arn, k.State, "Enabled")
		}
	}
}

// ---- leftovers

func iamTag(t iamtypes.Tag) (*string, *string) { return t.Key, t.Value }

func securityLeftovers(ctx context.Context, l *leftovers) {
	find(ctx, l, "security-group", ec2.NewDescribeSecurityGroupsPaginator(l.ec2, &ec2.DescribeSecurityGroupsInput{Filters: l.ec2Filters()}),
		func(o *ec2.DescribeSecurityGroupsOutput) []ec2types.SecurityGroup { return o.SecurityGroups },
		func(g ec2types.SecurityGroup) (string, bool, error) {
			return aws.ToString(g.GroupId), aws.ToString(g.GroupName) != "default", nil // the default goes with its VPC
		})
	find(ctx, l, "kms-key", kms.NewListKeysPaginator(l.kms, &kms.ListKeysInput{}),
		func(o *kms.ListKeysOutput) []kmstypes.KeyListEntry { return o.Keys },
		func(k kmstypes.KeyListEntry) (string, bool, error) {
			d, err := l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
			if err != nil {
				return "", false, fmt.Errorf("describe key %s: %w", aws.ToString(k.KeyId), err)
			}
			m := d.KeyMetadata
			if m == nil || m.KeyState != kmstypes.KeyStateEnabled || m.KeyManager != kmstypes.KeyManagerTypeCustomer {
				return "", false, nil
			}
			tags, err := pagedTags(ctx, kms.NewListResourceTagsPaginator(l.kms, &kms.ListResourceTagsInput{KeyId: k.KeyId}),
				func(o *kms.ListResourceTagsOutput) []kmstypes.Tag { return o.Tags },
				func(t kmstypes.Tag) (*string, *string) { return t.TagKey, t.TagValue })
			if err != nil {
				return "", false, fmt.Errorf("list tags of key %s: %w", aws.ToString(k.KeyId), err)
			}
			return aws.ToString(m.Arn), l.ours(tags), nil
		})
	find(ctx, l, "iam-role", iam.NewListRolesPaginator(l.iam, &iam.ListRolesInput{}),
		func(o *iam.ListRolesOutput) []iamtypes.Role { return o.Roles },
		func(r iamtypes.Role) (string, bool, error) {
			name := aws.ToString(r.RoleName)
			if strings.HasPrefix(aws.ToString(r.Path), "/aws-service-role/") {
				return name, false, nil
			}
			tags, err := pagedTags(ctx, iam.NewListRoleTagsPaginator(l.iam, &iam.ListRoleTagsInput{RoleName: r.RoleName}),
				func(o *iam.ListRoleTagsOutput) []iamtypes.Tag { return o.Tags }, iamTag)
			if err != nil {
				return name, false, fmt.Errorf("list tags of role %s: %w", name, err)
			}
			return name, l.ours(tags), nil
		})
	find(ctx, l, "iam-instance-profile", iam.NewListInstanceProfilesPaginator(l.iam, &iam.ListInstanceProfilesInput{}),
		func(o *iam.ListInstanceProfilesOutput) []iamtypes.InstanceProfile { return o.InstanceProfiles },
		func(p iamtypes.InstanceProfile) (string, bool, error) {
			name, tags := aws.ToString(p.InstanceProfileName), p.Tags
			if len(tags) == 0 { // ListInstanceProfiles does not return tags on AWS; GetInstanceProfile does
				got, err := l.iam.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: p.InstanceProfileName})
				if err != nil {
					return name, false, fmt.Errorf("get instance profile %s: %w", name, err)
				}
				if got.InstanceProfile != nil {
					tags = got.InstanceProfile.Tags
				}
			}
			return name, l.ours(tagMap(tags, iamTag)), nil
		})
}
