package terraform

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readEvents(t *testing.T, name string) []Event {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var evs []Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		ev, err := ParseEvent(sc.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

func TestParseEvent(t *testing.T) {
	tests := []struct {
		file  string
		index int
		want  Event
	}{
		{"plan.jsonl", 1, Event{Type: EventPlannedChange, Address: "aws_vpc.this", ResourceType: "aws_vpc", Action: "create"}},
		{"plan.jsonl", 3, Event{Type: EventChangeSummary, Changes: &Changes{Add: 2, Operation: "plan"}}},
		{"apply.jsonl", 3, Event{Type: EventApplyStart, Address: "aws_vpc.this", ResourceType: "aws_vpc", Action: "create"}},
		{"apply.jsonl", 4, Event{Type: EventApplyComplete, Address: "aws_vpc.this", ResourceType: "aws_vpc", Action: "create", ID: "vpc-709404f7c40f72df5", Elapsed: 1}},
		{"apply_progress.jsonl", 0, Event{Type: EventApplyProgress, Address: "aws_ebs_default_kms_key.this", ResourceType: "aws_ebs_default_kms_key", Action: "create", Elapsed: 10}},
		{"apply_errored.jsonl", 1, Event{Type: EventApplyErrored, Address: "aws_dlm_lifecycle_policy.this", ResourceType: "aws_dlm_lifecycle_policy", Action: "create", Elapsed: 12}},
		{"destroy.jsonl", 1, Event{Type: EventRefreshStart, Address: "aws_vpc.this", ResourceType: "aws_vpc", ID: "vpc-709404f7c40f72df5"}},
		{"destroy.jsonl", 9, Event{Type: EventApplyStart, Address: "aws_subnet.a", ResourceType: "aws_subnet", Action: "delete", ID: "subnet-94ffaca1fd9c3ed2a"}},
		{"diag.jsonl", 1, Event{Type: EventDiagnostic, Address: "aws_vpc.bad", Diagnostic: &Diagnostic{
			Severity: "error", Address: "aws_vpc.bad", Location: "main.tf:8",
			Summary: "expected cidr_block to contain a valid Value, got: 10.0.0.0/99 with err: invalid CIDR address: 10.0.0.0/99",
			Context: `resource "aws_vpc" "bad"`, Code: `resource "aws_vpc" "bad" { cidr_block = "10.0.0.0/99" }`,
		}}},
		{"undeclared.jsonl", 1, Event{Type: EventDiagnostic, Diagnostic: &Diagnostic{
			Severity: "error", Summary: "Value for undeclared variable",
			Detail: `A variable named "nope" was assigned on the command line, but the root module does not declare a variable of that name. To use this value, add a "variable" block to the configuration.`,
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"#"+string(rune('0'+tt.index)), func(t *testing.T) {
			evs := readEvents(t, tt.file)
			got := evs[tt.index]
			if got.Time.IsZero() || got.Message == "" {
				t.Errorf("missing time/message: %+v", got)
			}
			got.Time, got.Message, got.Level = time.Time{}, "", ""
			if !equalEvent(got, tt.want) {
				t.Errorf("event = %+v (changes %+v, diag %+v)\nwant    %+v", got, got.Changes, got.Diagnostic, tt.want)
			}
		})
	}
}

func equalEvent(a, b Event) bool {
	if (a.Changes == nil) != (b.Changes == nil) || (a.Diagnostic == nil) != (b.Diagnostic == nil) {
		return false
	}
	if a.Changes != nil && *a.Changes != *b.Changes {
		return false
	}
	if a.Diagnostic != nil && *a.Diagnostic != *b.Diagnostic {
		return false
	}
	a.Changes, b.Changes, a.Diagnostic, b.Diagnostic = nil, nil, nil, nil
	return a == b
}

func TestParseEventRejectsGarbage(t *testing.T) {
	if _, err := ParseEvent([]byte("not json")); err == nil {
		t.Fatal("want error")
	}
}

func TestEventWriterSplitsLines(t *testing.T) {
	var got []string
	w := &eventWriter{handle: func(ev Event) { got = append(got, ev.Type) }}
	b, _ := os.ReadFile(filepath.Join("testdata", "events", "apply.jsonl"))
	for len(b) > 0 { // feed in odd-sized chunks
		n := min(37, len(b))
		if _, err := w.Write(b[:n]); err != nil {
			t.Fatal(err)
		}
		b = b[n:]
	}
	_, _ = w.Write([]byte("plain text tail"))
	w.Flush()
	want := "version planned_change planned_change apply_start apply_complete apply_start apply_complete change_summary outputs log"
	if strings.Join(got, " ") != want {
		t.Fatalf("types = %v\nwant %v", got, want)
	}
}

func TestDiagnosticString(t *testing.T) {
	d := Diagnostic{Summary: "bad thing", Detail: "because\n", Address: "aws_vpc.x", Location: "main.tf:3"}
	if got, want := d.String(), "bad thing [aws_vpc.x]: because (main.tf:3)"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

// The plan summary from the event stream adds up to terraform's change summary, or is not trusted.
func TestPlanEventsSummary(t *testing.T) {
	p := &planEvents{}
	for _, ev := range readEvents(t, "plan.jsonl") {
		p.observe(ev)
	}
	sum, ok := p.summary()
	if !ok || sum.Add != 2 || len(sum.Changes) != 2 || sum.Changes[0].Type == "" {
		t.Fatalf("summary of plan.jsonl = %+v, %t", sum, ok)
	}
	p.observe(Event{Type: EventPlannedChange, Address: "aws_vpc.other", ResourceType: "aws_vpc", Action: "replace"})
	if _, ok := p.summary(); ok {
		t.Error("a replace the change summary does not count was trusted")
	}
	p.observe(Event{Type: EventChangeSummary, Changes: &Changes{Add: 3, Remove: 1}})
	if sum, ok := p.summary(); !ok || sum.Replace != 1 || sum.Add != 2 {
		t.Errorf("with the replace counted: %+v, %t", sum, ok)
	}
}
