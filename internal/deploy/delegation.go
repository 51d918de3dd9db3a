package deploy

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// The first bring-up of an environment with a new hosted zone takes two steps on AWS. ACM validates the
// certificates through DNS records in that zone, which the public DNS only reaches once the parent zone (or the
// registrar) delegates to the zone's name servers; before that, the validation waits 75 minutes and fails, with
// most of the stack already created. So the first apply creates the zone alone and stops with its name servers;
// the next one goes on only when the delegation answers.

// Zone is a Route 53 hosted zone in the state.
type Zone struct {
	Address     string
	Name        string // without the trailing dot
	ID          string
	NameServers []string
}

// ZoneToCreate returns the address of the hosted zone the plan creates ("" when it creates none).
func ZoneToCreate(plan *tfjson.Plan) string {
	if plan == nil {
		return ""
	}
	for _, rc := range plan.ResourceChanges {
		if rc.Type == "aws_route53_zone" && rc.Mode == tfjson.ManagedResourceMode && rc.Change != nil && rc.Change.Actions.Create() {
			return rc.Address
		}
	}
	return ""
}

// ValidatesCertificates says whether applying the plan waits for ACM DNS validation.
func ValidatesCertificates(plan *tfjson.Plan) bool {
	if plan == nil {
		return false
	}
	return slices.ContainsFunc(plan.ResourceChanges, func(rc *tfjson.ResourceChange) bool {
		return rc.Type == "aws_acm_certificate_validation" && rc.Change != nil && rc.Change.Actions.Create()
	})
}

// ManagedZone returns the hosted zone the state holds, if any (the one the stack created).
func ManagedZone(state *tfjson.State) (Zone, bool) {
	if state == nil || state.Values == nil {
		return Zone{}, false
	}
	var found Zone
	ok := false
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		if m == nil || ok {
			return
		}
		for _, r := range m.Resources {
			if r.Type != "aws_route53_zone" || r.Mode != tfjson.ManagedResourceMode {
				continue
			}
			found = Zone{Address: r.Address, Name: dnsName(fmt.Sprint(r.AttributeValues["name"])), ID: fmt.Sprint(r.AttributeValues["zone_id"])}
			if ns, isList := r.AttributeValues["name_servers"].([]any); isList {
				for _, n := range ns {
					found.NameServers = append(found.NameServers, dnsName(fmt.Sprint(n)))
				}
			}
			ok = true
			return
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(state.Values.RootModule)
	return found, ok
}

// Resolver looks up name servers; net.DefaultResolver is one.
type Resolver interface {
	LookupNS(ctx context.Context, name string) ([]*net.NS, error)
}

// DelegationError says the public DNS does not (yet) delegate a zone to its name servers.
type DelegationError struct {
	Zone Zone
	Got  []string // the name servers the DNS answered with; empty when it answered none
	Err  error    // the lookup's error, if any
}

func (e *DelegationError) Error() string {
	got := "no name servers"
	if len(e.Got) > 0 {
		got = "name servers " + strings.Join(e.Got, ", ")
	} else if e.Err != nil {
		got = "no answer (" + e.Err.Error() + ")"
	}
	return fmt.Sprintf("hosted zone %s (%s) is not delegated yet: the public DNS gives %s for %s, want %s. %s",
		e.Zone.Name, e.Zone.ID, got, e.Zone.Name, strings.Join(e.Zone.NameServers, ", "), DelegationInstructions(e.Zone))
}

// DelegationInstructions tells how to delegate the zone.
func DelegationInstructions(z Zone) string {
	return fmt.Sprintf("Delegate it: in the parent zone of %s (or at its registrar) set NS records for %s to %s; then run the same command again (ACM validates once the delegation answers; allow for the parent's NS TTL).",
		z.Name, z.Name, strings.Join(z.NameServers, " "))
}

// CheckDelegation returns nil when the public DNS answers the zone's name with name servers of the zone only,
// else a *DelegationError.
func CheckDelegation(ctx context.Context, r Resolver, z Zone) error {
	records, err := r.LookupNS(ctx, z.Name)
	var got []string
	for _, ns := range records {
		got = append(got, dnsName(ns.Host))
	}
	slices.Sort(got)
	if err != nil || len(got) == 0 || !slices.ContainsFunc(got, func(n string) bool { return slices.Contains(z.NameServers, n) }) ||
		slices.ContainsFunc(got, func(n string) bool { return !slices.Contains(z.NameServers, n) }) {
		return &DelegationError{Zone: z, Got: got, Err: err}
	}
	return nil
}

func dnsName(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }
