package bench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ec2stack/ec2stack/internal/timing"
)

// Report is a benchmark run: the machine, each environment's figures and the speed targets they meet or miss.
type Report struct {
	Date         string        `json:"date"`
	Machine      Machine       `json:"machine"`
	Runs         int           `json:"runs"`
	Environments []Environment `json:"environments"`
	Targets      []Target      `json:"targets"`
}

// Machine is what the figures were measured on.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPU       string `json:"cpu"`
	MemoryGiB int    `json:"memory_gib"`
	OS        string `json:"os"`
	Terraform string `json:"terraform"`
}

// Target is one speed goal: the measured value against its limit (values in the limit's unit).
type Target struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"` // "s" or "x" (a ratio)
	Met   bool    `json:"met"`
}

// NewReport puts the figures together and judges the targets on them.
func NewReport(envs []Environment, runs int, terraformVersion string) Report {
	r := Report{Date: time.Now().UTC().Format(time.DateOnly), Machine: machine(terraformVersion), Runs: runs, Environments: envs}
	target := func(name string, value, limit float64, unit string) {
		r.Targets = append(r.Targets, Target{Name: name, Value: value, Limit: limit, Unit: unit, Met: value <= limit})
	}
	worst := 0.0
	for _, e := range envs {
		if e.Median.Trivy > 0 {
			worst = max(worst, e.Median.CheckPlan/e.Median.Trivy)
		}
		if e.Name != "dev" {
			continue
		}
		m := e.Median
		target("verify dev on moto", m.Seconds["verify"], 5, "s")
		target("no-op plan of dev", m.Seconds["noop_plan"], 10, "s")
		if path := m.CriticalApply + m.CriticalDestroy; path > 0 {
			target("dev round trip / its provider-waiter critical path", m.Seconds["round_trip"]/path, 1.15, "x")
		}
	}
	if worst > 0 {
		target("check --plan / trivy on the same plan JSON (worst environment)", worst, 0.1, "x")
	}
	return r
}

// Print writes the report as tables.
func (r Report) Print(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "ec2stack bench, %s: %d CPUs (%s), %d GiB, %s, terraform %s; median of %d round trip(s) per environment on moto\n\n",
		r.Date, m.CPUs, m.CPU, m.MemoryGiB, m.OS, m.Terraform, r.Runs)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "env\tresources\tinit s\tplan s\tcheck s\tapply s\tup s\tno-op plan s\tverify s\tdestroy s\tround trip s\twaiter path s\tround trip / path\tterraform MiB\tprovider MiB\t")
	for _, e := range r.Environments {
		x := e.Median
		path := x.CriticalApply + x.CriticalDestroy
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t%d\t%d\t\n", e.Name, x.Resources,
			x.Seconds["init"], x.Seconds["plan"], x.Seconds["check"], x.Seconds["apply"], x.Seconds["up"], x.Seconds["noop_plan"],
			x.Seconds["verify"], x.Seconds["destroy"], x.Seconds["round_trip"], path, ratio(x.Seconds["round_trip"], path),
			x.Memory.TerraformKB/1024, x.Memory.ProviderKB/1024)
	}
	tw.Flush()
	fmt.Fprintln(w, "\n(init, plan, check, apply: inside up; check waits for the real-settings plan made alongside the plan. waiter path:")
	fmt.Fprintln(w, "the longest dependency chain of up's apply plus destroy's, each resource weighted by what it took in terraform's events.)")

	fmt.Fprintln(w, "\nWhere the waiters spend it on moto (the last round trip's critical paths, seconds):")
	for _, e := range r.Environments {
		fmt.Fprintf(w, "  %-8s apply: %s\n", e.Name, steps(e.Moto.Apply, time.Second, "s"))
		fmt.Fprintf(w, "  %-8s destroy: %s\n", "", steps(e.Moto.Destroy, time.Second, "s"))
	}

	fmt.Fprintln(w, "\nOn the saved plan JSON the gate checked (real settings):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "env\tcheck --plan s\ttrivy s\tcheck / trivy\t")
	for _, e := range r.Environments {
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t%s\t\n", e.Name, e.Median.CheckPlan, orDash(e.Median.Trivy), ratio(e.Median.CheckPlan, e.Median.Trivy))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nExpected on real AWS (`ec2stack plan ENV --timing`; docs/timing.md):")
	for _, e := range r.Environments {
		a, d := e.RealAWS.Apply, e.RealAWS.Destroy
		fmt.Fprintf(w, "  %-8s apply %.1f min: %s\n", e.Name, a.Total.Minutes(), steps(a, time.Minute, "min"))
		fmt.Fprintf(w, "  %-8s destroy %.1f min: %s\n", "", d.Total.Minutes(), steps(d, time.Minute, "min"))
	}

	fmt.Fprintln(w, "\nTargets:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  target\tmeasured\tgoal\tmet")
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "  %s\t%.2f %s\t<= %.2f %s\t%s\n", t.Name, t.Value, t.Unit, t.Limit, t.Unit, yesNo(t.Met))
	}
	tw.Flush()
}

func ratio(a, b float64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func orDash(v float64) string {
	if v <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

func machine(terraformVersion string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Terraform: terraformVersion}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			m.MemoryGiB = (kb + 1<<19) >> 20
		}
	}
	return m
}

// steps renders a critical path as "type (n unit) > ...", leaving out steps under a tenth of the unit.
func steps(p timing.Path, unit time.Duration, name string) string {
	var out []string
	for _, s := range p.Steps {
		if s.Duration >= unit/10 {
			out = append(out, fmt.Sprintf("%s %s (%.1f %s)", s.Action, s.Type, float64(s.Duration)/float64(unit), name))
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, " > ")
}
