package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
	"github.com/ec2stack/ec2stack/internal/verify"
)

// devRegions are the regions dev's root has providers in: its region and us-east-1 (the same here) and the DR
// region.
var devRegions = []string{region, "us-west-2"}

// interruptAfter is the mid-apply kill point: once terraform reported this many of dev's 129 resources created
// (about ten seconds into the apply on moto).
const interruptAfter = 30

// stateful are the resource types that hold data (EC2S-706, stateful-replacement). A create that an interrupt
// cuts short leaves its object tainted, and the next plan replaces it (check allows a tainted one); the SIGINT
// test interrupts once the last of them in dev, the database, is created, where no name can be taken twice
// (what starts after it depends on it: alarms and the dashboard).
var stateful = map[string]bool{"aws_db_instance": true, "aws_db_instance_automated_backups_replication": true, "aws_kms_key": true,
	"aws_s3_bucket": true, "aws_dynamodb_table": true, "aws_backup_vault": true, "aws_cloudwatch_log_group": true, "aws_vpc": true,
	"aws_subnet": true, "aws_route53_zone": true, "aws_ebs_volume": true, "aws_efs_file_system": true}

// TestInterruptedApplySIGINT: Ctrl-C during `ec2stack up dev`'s apply, once the database is created and no
// stateful resource is being created (about 110 of 129 resources exist, the alarms are in flight). ec2stack passes the interrupt to terraform, which stops gracefully: it abandons
// what is in flight (tainted), writes the state and releases the lock; ec2stack exits 130 with one line saying
// what the state holds and what to run. Nothing AWS has is missing from the state, the next `up` converges (the
// plan after it is empty), and after destroy nothing tagged with dev is left in any region of dev.
func TestInterruptedApplySIGINT(t *testing.T) {
	t.Parallel()
	requireTerraform(t)
	moto := startMoto(t)
	sh := newShell(t)
	client := stateClient(t, moto)

	run := startUp(t, sh, moto)
	run.waitUntil(t, "the database created and no stateful resource in flight", func(r *upRun) bool {
		if r.completed["aws_db_instance"] == 0 {
			return false
		}
		for _, typ := range r.inFlight {
			if stateful[typ] {
				return false
			}
		}
		return true
	})
	created, inFlight := run.counts()
	// A Ctrl-C at a terminal goes to the foreground process group: ec2stack's. terraform runs in a process group of
	// its own (terraform-exec), so it hears of it only from ec2stack.
	interrupted := time.Now()
	if err := syscall.Kill(-run.cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	code := run.wait(t)
	t.Logf("SIGINT after %d created, %d in flight (%s into the run): ec2stack exited %d after %s, %d created in all",
		created, len(inFlight), interrupted.Sub(run.started).Round(time.Second), code, time.Since(interrupted).Round(100*time.Millisecond), run.createdNow())
	last := run.lastLine()
	for _, want := range []string{"ec2stack: up dev: interrupted (interrupt signal received) during terraform apply: terraform stopped gracefully",
		"the state records the ", "Run `ec2stack up dev` to go on"} {
		if code != 130 || !strings.Contains(last, want) {
			t.Errorf("up after SIGINT: exit %d, last line %q; want 130 and %q\nstderr:\n%s", code, last, want, run.stderrTail())
		}
	}
	if left := run.survivors(); len(left) > 0 {
		t.Errorf("processes of the interrupted run still alive: %v", left)
	}

	// terraform stopped gracefully: the lock is released and the state holds everything that was created.
	if lock, ok := readLock(t, client); ok {
		t.Errorf("the state lock is left after a graceful stop: %s", lock)
	}
	st := readState(t, client)
	t.Logf("state after SIGINT: serial %d, %d resource instances (%d tainted)", st.serial, st.instances, st.tainted)
	if st.instances < run.createdNow() {
		t.Errorf("the state holds %d resource instances, %d were created", st.instances, run.createdNow())
	}
	if untracked := untrackedResources(t, moto, st); len(untracked) > 0 {
		t.Errorf("after a graceful stop, %d resource(s) tagged with dev are not in the state: %v", len(untracked), untracked)
	}

	converge(t, sh, moto)
}

// TestInterruptedApplySIGKILL: `ec2stack up dev` killed with terraform and its providers (SIGKILL to the whole
// process tree at once, as a crash of the machine or the OOM killer of a CI runner would). terraform's lock file
// stays in the state bucket: the next `up` must stop at once with exit 1 naming the lock and `ec2stack unlock`,
// and the unlock releases it.
//
// Killed in the middle of the apply (after 30 resources were created), terraform loses track of what it
// created: the S3 backend gets a state snapshot only every 20 seconds or more (at a resource's completion) and
// at the end, so AWS has resources the state does not name, and what was in flight is lost too; a re-run then
// fails on the names already taken (IAM roles, the log bucket) and duplicates the rest (VPC, subnets, keys,
// security groups, route tables, ...), which destroy leaves behind. The first subtest proves that those
// resources are found (tagged with dev, not in the state) and stops there. The second kills at the point where
// terraform is between resources with everything in the state: the whole apply is done and `up` is syncing the
// state (`apply -refresh-only`) under a new lock; after the unlock, `up` converges, the plan after it is empty,
// and after destroy nothing tagged with dev is left in any region of dev.
func TestInterruptedApplySIGKILL(t *testing.T) {
	t.Parallel()
	requireTerraform(t)

	t.Run("mid-apply: what the state misses is found", func(t *testing.T) {
		moto := startMoto(t)
		sh := newShell(t)
		client := stateClient(t, moto)
		run := startUp(t, sh, moto)
		run.waitUntil(t, fmt.Sprintf("%d resources created", interruptAfter), func(r *upRun) bool { return r.created >= interruptAfter })
		killed, inFlight := run.killTree(t), run.inFlightNow()
		lock, st := killedRun(t, sh, moto, client, run, killed)
		untracked := untrackedResources(t, moto, st)
		t.Logf("killed with %d created and %d in flight (%v): the state (serial %d) holds %d resource instances; tagged with dev and not in the state: %d: %v",
			run.createdNow(), len(inFlight), inFlight, st.serial, st.instances, len(untracked), untracked)
		if st.instances < run.createdNow() && len(untracked) == 0 {
			t.Errorf("terraform created %d resources and the state holds %d, but nothing untracked was found", run.createdNow(), st.instances)
		}
		unlock(t, sh, moto, client, lock)
	})

	t.Run("between resources: up converges after unlock", func(t *testing.T) {
		moto := startMoto(t)
		sh := newShell(t)
		client := stateClient(t, moto)
		run := startUp(t, sh, moto)
		run.waitUntil(t, "the apply to complete", func(r *upRun) bool { return r.applied })
		killed, holder := run.killHoldingLock(t, client)
		lock, st := killedRun(t, sh, moto, client, run, killed)
		t.Logf("killed while %q held lock %s: the state (serial %d) holds %d resource instances, %d were created", holder, lock.ID, st.serial, st.instances, run.createdNow())
		if st.instances < run.createdNow() {
			t.Errorf("the state holds %d resource instances, %d were created", st.instances, run.createdNow())
		}
		if untracked := untrackedResources(t, moto, st); len(untracked) > 0 {
			t.Errorf("killed between resources, %d resource(s) tagged with dev are not in the state: %v", len(untracked), untracked)
		}
		unlock(t, sh, moto, client, lock)
		converge(t, sh, moto)
	})
}

// killedRun checks what a killed run leaves: none of its processes, its lock in the state bucket, and a next
// `up` that stops at once (exit 1) naming that lock and the unlock command, without touching the state. It
// returns the lock and the state.
func killedRun(t *testing.T, sh *shell, moto *emulator.Server, client *s3.Client, run *upRun, killed []string) (lockInfo, tfState) {
	t.Helper()
	if code := run.wait(t); code != -1 {
		t.Errorf("ec2stack after SIGKILL: exit %d, want -1 (killed)", code)
	}
	if left := run.survivors(); len(left) > 0 {
		t.Errorf("processes of the killed run (%v) still alive: %v", killed, left)
	}
	lock, ok := readLock(t, client)
	if !ok {
		t.Fatalf("no state lock left after SIGKILL of %v", killed)
	}
	if lock.Operation != "OperationTypeApply" && lock.Operation != "OperationTypePlan" {
		t.Errorf("the lock left: %s, want an apply's or a plan's", lock)
	}
	st := readState(t, client)

	start := time.Now()
	_, stderr, code := sh.run(t, "up", "dev", "--endpoint", moto.Endpoint, "--approved-by", "e2e")
	line := lastLine(stderr)
	for _, want := range []string{"ec2stack: dev on emulator is locked in its state backend: " + lock.Operation + " by ",
		"(lock ID " + lock.ID + ")", "if it is gone (killed), release the lock with `ec2stack unlock dev --lock-id " + lock.ID + "`"} {
		if code != 1 || !strings.Contains(line, want) {
			t.Fatalf("up of dev locked by the killed run: exit %d, last line %q; want exit 1 and %q\n%s", code, line, want, stderr)
		}
	}
	t.Logf("killed %v; the next up stopped after %s: %s", killed, time.Since(start).Round(100*time.Millisecond), line)
	if after := readState(t, client); after.serial != st.serial || after.instances != st.instances {
		t.Errorf("the locked up changed the state: serial %d -> %d", st.serial, after.serial)
	}
	return lock, st
}

// unlock releases the killed run's lock as the README says, and checks it is gone.
func unlock(t *testing.T, sh *shell, moto *emulator.Server, client *s3.Client, lock lockInfo) {
	t.Helper()
	if out := sh.ec2stack(t, "unlock", "dev", "--endpoint", moto.Endpoint, "--lock-id", lock.ID); !strings.Contains(out, "Released the state lock "+lock.ID) {
		t.Errorf("unlock: %q", out)
	}
	if l, ok := readLock(t, client); ok {
		t.Fatalf("a lock is still there after unlock: %s", l)
	}
}

// converge runs `up dev` again after an interrupted one: it must finish the job (exit 0), the plan after it must
// be empty, and after destroy nothing tagged with dev may be left in any region of dev.
func converge(t *testing.T, sh *shell, moto *emulator.Server) {
	t.Helper()
	start := time.Now()
	up := decode(t, sh.ec2stack(t, "up", "dev", "--endpoint", moto.Endpoint, "--approved-by", "e2e", "--json"))
	var sum terraform.PlanSummary
	b, _ := json.Marshal(up["plan"])
	_ = json.Unmarshal(b, &sum)
	t.Logf("the next up planned %d changes (%d to add, %d to replace) and took %s", sum.Total(), sum.Add, sum.Replace, time.Since(start).Round(time.Second))

	doc := decode(t, sh.ec2stack(t, "plan", "dev", "--endpoint", moto.Endpoint, "--json"))
	b, _ = json.Marshal(doc["plan"])
	sum = terraform.PlanSummary{}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("plan --json: %v\n%v", err, doc)
	}
	if sum.HasChanges() {
		t.Errorf("the plan after the next up wants changes: %+v", sum.Changes)
	}

	sh.ec2stack(t, "destroy", "dev", "--endpoint", moto.Endpoint)
	ctx := context.Background()
	for _, r := range devRegions {
		cfg, err := moto.AWSConfig(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		left, err := verify.Leftovers(ctx, cfg, "dev")
		if err != nil {
			t.Fatalf("listing leftovers of dev in %s: %v", r, err)
		}
		for _, l := range left {
			t.Errorf("left after destroy of dev in %s: %s", r, l)
		}
	}
}

// upRun is `ec2stack up dev --json` running in a process group of its own; its stderr (terraform's events as
// JSON lines, then ec2stack's last line) is read as it comes.
type upRun struct {
	cmd     *exec.Cmd
	started time.Time
	done    chan struct{} // closed when the process has exited and its output is read
	err     error         // cmd.Wait's

	mu        sync.Mutex
	created   int               // resources terraform reported created
	inFlight  map[string]string // address -> type of the resources being applied
	completed map[string]int    // resources created, by type
	applied   bool              // the apply's change summary came: it is complete
	lines     []string          // stderr lines that are not events
	tail      []string          // the last stderr lines
	waiters   []waiter
	tree      map[int]bool // every process of the run seen (ec2stack and its descendants)
}

type waiter struct {
	cond func(*upRun) bool
	ch   chan struct{}
}

func startUp(t *testing.T, sh *shell, moto *emulator.Server) *upRun {
	t.Helper()
	cmd := exec.Command(cliBinary, "up", "dev", "--endpoint", moto.Endpoint, "--approved-by", "e2e", "--json")
	cmd.Dir = root()
	cmd.Env = append(os.Environ(), append([]string{env.HomeVar + "=" + root(), env.WorkDirVar + "=" + sh.work}, sh.vars...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdout = io.Discard
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &upRun{cmd: cmd, started: time.Now(), done: make(chan struct{}), inFlight: map[string]string{}, completed: map[string]int{}, tree: map[int]bool{cmd.Process.Pid: true}}
	t.Cleanup(func() {
		select {
		case <-r.done:
		default: // the test failed before the run ended: end it and what it started
			r.killTree(t)
			<-r.done
		}
	})
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			r.observe(sc.Text())
		}
		_, _ = io.Copy(io.Discard, stderr)
		r.err = cmd.Wait()
		close(r.done)
	}()
	return r
}

func (r *upRun) observe(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tail = append(r.tail, line)
	if len(r.tail) > 40 {
		r.tail = r.tail[1:]
	}
	var ev terraform.Event
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &ev) != nil {
		r.lines = append(r.lines, line)
		return
	}
	switch ev.Type {
	case terraform.EventApplyStart:
		r.inFlight[ev.Address] = ev.ResourceType
	case terraform.EventApplyComplete, terraform.EventApplyErrored:
		delete(r.inFlight, ev.Address)
		if ev.Type == terraform.EventApplyComplete && ev.Action == "create" {
			r.created++
			r.completed[ev.ResourceType]++
		}
	case terraform.EventChangeSummary:
		r.applied = r.applied || ev.Changes != nil && ev.Changes.Operation == "apply"
	}
	kept := r.waiters[:0]
	for _, w := range r.waiters {
		if w.cond(r) {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	r.waiters = kept
}

// waitUntil waits until cond holds of what the run reported (checked after each event); it fails the test when
// the run ends first or takes more than 5 minutes.
func (r *upRun) waitUntil(t *testing.T, what string, cond func(*upRun) bool) {
	t.Helper()
	r.mu.Lock()
	ch := make(chan struct{})
	if cond(r) {
		close(ch)
	} else {
		r.waiters = append(r.waiters, waiter{cond: cond, ch: ch})
	}
	r.mu.Unlock()
	select {
	case <-ch:
		r.seeTree()
	case <-r.done:
		t.Fatalf("up dev ended (%v) before %s\n%s", r.err, what, r.stderrTail())
	case <-time.After(5 * time.Minute):
		t.Fatalf("up dev: no %s in 5 minutes\n%s", what, r.stderrTail())
	}
}

// counts are the resources created so far and those in flight.
func (r *upRun) counts() (created int, inFlight []string) {
	return r.createdNow(), r.inFlightNow()
}

func (r *upRun) createdNow() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.created
}

func (r *upRun) inFlightNow() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.inFlight))
	for a := range r.inFlight {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// wait waits for the run to end and returns its exit code (-1: killed by a signal).
func (r *upRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(5 * time.Minute):
		t.Fatalf("up dev did not end within 5 minutes of the signal\n%s", r.stderrTail())
	}
	var exit *exec.ExitError
	switch {
	case r.err == nil:
		return 0
	case errors.As(r.err, &exit):
		return exit.ExitCode()
	}
	t.Fatalf("up dev: %v", r.err)
	return 0
}

