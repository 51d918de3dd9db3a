package lane

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/ec2stack/ec2stack/internal/emulator"
)

const usage = `awslane: the real-AWS test lane (make test-aws). It plans each environment under a run prefix of its own,
prints the estimated cost and asks; then brings each up on AWS, runs ec2stack verify, checks that the
application answers through the load balancer, destroys it and fails if anything of the run is left.

Usage:
  go run ./cmd/awslane [flags]

Flags:
`

const exitCodes = `
Exit codes (0 to 5 as for ec2stack): 0 everything held; 1 a step failed; 2 bad usage, not confirmed, or the
roots ignore the prefix; 3 a plan breaks ec2stack check's rules (nothing applied); 4 verify found differences;
5 apply stopped at a hosted zone that is not delegated; 6 the application did not answer through the load
balancer; 7 destroy failed or something of the run is left (clean up: --cleanup).
`

// cmdline is a parsed command line: the run's options and whether to start a private moto.
type cmdline struct {
	Options
	offline bool
}

func parseFlags(args []string, stderr io.Writer) (cmdline, error) {
	var c cmdline
	fs := flag.NewFlagSet("awslane", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, exitCodes)
	}
	envs := fs.String("envs", "dev", `environments to run, in order, separated by spaces or commas: dev, staging ("dev staging")`)
	fs.StringVar(&c.Prefix, "prefix", "", "the run's name prefix, TF_VAR_project (default: ec2t- and 6 random characters)")
	fs.StringVar(&c.StateBucket, "state-bucket", "", "S3 bucket for the run's state (default $EC2STACK_STATE_BUCKET); the run uses env:/PREFIX/ in it")
	fs.StringVar(&c.StateRegion, "state-region", "", "region of the state bucket (default: the environment's)")
	fs.BoolVar(&c.Yes, "yes", false, "do not ask before creating (or, with --cleanup, destroying) anything")
	fs.BoolVar(&c.DryRun, "dry-run", false, "plan and estimate only, nothing is applied (on AWS: needs credentials and the state bucket)")
	fs.BoolVar(&c.offline, "offline", false, "dry run against a private moto on loopback instead of AWS (implies --dry-run)")
	fs.StringVar(&c.Endpoint, "endpoint", "", "dry run against the moto at this URL (implies --dry-run)")
	fs.BoolVar(&c.Cleanup, "cleanup", false, "destroy what run --prefix left of --envs and look for leftovers (after an interrupted run)")
	fs.StringVar(&c.WorkDir, "workdir", "", "the run's working directory (default $TMPDIR/ec2stack-aws-lane/PREFIX)")
	fs.DurationVar(&c.Duration, "duration", 0, "expected time each environment exists, for the estimate (default: dev 45m, staging 1h30m)")
	fs.DurationVar(&c.ProbeTimeout, "probe-timeout", 0, "how long the application may take to answer 2xx (default 10m)")
	fs.DurationVar(&c.LeftoverTimeout, "leftover-timeout", 0, "how long leftovers may take to go after destroy (default 10m)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (flags only; try --help)", fs.Arg(0))
	}
	c.Envs = strings.FieldsFunc(*envs, func(r rune) bool { return r == ' ' || r == ',' })
	if c.offline && c.Endpoint != "" {
		return c, errors.New("--offline starts its own moto; --endpoint uses yours: give one of them")
	}
	if c.offline || c.Endpoint != "" {
		c.DryRun = true
	}
	return c, nil
}

// Main runs the lane with a command line and returns its exit code. The first interrupt (Ctrl-C, SIGTERM)
// stops the step in flight (terraform stops gracefully) and goes on to destroy what the run created; a second
// one stops that too.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "awslane: %v\n", err)
		return ExitUsage
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cleanupCtx, cancelCleanup := context.WithCancel(context.Background())
	defer cancelCleanup()
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		if _, ok := <-sig; !ok {
			return
		}
		fmt.Fprintln(stderr, "\nlane: interrupted: stopping the step in flight, then destroying what the run created (interrupt again to stop that too)")
		cancel()
		if _, ok := <-sig; !ok {
			return
		}
		fmt.Fprintln(stderr, "\nlane: interrupted again: stopping the cleanup; run `make test-aws-clean PREFIX=...` (the prefix is printed above)")
		cancelCleanup()
	}()
	c.Stdin, c.Stdout, c.Stderr, c.CleanupContext = stdin, stdout, stderr, cleanupCtx
	if c.offline {
		dir, err := os.MkdirTemp("", "ec2stack-lane-moto-")
		if err != nil {
			fmt.Fprintf(stderr, "awslane: %v\n", err)
			return ExitFailure
		}
		defer os.RemoveAll(dir)
		moto, err := emulator.Start(ctx, emulator.StartOptions{ShimDir: dir, LogFile: filepath.Join(dir, "moto.log")})
		if err != nil {
			fmt.Fprintf(stderr, "awslane: --offline needs moto 5.2.1: %v\n", err)
			return ExitFailure
		}
		defer func() {
			if err := moto.Stop(); err != nil {
				fmt.Fprintf(stderr, "awslane: stopping moto (pid %d): %v\n", moto.PID, err)
			}
		}()
		fmt.Fprintf(stderr, "lane: started moto at %s (pid %d) for the dry run\n", moto.Endpoint, moto.PID)
		c.Endpoint = moto.Endpoint
	}
	res, err := Run(ctx, c.Options)
	if err != nil {
		fmt.Fprintf(stderr, "awslane: %v\n", err)
	}
	return res.Code
}
