// Package emulator runs moto on a free loopback port (or connects to one
// already running) and provides the process environment that points
// Terraform and the AWS SDK at it.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// BinaryVar names the environment variable that points at moto_server.
const BinaryVar = "EC2STACK_MOTO_SERVER"

// StateBucket is the S3 bucket inside moto that holds Terraform state.
const StateBucket = "ec2stack-state"

const installHint = "install it with `pip install 'moto[server]==5.2.1'` or set " + BinaryVar + " to its path"

// ReadyTimeout bounds how long Start and Connect wait for moto to answer.
var ReadyTimeout = 30 * time.Second

// Server is a moto server, started by us or found running.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT: moto's, or its fault proxy's (Faults set)
	Port     int
	PID      int // moto's; 0 when we connected to a server we did not start

	// Faults is set when Endpoint is ec2stack's fault proxy in front of moto (faults.go): recorded by `emulator
	// start --faults`, or found answering at --endpoint. Env and AWSConfig then allow FaultMaxAttempts.
	Faults       *Faults
	MotoEndpoint string // moto itself behind the proxy ("" when unknown or without one)
	ProxyPID     int    // the detached proxy process we started or recorded (0: none)

	cmd       *exec.Cmd
	done      chan struct{}
	proxyDone chan struct{}
}

// FindBinary locates moto_server ($EC2STACK_MOTO_SERVER, else PATH).
func FindBinary() (string, error) {
	if p := os.Getenv(BinaryVar); p != "" {
		if info, err := os.Stat(p); err != nil || info.IsDir() {
			return "", fmt.Errorf("%s=%q is not a moto_server binary: %s", BinaryVar, p, installHint)
		}
		return p, nil
	}
	p, err := exec.LookPath("moto_server")
	if err != nil {
		return "", errors.New("moto_server not found on PATH: " + installHint)
	}
	return p, nil
}

// StartOptions configure Start.
type StartOptions struct {
	Binary  string // moto_server path to run as is; when empty, see findLauncher
	ShimDir string // where the embedded moto shim is written; os.TempDir() when empty
	AMIs    string // optional MOTO_AMIS_PATH file
	LogFile string // where moto's output goes; discarded when empty
	// Settings are MOTO_* environment settings that override ec2stack's (e.g. to start moto with its own
	// defaults, as someone else might).
	Settings []string
	// Faults, for Ensure: put a detached fault proxy in front of moto, run as ProxyCommand UPSTREAM SPEC
	// (serving ServeInheritedProxy), and record it.
	Faults       *Faults
	ProxyCommand []string
}

// Start launches moto (through the read-back shim when a Python with moto is
// found, else moto_server) on a free loopback port in its own process group
// and waits until it answers. The server outlives ctx; call Stop to end it.
func Start(ctx context.Context, opts StartOptions) (*Server, error) {
	l := launcher{program: opts.Binary}
	if l.program == "" {
		var err error
		if l, err = findLauncher(opts.ShimDir); err != nil {
			return nil, err
		}
	}
	sock, port, err := listenLoopback()
	if err != nil {
		return nil, fmt.Errorf("finding a free port: %w", err)
	}
	defer sock.Close()
	cmd := exec.Command(l.program, append(l.args, "-H", "127.0.0.1", "-p", strconv.Itoa(port))...)
	cmd.Env = append(motoEnv(os.Environ(), opts.AMIs), opts.Settings...)
	cmd.ExtraFiles = []*os.File{sock} // fd 3, see listenLoopback
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := attachLog(cmd, opts.LogFile); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", l.program, err)
	}
	s := &Server{Endpoint: endpointFor(port), Port: port, PID: cmd.Process.Pid, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	remember(s)
	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

func motoEnv(base []string, amis string) []string {
	env := append([]string{}, base...)
	env = append(env, "MOTO_IAM_LOAD_MANAGED_POLICIES=true", "MOTO_ACM_VALIDATION_WAIT=0",
		// Serve on the socket passed as fd 3 (werkzeug's reloader hand-over) instead of binding the port anew.
		"WERKZEUG_RUN_MAIN=true", "WERKZEUG_SERVER_FD=3")
	if amis != "" {
		env = append(env, "MOTO_AMIS_PATH="+amis)
	}
	return env
}

func attachLog(cmd *exec.Cmd, path string) error {
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("moto log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("moto log: %w", err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	return nil
}

// waitReady polls moto until it answers, the process dies, or the deadline passes.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if Ping(ctx, s.Endpoint) == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("moto_server exited before answering on %s", s.Endpoint)
		case <-ctx.Done():
			return fmt.Errorf("moto_server did not answer on %s within %s", s.Endpoint, ReadyTimeout)
		case <-tick.C:
		}
	}
}

// Ping checks that a moto server answers GET /moto-api/ at endpoint.
func Ping(ctx context.Context, endpoint string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/moto-api/", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s/moto-api/: %s (is it moto?)", endpoint, resp.Status)
	}
	return nil
}