func (r *upRun) lastLine() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.lines) == 0 {
		return ""
	}
	return r.lines[len(r.lines)-1]
}

func (r *upRun) stderrTail() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.tail, "\n")
}

// seeTree records the run's processes now alive (ec2stack, terraform, the providers) and returns them.
func (r *upRun) seeTree() []int {
	pids := descendants(r.cmd.Process.Pid)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range pids {
		r.tree[p] = true
	}
	return pids
}

// survivors are the run's processes still alive (not zombies) 10 seconds after ec2stack ended; a process
// killed a moment ago may take a little while to go (its memory to be released).
func (r *upRun) survivors() []string {
	r.mu.Lock()
	pids := make([]int, 0, len(r.tree))
	for p := range r.tree {
		pids = append(pids, p)
	}
	r.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		var out []string
		for _, p := range pids {
			if state, cmdline := procInfo(p); state != "" && state != "Z" {
				out = append(out, fmt.Sprintf("%d %s %s", p, state, cmdline))
			}
		}
		if len(out) == 0 || time.Now().After(deadline) {
			slices.Sort(out)
			return out
		}
		<-tick.C
	}
}

// signalTree sends sig to each process group of the run's processes (ec2stack's; terraform's, which its
// providers share) and to each process; it returns the processes ("pid program").
func (r *upRun) signalTree(sig syscall.Signal) []string {
	pids := r.seeTree()
	var out []string
	groups := map[int]bool{}
	for _, p := range pids {
		_, cmdline := procInfo(p)
		out = append(out, strconv.Itoa(p)+" "+filepath.Base(strings.Fields(cmdline + " ?")[0]))
		if g, err := syscall.Getpgid(p); err == nil {
			groups[g] = true
		}
	}
	for g := range groups {
		_ = syscall.Kill(-g, sig)
	}
	for _, p := range pids {
		_ = syscall.Kill(p, sig)
	}
	return out
}

