// Package plan reads values out of a terraform plan's JSON (terraform-json's types), for the packages that
// judge, price or summarise plans.
package plan

import tfjson "github.com/hashicorp/terraform-json"

// Output is the planned value of the root output name when it is a known string, else "".
func Output(p *tfjson.Plan, name string) string {
	if p == nil || p.PlannedValues == nil || p.PlannedValues.Outputs[name] == nil {
		return ""
	}
	s, _ := p.PlannedValues.Outputs[name].Value.(string)
	return s
}
