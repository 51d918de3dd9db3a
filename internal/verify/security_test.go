package verify

import (
	"strings"
	"testing"
)

func TestSecurityGood(t *testing.T) {
	checkGood(t, devBase, []goodCase{
		{"no SSH at all (prod)", func(s *Snapshot, w *Expectations) {
			w.SSHAllowedCIDRs = []string{}
			g := s.SecurityGroups["sg-app"]
			g.Ingress = g.Ingress[:1]
			s.SecurityGroups["sg-app"] = g
		}},
		{"KMS key ids compare with ARNs", func(s *Snapshot, _ *Expectations) {
			s.LaunchTemplate.Versions[0].BlockDevices[0].KMSKeyID = "11111111-1111-1111-1111-111111111111"
			s.LogGroup.KMSKeyID = strings.ToUpper(KeyID(logsKey))
		}},
	})
}

func TestSecurityFails(t *testing.T) {
	sg := func(s *Snapshot, id string, f func(*SecurityGroup)) { editEntry(s.SecurityGroups, id, f) }
	key := func(s *Snapshot, arn string, f func(*KMSKey)) { editEntry(s.KMSKeys, arn, f) }

	checkFails(t, devBase, []failCase{
		// Security groups
		{"ALB without 443", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-alb", func(g *SecurityGroup) { g.Ingress = g.Ingress[:1] })
		}, "sg.alb_ingress", "sg-alb (alb)", "no ingress on 443"},
		{"ALB SG missing", func(s *Snapshot, _ *Expectations) { delete(s.SecurityGroups, "sg-alb") },
			"sg.alb_ingress", "sg-alb (alb)", "not found"},
		{"app port from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[0].CIDRs = []string{"0.0.0.0/0"} })
		}, "sg.app_ingress", "sg-app (app) ingress tcp 8080-8080", "from [0.0.0.0/0 sg-alb]"},
		{"app port from another SG", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[0] = tcp(8080, nil, "sg-db") })
		}, "sg.app_ingress", "sg-app (app) ingress tcp 8080-8080", "from [sg-db]"},
		{"app port not from the ALB", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress = g.Ingress[1:] })
		}, "sg.app_ingress", "sg-app (app)", "no ingress from the ALB SG"},
		{"app SG opens another port", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress = append(g.Ingress, tcp(9000, nil, "sg-alb")) })
		}, "sg.app_ingress", "sg-app (app) ingress tcp 9000-9000", "from [sg-alb]"},
		{"app SG opens everything to the ALB", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) {
				g.Ingress = append(g.Ingress, Rule{Protocol: "-1", SourceGroupIDs: []string{"sg-alb"}})
			})
		}, "sg.app_ssh", "sg-app (app) ingress -1 all", "from [sg-alb]"},
		{"SSH from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].CIDRs = []string{"0.0.0.0/0"} })
		}, "sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 0.0.0.0/0"},
		{"SSH from the internet even when listed", func(s *Snapshot, w *Expectations) {
			w.SSHAllowedCIDRs = []string{"0.0.0.0/0"}
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].CIDRs = []string{"0.0.0.0/0"} })
		}, "sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 0.0.0.0/0"},
		{"SSH from IPv6 anywhere", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].CIDRs = append(g.Ingress[1].CIDRs, "::/0") })
		}, "sg.no_public_admin", "sg-app", "::/0"},
		{"SSH rule where none is allowed", func(_ *Snapshot, w *Expectations) { w.SSHAllowedCIDRs = []string{} },
			"sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 203.0.113.0/24"},
		{"SSH from an unlisted CIDR", func(_ *Snapshot, w *Expectations) { w.SSHAllowedCIDRs = []string{"198.51.100.0/24"} },
			"sg.app_ssh", "sg-app (app) ingress tcp 22-22", "from 203.0.113.0/24"},
		{"SSH rule missing for a listed CIDR", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress = g.Ingress[:1] })
		}, "sg.app_ssh", "sg-app (app)", "no SSH rule from 203.0.113.0/24"},
		{"SSH from a security group", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-app", func(g *SecurityGroup) { g.Ingress[1].SourceGroupIDs = []string{"sg-alb"} })
		}, "sg.app_ssh", "sg-app (app) ingress tcp 22-22", "sg-alb"},
		{"database from the VPC CIDR", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) { g.Ingress[0].CIDRs = []string{"10.0.0.0/16"} })
		}, "sg.database_ingress", "sg-db (database) ingress tcp 5432-5432", "from [10.0.0.0/16 sg-app]"},
		{"database on another port", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) { g.Ingress[0] = tcp(3306, nil, "sg-app") })
		}, "sg.database_ingress", "sg-db (database) ingress tcp 3306-3306", "from [sg-app]"},
		{"database without app access", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) { g.Ingress = nil })
		}, "sg.database_ingress", "sg-db (database)", "no ingress from the app SG"},
		{"endpoints without app access", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-endpoints", func(g *SecurityGroup) { g.Ingress = []Rule{tcp(443, []string{"10.0.0.0/16"})} })
		}, "sg.endpoints_ingress", "sg-endpoints (endpoints)", "no 443 ingress from the app SG"},
		{"endpoints from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-endpoints", func(g *SecurityGroup) { g.Ingress = append(g.Ingress, tcp(443, []string{"0.0.0.0/0"})) })
		}, "sg.endpoints_ingress", "sg-endpoints (endpoints) ingress tcp 443-443", "0.0.0.0/0"},
		{"RDP from the internet on any SG", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-alb", func(g *SecurityGroup) { g.Ingress = append(g.Ingress, tcp(3389, []string{"::/0"})) })
		}, "sg.no_public_admin", "sg-alb (ec2stack-dev-alb) ingress tcp 3389-3389", "from [::/0]"},
		{"port range including 22 from the internet", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-db", func(g *SecurityGroup) {
				g.Ingress = append(g.Ingress, Rule{Protocol: "tcp", FromPort: 0, ToPort: 1024, CIDRs: []string{"0.0.0.0/0"}})
			})
		}, "sg.no_public_admin", "sg-db (ec2stack-dev-db) ingress tcp 0-1024", "from [0.0.0.0/0]"},
		{"default SG with rules", func(s *Snapshot, _ *Expectations) {
			sg(s, "sg-default", func(g *SecurityGroup) { g.Egress = []Rule{{Protocol: "-1", CIDRs: []string{"0.0.0.0/0"}}} })
		}, "sg.default_empty", "sg-default (default)", "0 ingress, 1 egress rules"},
		{"default SG not found", func(s *Snapshot, _ *Expectations) { delete(s.SecurityGroups, "sg-default") },
			"sg.default_empty", "default security group of vpc-1", "not found"},

		// KMS
		{"flow log group with another key", func(s *Snapshot, _ *Expectations) { s.LogGroup.KMSKeyID = ebsKey },
			"logs.kms", logGroup, "KMS key " + ebsKey},
		{"EBS key rotation off", func(s *Snapshot, _ *Expectations) {
			key(s, ebsKey, func(k *KMSKey) { k.RotationEnabled = false })
		}, "kms.rotation", ebsKey, "KeyRotationEnabled=false"},
		{"logs key pending deletion", func(s *Snapshot, _ *Expectations) {
			key(s, logsKey, func(k *KMSKey) { k.State = "PendingDeletion" })
		}, "kms.state", logsKey, "PendingDeletion"},
		{"key not found", func(s *Snapshot, _ *Expectations) { delete(s.KMSKeys, logsKey) }, "kms", logsKey, "not found"},
		{"key output missing", func(s *Snapshot, _ *Expectations) { s.Outputs.EBSKMSKeyARN = "" }, "kms", "(no output)", "not found"},
	})
}

func TestKeyID(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:kms:us-east-1:123456789012:key/ABCD-1": "abcd-1",
		"abcd-1":                        "abcd-1",
		"alias/ebs":                     "alias/ebs",
		"":                              "",
		"arn:aws:kms:eu-west-1:1:key/x": "x",
	} {
		if got := KeyID(in); got != want {
			t.Errorf("KeyID(%q) = %q, want %q", in, got, want)
		}
	}
}