// killTree stops the run's every process at once (SIGSTOP, so that none does anything more), then SIGKILLs
// them: what a crash of the machine or an OOM kill of the job does. It returns the processes.
func (r *upRun) killTree(t *testing.T) []string {
	out := r.signalTree(syscall.SIGSTOP)
	r.signalTree(syscall.SIGKILL)
	return out
}

// killHoldingLock kills the run (killTree) at a moment its terraform holds dev's state lock: it watches the lock
// file, and when there is one, it freezes the run and looks again (terraform may have released it in between:
// then the run goes on). It returns the processes killed and the terraform command that held the lock.
func (r *upRun) killHoldingLock(t *testing.T, client *s3.Client) (killed []string, holder string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		select {
		case <-r.done:
			t.Fatalf("up dev ended (%v) before a terraform of it held the lock after the apply\n%s", r.err, r.stderrTail())
		case <-tick.C:
		}
		if _, ok := readLock(t, client); !ok {
			continue
		}
		r.signalTree(syscall.SIGSTOP)
		if _, ok := readLock(t, client); !ok {
			r.signalTree(syscall.SIGCONT)
			continue
		}
		for _, p := range r.seeTree() {
			if _, cmdline := procInfo(p); strings.Contains(filepath.Base(strings.Fields(cmdline + " ?")[0]), "terraform") &&
				!strings.Contains(cmdline, "provider") {
				holder = strings.Join(strings.Fields(cmdline)[1:], " ")
			}
		}
		return r.killTree(t), holder
	}
	t.Fatalf("up dev: no terraform held the lock within 3 minutes after the apply\n%s", r.stderrTail())
	return nil, ""
}

