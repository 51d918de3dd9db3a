package plan

import (
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

func TestOutput(t *testing.T) {
	p := &tfjson.Plan{PlannedValues: &tfjson.StateValues{Outputs: map[string]*tfjson.StateOutput{
		"region": {Value: "us-east-1"}, "zones": {Value: []any{"a"}}, "unknown": {Value: nil},
	}}}
	for name, want := range map[string]string{"region": "us-east-1", "zones": "", "unknown": "", "missing": ""} {
		if got := Output(p, name); got != want {
			t.Errorf("Output(%q) = %q, want %q", name, got, want)
		}
	}
	if Output(nil, "region") != "" || Output(&tfjson.Plan{}, "region") != "" {
		t.Error("a plan without planned values")
	}
}
