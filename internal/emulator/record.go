package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ec2stack/ec2stack/internal/env"
)

// Record is what .ec2stack/emulator.json remembers about a server we started.
type Record struct {
	PID      int    `json:"pid"`
	Port     int    `json:"port"`
	Endpoint string `json:"endpoint"`
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
	b, err := json.MarshalIndent(Record{PID: s.PID, Port: s.Port, Endpoint: s.Endpoint}, "", "  ")
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
// answers; nil otherwise (a stale record is removed).
func Recorded(ctx context.Context, home string) (*Server, error) {
	rec, err := LoadRecord(home)
	if err != nil || rec == nil {
		return nil, err
	}
	if alive(rec.PID) && Ping(ctx, rec.Endpoint) == nil {
		if s := startedHere(rec.PID); s != nil {
			return s, nil
		}
		return &Server{Endpoint: rec.Endpoint, Port: rec.Port, PID: rec.PID}, nil
	}
	_ = os.Remove(RecordPath(home))
	return nil, nil
}

// Ensure returns the recorded server of home, or starts and records a new
// one. started reports whether it was started now.
func Ensure(ctx context.Context, home string, opts StartOptions) (s *Server, started bool, err error) {
	if s, err = Recorded(ctx, home); err != nil || s != nil {
		return s, false, err
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
	if err := saveRecord(home, s); err != nil {
		_ = s.Stop()
		return nil, false, err
	}
	return s, true, nil
}

// StopRecorded stops the recorded server, if any, and removes the record.
// It reports whether a server was stopped.
func StopRecorded(ctx context.Context, home string) (bool, error) {
	s, err := Recorded(ctx, home)
	if err != nil || s == nil {
		return false, err
	}
	if err := s.Stop(); err != nil {
		return false, err
	}
	_ = os.Remove(RecordPath(home))
	return true, nil
}

func amisFile(home string) string {
	p := filepath.Join(home, "terraform", "emulator", "moto-amis.json")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}
