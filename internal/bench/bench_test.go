package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/timing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := med(tc.in); got != tc.want {
			t.Errorf("med(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	runs := []Run{
		{Resources: 150, Seconds: map[string]float64{"up": 120, "verify": 2}, Memory: Peak{TerraformKB: 300, ProviderKB: 900}, CriticalApply: 90},
		{Resources: 150, Seconds: map[string]float64{"up": 100, "verify": 9}, Memory: Peak{TerraformKB: 310, ProviderKB: 800}, CriticalApply: 70},
		{Resources: 150, Seconds: map[string]float64{"up": 200, "verify": 3}, Memory: Peak{TerraformKB: 320, ProviderKB: 700}, CriticalApply: 80},
	}
	m := median(runs)
	if m.Seconds["up"] != 120 || m.Seconds["verify"] != 3 || m.Memory.ProviderKB != 800 || m.CriticalApply != 80 || m.Resources != 150 {
		t.Errorf("median of the runs = %+v", m)
	}
}

// A fake /proc: the CLI (100) started terraform (101), which started two provider plugins (102, 103); an
// unrelated terraform (200) is not counted.
func TestSampleTree(t *testing.T) {
	proc := t.TempDir()
	for _, p := range []struct {
		pid, ppid int
		name      string
		hwm       int
	}{{100, 1, "ec2stack", 20000}, {101, 100, "terraform", 310000}, {102, 101, "terraform-provi", 800000},
		{103, 101, "terraform-provi", 950000}, {200, 1, "terraform", 999999}} {
		dir := filepath.Join(proc, itoa(p.pid))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		stat := itoa(p.pid) + " (" + p.name + " x) S " + itoa(p.ppid) + " 1 1 0\n"
		status := "Name:\t" + p.name + "\nVmPeak:\t 1 kB\nVmHWM:\t " + itoa(p.hwm) + " kB\n"
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(stat), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "status"), []byte(status), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := sampleTree(proc, 100); got != (Peak{TerraformKB: 310000, ProviderKB: 950000}) {
		t.Errorf("peaks under pid 100 = %+v", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestEvents(t *testing.T) {
	stderr := []byte(`warning: something
{"type":"apply_start","time":"2026-12-02T01:00:00Z","address":"aws_vpc.this","action":"create"}
{"type":"apply_complete","time":"2026-12-02T01:00:05Z","address":"aws_vpc.this","action":"create","elapsed_seconds":5}
`)
	evs := events(stderr)
	if len(evs) != 2 || evs[1].Address != "aws_vpc.this" || evs[1].Time.Sub(evs[0].Time).Seconds() != 5 {
		t.Errorf("events = %+v", evs)
	}
}

func TestReportTargets(t *testing.T) {
	dev := Environment{Name: "dev", Median: Run{
		Seconds:   map[string]float64{"verify": 1.3, "noop_plan": 12, "round_trip": 240},
		CheckPlan: 0.1, Trivy: 1.2, CriticalApply: 120, CriticalDestroy: 80,
	}, Moto: timing.Estimates{Apply: timing.Path{Total: 120 * time.Second, Steps: []timing.Step{
		{Type: "aws_vpc", Action: "create", Duration: 10 * time.Millisecond},
		{Type: "aws_db_instance", Action: "create", Duration: 100 * time.Second}}}}}
	r := NewReport([]Environment{dev}, 1, "1.11.4")
	got := map[string]Target{}
	for _, tg := range r.Targets {
		got[tg.Name] = tg
	}
	if tg := got["verify dev on moto"]; !tg.Met || tg.Value != 1.3 {
		t.Errorf("verify target = %+v", tg)
	}
	if tg := got["no-op plan of dev"]; tg.Met {
		t.Errorf("a 12 s no-op plan met the 10 s target: %+v", tg)
	}
	if tg := got["dev round trip / its provider-waiter critical path"]; tg.Met || tg.Value != 240.0/200 {
		t.Errorf("round-trip target = %+v", tg)
	}
	if tg := got["check --plan / trivy on the same plan JSON (worst environment)"]; !tg.Met {
		t.Errorf("check target = %+v", tg)
	}
	var out bytes.Buffer
	r.Print(&out)
	for _, want := range []string{"round trip s", "check --plan s", "no-op plan of dev", "NO", "1.11.4", "apply: create aws_db_instance (100.0 s)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, out.String())
		}
	}
}
