package verify

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestCheckGood(t *testing.T) {
	checkGood(t, devBase, []goodCase{
		{"dev expectations", func(*Snapshot, *Expectations) {}},
		{"zero expectations fall back to outputs", func(_ *Snapshot, w *Expectations) {
			*w = Expectations{HTTPSListener: true}
		}},
	})
	checkGood(t, fullBase, []goodCase{
		{"every feature on", func(*Snapshot, *Expectations) {}},
		{"features off: null outputs, nothing found", func(s *Snapshot, w *Expectations) {
			*s, *w = *goodSnapshot(), devExpectations()
		}},
	})
}

func TestCheckSkip(t *testing.T) {
	s := goodSnapshot()
	s.LoadBalancer.Attributes["routing.http.drop_invalid_header_fields.enabled"] = "false"
	s.LoadBalancer.Scheme = "internal"
	lt := &s.LaunchTemplate.Versions[0]
	lt.HTTPPutResponseHopLimit = 2
	w := devExpectations()
	w.Skip = []string{"alb", "launch_template.hop_limit"}
	for _, f := range Check(s, w) {
		t.Errorf("skipped check still reported: %v", f)
	}
	w.Skip = []string{"al"} // a prefix that is not a group name skips nothing
	if got := len(Check(s, w)); got != 3 {
		t.Errorf("with Skip [al]: %d failures, want 3", got)
	}
}

func TestCheckFeaturesSkip(t *testing.T) {
	// What moto cannot return: the lead skips these on the emulator.
	s, w := fullSnapshot(), fullExpectations()
	s.Database.PerformanceInsights, s.Database.MonitoringInterval = false, 0
	s.Distribution.ResponseHeadersPolicies = nil
	w.Skip = []string{"database.performance_insights", "database.monitoring", "edge.security_headers"}
	for _, f := range Check(s, w) {
		t.Errorf("skipped check still reported: %v", f)
	}
}

func TestCheckNilSnapshot(t *testing.T) {
	if f := Check(nil, devExpectations()); len(f) != 1 || f[0].Check != "snapshot" {
		t.Fatalf("Check(nil) = %v", f)
	}
}

func TestFailureError(t *testing.T) {
	f := Failure{Check: "launch_template.hop_limit", Resource: "lt-1 version 2", Got: "HttpPutResponseHopLimit=2",
		Want: "HttpPutResponseHopLimit=1"}
	want := "launch_template.hop_limit: lt-1 version 2: got HttpPutResponseHopLimit=2, want HttpPutResponseHopLimit=1"
	if f.Error() != want {
		t.Errorf("Error() = %q, want %q", f.Error(), want)
	}
}

func TestLeftoversNeedsEnvironment(t *testing.T) {
	if _, err := Leftovers(context.Background(), aws.Config{}, ""); err == nil {
		t.Fatal("Leftovers with an empty environment: want an error")
	}
}

// TestSnapshotJSON: the domain parts of a Snapshot are embedded, so its JSON is flat, as it always was.
func TestSnapshotJSON(t *testing.T) {
	data, err := json.Marshal(fullSnapshot())
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Outputs", "VPC", "Subnets", "RouteTables", "NATGateways", "InternetGateways", "Endpoints",
		"SecurityGroups", "FlowLogs", "LaunchTemplate", "AutoScalingGroup", "LoadBalancer", "TargetGroup", "LogGroup", "KMSKeys",
		"Database", "DatabaseReplica", "BackupVault", "BackupPlan", "Topic", "Alarms", "Dashboard", "Buckets", "Distribution",
		"WebACLs", "HostedZone", "Certificates"} {
		if _, ok := fields[name]; !ok {
			t.Errorf("snapshot JSON has no top-level %s", name)
		}
	}
	if len(fields) != 27 {
		t.Errorf("snapshot JSON has %d top-level fields, want 27", len(fields))
	}
	var s Snapshot
	if err := json.Unmarshal([]byte(`{"VPC":{"ID":"vpc-9"},"Buckets":{"b":{"Name":"b"}},"HostedZone":{"ID":"Z9"}}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.VPC == nil || s.VPC.ID != "vpc-9" || s.Buckets["b"].Name != "b" || s.HostedZone == nil || s.HostedZone.ID != "Z9" {
		t.Errorf("decoded flat snapshot JSON = %+v", s)
	}
}