// ValidateEndpoint checks that raw is an http(s) URL with a host and nothing
// else, and returns it without a trailing slash.
func ValidateEndpoint(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", fmt.Errorf("invalid endpoint %q: want a URL like http://127.0.0.1:5000", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// Connect uses a moto server that is already running at endpoint.
func Connect(ctx context.Context, endpoint string) (*Server, error) {
	ep, err := ValidateEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if err := Ping(ctx, ep); err != nil {
		return nil, fmt.Errorf("emulator at %s is not answering: %w", ep, err)
	}
	s := &Server{Endpoint: ep}
	if u, _ := url.Parse(ep); u != nil {
		s.Port, _ = strconv.Atoi(u.Port())
	}
	if st, err := FaultStatsAt(ctx, ep); err == nil { // ec2stack's fault proxy in front of a moto
		if f, err := ParseFaults(st.Faults); err == nil {
			s.Faults = &f
		}
	}
	return s, nil
}

// Stop ends a server this process started or recorded (by PID, whole process
// group), and its fault proxy first, and waits for them to exit. Connected
// servers are left alone.
func (s *Server) Stop() error {
	if s.ProxyPID != 0 {
		if err := stopProcess("the fault proxy", s.ProxyPID, s.proxyDone); err != nil {
			return err
		}
		s.ProxyPID = 0
	}
	if s.PID == 0 {
		return nil
	}
	return stopProcess("moto", s.PID, s.done)
}

// stopProcess ends the process group of pid (SIGTERM, then SIGKILL) and waits for it; done, when not nil, is
// closed when this process has reaped it.
func stopProcess(name string, pid int, done chan struct{}) error {
	if err := syscall.Kill(-pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stopping %s (pid %d): %w", name, pid, err)
	}
	if waitExit(pid, done, 10*time.Second) {
		return nil
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	if !waitExit(pid, done, 5*time.Second) {
		return fmt.Errorf("%s (pid %d) did not exit", name, pid)
	}
	return nil
}

func waitExit(pid int, done chan struct{}, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	if done != nil {
		select {
		case <-done:
			return true
		case <-deadline.C:
			return false
		}
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if !alive(pid) {
			return true
		}
		select {
		case <-deadline.C:
			return false
		case <-tick.C:
		}
	}
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Reset wipes all state in moto (POST /moto-api/reset).
func (s *Server) Reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("resetting moto: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("resetting moto: %s", resp.Status)
	}
	return nil
}

// Env returns the process environment that points Terraform and the AWS SDK
// at this server. An empty value means "unset this variable". AWS_MAX_ATTEMPTS
// is MaxAttempts: 2, or FaultMaxAttempts behind a fault proxy.
func (s *Server) Env(region string) map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":      s.Endpoint,
		"AWS_ACCESS_KEY_ID":     "test",
		"AWS_SECRET_ACCESS_KEY": "test",
		"AWS_REGION":            region,
		"AWS_DEFAULT_REGION":    region,
		"AWS_S3_USE_PATH_STYLE": "true",
		"AWS_MAX_ATTEMPTS":      strconv.Itoa(s.MaxAttempts()),
		"AWS_PROFILE":           "",
		"AWS_DEFAULT_PROFILE":   "",
		"AWS_SESSION_TOKEN":     "",
	}
}

// MaxAttempts is how many attempts the SDKs get per call on this server: 2, so that a call moto does not
// implement fails in seconds instead of being retried for minutes; FaultMaxAttempts behind a fault proxy, where
// a share of the calls fail on purpose.
func (s *Server) MaxAttempts() int {
	if s.Faults != nil {
		return FaultMaxAttempts
	}
	return 2
}

// BackendConfig is the S3 backend configuration that keeps env's state in moto.
// The endpoint itself comes from AWS_ENDPOINT_URL in Env.
func BackendConfig(env, region string) map[string]string {
	return map[string]string{
		"bucket":         StateBucket,
		"key":            env + "/terraform.tfstate",
		"region":         region,
		"use_path_style": "true",
	}
}

// children tracks the servers this process started, so that a later Stop of
// the same PID (found through the record) can reap the child.
var children sync.Map // pid -> *Server

func remember(s *Server) { children.Store(s.PID, s) }

func startedHere(pid int) *Server {
	if v, ok := children.Load(pid); ok {
		return v.(*Server)
	}
	return nil
}

func endpointFor(port int) string { return "http://127.0.0.1:" + strconv.Itoa(port) }

// listenLoopback binds a free loopback port and returns the listening socket
// as a file for moto to inherit. Holding the socket from the choice of port
// until moto serves on it means no other process can take the port in
// between, and whatever answers on the port is the moto we started.
func listenLoopback() (*os.File, int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, err
	}
	defer l.Close()
	f, err := l.(*net.TCPListener).File()
	if err != nil {
		return nil, 0, err
	}
	return f, l.Addr().(*net.TCPAddr).Port, nil
}