// descendants is pid and every process below it, from /proc.
func descendants(pid int) []int {
	parent := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(fields) > 1 {
			if pp, err := strconv.Atoi(fields[1]); err == nil {
				parent[pp] = append(parent[pp], p)
			}
		}
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, parent[out[i]]...)
	}
	return out
}

// procInfo is a process's state letter ("" when it is gone) and command line.
func procInfo(pid int) (state, cmdline string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", ""
	}
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(fields) > 0 {
		state = fields[0]
	}
	c, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return state, strings.ReplaceAll(strings.TrimRight(string(c), "\x00"), "\x00", " ")
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.TrimSpace(s[strings.LastIndex(s, "\n")+1:])
}

func stateClient(t *testing.T, moto *emulator.Server) *s3.Client {
	t.Helper()
	client, err := moto.S3Client(context.Background(), region)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// lockInfo is terraform's lock file in the state bucket.
type lockInfo struct {
	ID, Operation, Who, Created string
}

func (l lockInfo) String() string {
	return fmt.Sprintf("%s %s by %s since %s", l.ID, l.Operation, l.Who, l.Created)
}

// readLock reads dev's lock file from the state bucket (false: there is none).
func readLock(t *testing.T, client *s3.Client) (lockInfo, bool) {
	t.Helper()
	key := emulator.BackendConfig("dev", region)["key"] + ".tflock"
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(emulator.StateBucket), Key: aws.String(key)})
	var nk *s3types.NoSuchKey
	if errors.As(err, &nk) {
		return lockInfo{}, false
	}
	if err != nil {
		t.Fatalf("reading the lock file %s: %v", key, err)
	}
	defer out.Body.Close()
	var l lockInfo
	if err := json.NewDecoder(out.Body).Decode(&l); err != nil {
		t.Fatalf("the lock file %s: %v", key, err)
	}
	return l, true
}

