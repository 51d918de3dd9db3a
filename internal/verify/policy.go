package verify

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// IAM-style policy documents, as the checks read them (topic and bucket policies).

// policyStrings decodes a policy value that may be a string, a bool, or a list of them.
type policyStrings []string

func (p *policyStrings) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			*p = append(*p, fmt.Sprint(e))
		}
	case nil:
	default:
		*p = policyStrings{fmt.Sprint(x)}
	}
	return nil
}

type policyStatement struct {
	Effect    string
	Principal json.RawMessage
	Action    policyStrings
	Condition map[string]map[string]policyStrings
}

// policyStatements parses a policy document; an unparsable or empty document has no statements.
func policyStatements(doc string) []policyStatement {
	var d struct{ Statement json.RawMessage }
	if json.Unmarshal([]byte(doc), &d) != nil || len(d.Statement) == 0 {
		return nil
	}
	var list []policyStatement
	if json.Unmarshal(d.Statement, &list) == nil {
		return list
	}
	var one policyStatement
	if json.Unmarshal(d.Statement, &one) == nil {
		return []policyStatement{one}
	}
	return nil
}

// services are the service principals of the statement.
func (st policyStatement) services() []string {
	var p struct{ Service policyStrings }
	if json.Unmarshal(st.Principal, &p) != nil {
		return nil
	}
	return p.Service
}

func (st policyStatement) allows(action string) bool {
	service, _, _ := strings.Cut(action, ":")
	return slices.ContainsFunc(st.Action, func(a string) bool {
		return a == "*" || strings.EqualFold(a, action) || strings.EqualFold(a, service+":*")
	})
}

// allowsService reports whether doc lets the service principal do action.
func allowsService(doc, service, action string) bool {
	for _, st := range policyStatements(doc) {
		if st.Effect == "Allow" && slices.Contains(st.services(), service) && st.allows(action) {
			return true
		}
	}
	return false
}

// deniesInsecureTransport reports whether doc has a Deny on aws:SecureTransport false.
func deniesInsecureTransport(doc string) bool {
	for _, st := range policyStatements(doc) {
		if st.Effect != "Deny" {
			continue
		}
		for op, cond := range st.Condition {
			if !strings.EqualFold(op, "Bool") {
				continue
			}
			for k, v := range cond {
				if strings.EqualFold(k, "aws:SecureTransport") && slices.Contains(v, "false") {
					return true
				}
			}
		}
	}
	return false
}
