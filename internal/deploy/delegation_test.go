package deploy

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

type fakeResolver struct {
	ns  []string
	err error
}

func (f fakeResolver) LookupNS(_ context.Context, _ string) ([]*net.NS, error) {
	var out []*net.NS
	for _, n := range f.ns {
		out = append(out, &net.NS{Host: n})
	}
	return out, f.err
}

var zone = Zone{Name: "app.example.com", ID: "Z123", NameServers: []string{"ns-1.awsdns-01.org", "ns-2.awsdns-02.com"}}

func TestCheckDelegation(t *testing.T) {
	for _, c := range []struct {
		name    string
		r       fakeResolver
		wantErr string
	}{
		{"delegated", fakeResolver{ns: []string{"NS-2.awsdns-02.com.", "ns-1.awsdns-01.org."}}, ""},
		{"not delegated: no such domain", fakeResolver{err: &net.DNSError{Err: "no such host", Name: "app.example.com", IsNotFound: true}},
			"gives no answer (lookup app.example.com: no such host)"},
		{"parent answers for itself", fakeResolver{ns: []string{"a.iana-servers.net."}}, "gives name servers a.iana-servers.net"},
		{"old delegation mixed in", fakeResolver{ns: []string{"ns-1.awsdns-01.org.", "ns-9.awsdns-09.net."}}, "ns-9.awsdns-09.net"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckDelegation(context.Background(), c.r, zone)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckDelegation: %v", err)
				}
				return
			}
			var d *DelegationError
			if !errors.As(err, &d) || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("CheckDelegation = %v, want a DelegationError containing %q", err, c.wantErr)
			}
			if !strings.Contains(err.Error(), "set NS records for app.example.com to ns-1.awsdns-01.org ns-2.awsdns-02.com") {
				t.Errorf("the error must say how to delegate: %v", err)
			}
		})
	}
}

func TestZoneToCreateAndValidation(t *testing.T) {
	create := &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionCreate}}
	plan := &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
		{Address: "module.stack.module.edge.aws_acm_certificate_validation.alb[0]", Type: "aws_acm_certificate_validation", Mode: tfjson.ManagedResourceMode, Change: create},
		{Address: "module.stack.module.edge.aws_route53_zone.this[0]", Type: "aws_route53_zone", Mode: tfjson.ManagedResourceMode, Change: create},
	}}
	if got := ZoneToCreate(plan); got != "module.stack.module.edge.aws_route53_zone.this[0]" {
		t.Errorf("ZoneToCreate = %q", got)
	}
	if !ValidatesCertificates(plan) {
		t.Error("ValidatesCertificates = false for a plan creating a certificate validation")
	}
	plan.ResourceChanges = plan.ResourceChanges[:1]
	if got := ZoneToCreate(plan); got != "" {
		t.Errorf("ZoneToCreate without a zone = %q", got)
	}
	if ZoneToCreate(nil) != "" || ValidatesCertificates(nil) {
		t.Error("a nil plan creates nothing")
	}
}

func TestManagedZone(t *testing.T) {
	state := &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{ChildModules: []*tfjson.StateModule{{
		Address: "module.stack", ChildModules: []*tfjson.StateModule{{Address: "module.stack.module.edge", Resources: []*tfjson.StateResource{{
			Address: "module.stack.module.edge.aws_route53_zone.this[0]", Type: "aws_route53_zone", Mode: tfjson.ManagedResourceMode,
			AttributeValues: map[string]any{"name": "app.example.com.", "zone_id": "Z123", "name_servers": []any{"NS-1.awsdns-01.org.", "ns-2.awsdns-02.com"}},
		}}}},
	}}}}}
	z, ok := ManagedZone(state)
	if !ok || z.Name != "app.example.com" || z.ID != "Z123" || strings.Join(z.NameServers, " ") != "ns-1.awsdns-01.org ns-2.awsdns-02.com" {
		t.Fatalf("ManagedZone = %+v, %t", z, ok)
	}
	if _, ok := ManagedZone(&tfjson.State{}); ok {
		t.Error("an empty state has no zone")
	}
}