// tfState is dev's state as stored in the state bucket.
type tfState struct {
	raw                string
	serial             int
	instances, tainted int
}

// readState reads dev's state from the state bucket (zero when there is none yet).
func readState(t *testing.T, client *s3.Client) tfState {
	t.Helper()
	key := emulator.BackendConfig("dev", region)["key"]
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(emulator.StateBucket), Key: aws.String(key)})
	var nk *s3types.NoSuchKey
	if errors.As(err, &nk) {
		return tfState{}
	}
	if err != nil {
		t.Fatalf("reading the state %s: %v", key, err)
	}
	defer out.Body.Close()
	raw, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Serial    int `json:"serial"`
		Resources []struct {
			Mode      string `json:"mode"`
			Instances []struct {
				Status string `json:"status"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the state %s: %v", key, err)
	}
	st := tfState{raw: string(raw), serial: doc.Serial}
	for _, r := range doc.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, i := range r.Instances {
			st.instances++
			if i.Status == "tainted" {
				st.tainted++
			}
		}
	}
	return st
}

// untrackedResources are the resources tagged with dev (verify.Leftovers, in every region of dev) that the state
// does not name, by ID, ARN or name: what a killed terraform created and never recorded. Instances are left
// out: the Auto Scaling group launches them, they are never in the state.
func untrackedResources(t *testing.T, moto *emulator.Server, st tfState) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, r := range devRegions {
		cfg, err := moto.AWSConfig(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		found, err := verify.Leftovers(ctx, cfg, "dev")
		if err != nil {
			t.Fatalf("listing what is tagged with dev in %s: %v", r, err)
		}
		for _, f := range found {
			kind, id, _ := strings.Cut(f, " ")
			short := id[strings.LastIndexAny(id, "/:")+1:] // a KMS key's ARN: the state may hold only its key ID
			if kind == "instance" || strings.Contains(st.raw, `"`+id+`"`) || strings.Contains(st.raw, `"`+short+`"`) {
				continue
			}
			out = append(out, r+": "+f)
		}
	}
	return out
}
