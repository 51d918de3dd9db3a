package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ec2stack/ec2stack/internal/env"
)

// Record is what .ec2stack/emulator.json remembers about a server we started.
type Record struct {
	PID      int    `json:"pid"`
	Port     int    `json:"port"`
	Endpoint string `json:"endpoint"` // moto's
	// FaultProxy is the fault proxy started in front of moto (`emulator start --faults`); its endpoint is the
	// one the other verbs use.
	FaultProxy *ProxyRecord `json:"fault_proxy,omitempty"`
}

// ProxyRecord is the record of a detached fault proxy.
type ProxyRecord struct {
	PID      int    `json:"pid"`
	Port     int    `json:"port"`
	Endpoint string `json:"endpoint"`
	Faults   string `json:"faults"` // the spec, canonical
}

// RecordPath is where the record of home's emulator lives.
func RecordPath(home string) string { return filepath.Join(env.WorkDir(home), "emulator.json") }

// LoadRecord reads the record; (nil, nil) when there is none.
func LoadRecord(home string) (*Record, error) {
	b, err := os.ReadFile(RecordPath(home))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading emulator record: %w", err)
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("reading emulator record %s: %w", RecordPath(home), err)
	}
	return &r, nil
}

func saveRecord(home string, s *Server) error {
	rec := Record{PID: s.PID, Port: s.Port, Endpoint: s.Endpoint}
	if s.ProxyPID != 0 && s.Faults != nil {
		rec.FaultProxy = &ProxyRecord{PID: s.ProxyPID, Port: s.Port, Endpoint: s.Endpoint, Faults: s.Faults.String()}
		rec.Endpoint = s.MotoEndpoint
		rec.Port = portOf(s.MotoEndpoint)
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	path := RecordPath(home)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing emulator record: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing emulator record: %w", err)
	}
	return nil
}

// Recorded returns the recorded server if its process is alive and it
// answers; nil otherwise (a stale record is removed, and a fault proxy left
// running in front of a moto that is gone is stopped). Behind a recorded fault
// proxy the server's Endpoint is the proxy's; a recorded proxy that does not
// answer is an error (stop both and start again).
func Recorded(ctx context.Context, home string) (*Server, error) {
	rec, err := LoadRecord(home)
	if err != nil || rec == nil {
		return nil, err
	}
	proxy := rec.FaultProxy
	proxyUp := proxy != nil && alive(proxy.PID) && proxyAnswers(ctx, proxy)
	if !alive(rec.PID) || Ping(ctx, rec.Endpoint) != nil {
		if proxyUp {
			_ = stopProcess("the fault proxy", proxy.PID, nil)
		}
		_ = os.Remove(RecordPath(home))
		return nil, nil
	}
	if s := startedHere(rec.PID); s != nil {
		return s, nil
	}
	s := &Server{Endpoint: rec.Endpoint, Port: rec.Port, PID: rec.PID}
	if proxy == nil {
		return s, nil
	}
	f, err := ParseFaults(proxy.Faults)
	if err != nil {
		return nil, fmt.Errorf("emulator record %s: faults %v", RecordPath(home), err)
	}
	if !proxyUp {
		return nil, fmt.Errorf("moto runs at %s, but its fault proxy (pid %d, %s) does not answer: "+
			"stop both with `ec2stack emulator stop` and start again", rec.Endpoint, proxy.PID, proxy.Endpoint)
	}
	s.MotoEndpoint, s.Endpoint, s.Port, s.ProxyPID, s.Faults = rec.Endpoint, proxy.Endpoint, proxy.Port, proxy.PID, &f
	return s, nil
}

func proxyAnswers(ctx context.Context, p *ProxyRecord) bool {
	_, err := FaultStatsAt(ctx, p.Endpoint)
	return err == nil
}

// Ensure returns the recorded server of home, or starts and records a new
// one (with a fault proxy in front when opts.Faults is set). started reports
// whether it was started now. A recorded server whose faults differ from
// opts.Faults (when set) is an error: it would not do what was asked.
func Ensure(ctx context.Context, home string, opts StartOptions) (s *Server, started bool, err error) {
	if s, err = Recorded(ctx, home); err != nil {
		return nil, false, err
	}
	if s != nil {
		if opts.Faults != nil && (s.Faults == nil || *s.Faults != *opts.Faults) {
			now := "without faults"
			if s.Faults != nil {
				now = "with faults " + s.Faults.String()
			}
			return nil, false, fmt.Errorf("moto already runs at %s %s: stop it with `ec2stack emulator stop` to start it with faults %s",
				s.Endpoint, now, opts.Faults)
		}
		return s, false, nil
	}
	if opts.LogFile == "" {
		opts.LogFile = filepath.Join(env.WorkDir(home), "emulator.log")
	}
	if opts.ShimDir == "" {
		opts.ShimDir = env.WorkDir(home)
	}
	if opts.AMIs == "" {
		opts.AMIs = amisFile(home)
	}
	if s, err = Start(ctx, opts); err != nil {
		return nil, false, err
	}
	if opts.Faults != nil {
		if err := s.startProxy(ctx, opts.ProxyCommand, *opts.Faults, filepath.Join(env.WorkDir(home), "emulator-faults.log")); err != nil {
			_ = s.Stop()
			return nil, false, err
		}
	}
	if err := saveRecord(home, s); err != nil {
		_ = s.Stop()
		return nil, false, err
	}
	return s, true, nil
}

// StopRecorded stops the recorded server and its fault proxy, if any, and
// removes the record. It reports whether a server was stopped.
func StopRecorded(ctx context.Context, home string) (bool, error) {
	rec, err := LoadRecord(home)
	if err != nil || rec == nil {
		return false, err
	}
	here := startedHere(rec.PID)
	stopped := false
	if p := rec.FaultProxy; p != nil && alive(p.PID) && proxyAnswers(ctx, p) {
		var done chan struct{}
		if here != nil && here.ProxyPID == p.PID {
			done, here.ProxyPID = here.proxyDone, 0
		}
		if err := stopProcess("the fault proxy", p.PID, done); err != nil {
			return false, err
		}
		stopped = true
	}
	if alive(rec.PID) && Ping(ctx, rec.Endpoint) == nil {
		s := here
		if s == nil {
			s = &Server{Endpoint: rec.Endpoint, Port: rec.Port, PID: rec.PID}
		}
		s.ProxyPID = 0 // stopped above, or not answering
		if err := s.Stop(); err != nil {
			return false, err
		}
		stopped = true
	}
	_ = os.Remove(RecordPath(home))
	return stopped, nil
}

func portOf(endpoint string) int {
	u, err := url.Parse(endpoint)
	if err != nil {
		return 0
	}
	port, _ := strconv.Atoi(u.Port())
	return port
}

func amisFile(home string) string {
	p := filepath.Join(home, "terraform", "emulator", "moto-amis.json")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}
