// Command bench measures ec2stack on moto: each environment's round trip (up, no-op plan, verify, destroy) with
// terraform's own steps inside, the provider-waiter critical path from terraform's events, peak memory, and
// `check --plan` against trivy on the same plan JSON; then it judges the speed targets (see README, "Speed").
// `make bench` builds and runs it.
//
// Exit codes: 0 measured (whether or not every target is met: the report says), 1 a step failed, 2 usage.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/ec2stack/ec2stack/internal/bench"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	envs := fs.String("envs", strings.Join(env.Names, ","), "environments to measure, separated by commas or spaces")
	runs := fs.Int("runs", 3, "round trips per environment (figures are medians)")
	repeats := fs.Int("repeats", 5, "runs of check --plan and trivy per round trip (median)")
	cliPath := fs.String("cli", "bin/ec2stack", "the ec2stack binary to measure")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var names []string
	for _, n := range strings.FieldsFunc(*envs, func(r rune) bool { return r == ',' || r == ' ' }) {
		if err := env.Validate(n); err != nil {
			fmt.Fprintf(os.Stderr, "bench: --envs: %v\n", err)
			return 2
		}
		names = append(names, n)
	}
	if len(names) == 0 || *runs < 1 || *repeats < 1 {
		fmt.Fprintf(os.Stderr, "bench: --envs needs at least one environment, --runs and --repeats at least 1 (got %q, %d, %d)\n", *envs, *runs, *repeats)
		return 2
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	home, err := env.Home(wd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	cli, err := filepath.Abs(*cliPath)
	if err == nil {
		_, err = os.Stat(cli)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: --cli %s: %v (run `make build` first)\n", *cliPath, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	tool, err := terraform.FindTool(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	measured, err := bench.Measure(ctx, bench.Options{Envs: names, Runs: *runs, Repeats: *repeats, CLI: cli, Home: home, Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	report := bench.NewReport(measured, *runs, tool.Version)
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return 1
		}
		return 0
	}
	report.Print(os.Stdout)
	return 0
}
