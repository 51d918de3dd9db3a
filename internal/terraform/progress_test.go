package terraform

import (
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step on every call.
func fakeClock(step time.Duration) func() time.Time {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	return func() time.Time {
		now := t0.Add(time.Duration(n) * step)
		n++
		return now
	}
}

func render(t *testing.T, total int, files ...string) []string {
	t.Helper()
	p := NewProgress(total, fakeClock(7*time.Second))
	var lines []string
	for _, f := range files {
		for _, ev := range readEvents(t, f) {
			if line, ok := p.Observe(ev); ok {
				lines = append(lines, line)
			}
		}
	}
	return lines
}

func TestProgressRendering(t *testing.T) {
	tests := []struct {
		name  string
		total int
		files []string
		want  []string
	}{
		{
			name: "apply counts planned changes", files: []string{"apply.jsonl"},
			want: []string{
				"[0/2] 7s  creating aws_vpc.this",
				"[1/2] 14s  created aws_vpc.this (1s)",
				"[1/2] 21s  creating aws_subnet.a",
				"[2/2] 28s  created aws_subnet.a (0s)",
				"Apply complete! Resources: 2 added, 0 changed, 0 destroyed.",
			},
		},
		{
			name: "fixed total from plan", total: 40, files: []string{"apply_progress.jsonl"},
			want: []string{"[0/40] 7s  creating aws_ebs_default_kms_key.this (10s)"},
		},
		{
			name: "errors surface with detail", total: 1, files: []string{"apply_errored.jsonl"},
			want: []string{
				"[0/1] 7s  creating aws_dlm_lifecycle_policy.this",
				"[1/1] 14s  failed aws_dlm_lifecycle_policy.this (12s)",
				"error: creating DLM Lifecycle Policy [aws_dlm_lifecycle_policy.this]: operation error DLM: CreateLifecyclePolicy, https response error StatusCode: 500 (main.tf:9)",
			},
		},
		{
			name: "destroy", files: []string{"destroy.jsonl"},
			want: []string{
				"7s  read 2 resources",
				"Plan: 0 to add, 0 to change, 2 to destroy.",
				"[0/2] 14s  destroying aws_subnet.a",
				"[1/2] 21s  destroyed aws_subnet.a (0s)",
				"[1/2] 28s  destroying aws_vpc.this",
				"[2/2] 35s  destroyed aws_vpc.this (0s)",
				"Destroy complete! Resources: 2 destroyed.",
			},
		},
		{
			name: "data reads during a run are not counted as changes", files: []string{"destroy_with_read.jsonl"},
			want: []string{
				"7s  read 2 resources",
				"Plan: 0 to add, 0 to change, 2 to destroy.",
				"[0/2] 14s  reading data.aws_ami.this",
				"[0/2] 21s  read data.aws_ami.this (1s)",
				"[0/2] 28s  destroying aws_subnet.a",
				"[1/2] 35s  destroyed aws_subnet.a (0s)",
				"[1/2] 42s  destroying aws_vpc.this",
				"[2/2] 49s  destroyed aws_vpc.this (0s)",
				"Destroy complete! Resources: 2 destroyed.",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.total, tt.files...)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestProgressKeepsDiagnostics(t *testing.T) {
	p := NewProgress(0, nil)
	for _, ev := range readEvents(t, "diag.jsonl") {
		p.Observe(ev)
	}
	if len(p.Diagnostics()) != 1 || p.Diagnostics()[0].Address != "aws_vpc.bad" {
		t.Fatalf("diagnostics = %+v", p.Diagnostics())
	}
}

func TestFmtDuration(t *testing.T) {
	tests := map[float64]string{0: "0s", 15: "15s", 63: "1m03s", 600: "10m00s", 3723: "1h02m03s", 1.6: "2s"}
	for in, want := range tests {
		if got := fmtDuration(in); got != want {
			t.Errorf("fmtDuration(%v) = %q, want %q", in, got, want)
		}
	}
}
