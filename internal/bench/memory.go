package bench

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Peak is the largest resident set a process of each kind reached (kB): terraform itself and one AWS provider
// plugin (terraform starts one per provider configuration, each its own process).
type Peak struct {
	TerraformKB int `json:"terraform_kb"`
	ProviderKB  int `json:"provider_kb"`
}

func (p *Peak) merge(o Peak) {
	p.TerraformKB = max(p.TerraformKB, o.TerraformKB)
	p.ProviderKB = max(p.ProviderKB, o.ProviderKB)
}

// sampleInterval is how often the process tree is read. VmHWM is each process's own high-water mark, so a
// sample only misses the growth of a process in its last interval.
const sampleInterval = 100 * time.Millisecond

// watchMemory reads /proc every sampleInterval for the descendants of pid until ctx ends, and returns the peaks
// seen (call the returned function after the process exited).
func watchMemory(ctx context.Context, pid int) func() Peak {
	var (
		mu   sync.Mutex
		peak Peak
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		tick := time.NewTicker(sampleInterval)
		defer tick.Stop()
		for {
			p := sampleTree("/proc", pid)
			mu.Lock()
			peak.merge(p)
			mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() Peak {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// sampleTree reads the high-water marks of pid's descendants under proc (a /proc file system).
func sampleTree(proc string, pid int) Peak {
	entries, err := os.ReadDir(proc)
	if err != nil {
		return Peak{}
	}
	parent := map[int]int{}
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(filepath.Join(proc, e.Name(), "stat")); ok {
			parent[child] = ppid
		}
	}
	var p Peak
	for child := range parent {
		if !descends(parent, child, pid) {
			continue
		}
		name, hwm := status(filepath.Join(proc, strconv.Itoa(child), "status"))
		switch {
		case name == "terraform":
			p.TerraformKB = max(p.TerraformKB, hwm)
		case strings.HasPrefix(name, "terraform-provi"): // comm is cut at 15 characters
			p.ProviderKB = max(p.ProviderKB, hwm)
		}
	}
	return p
}

func descends(parent map[int]int, pid, ancestor int) bool {
	for range 64 {
		pp, ok := parent[pid]
		if !ok || pp == 0 {
			return false
		}
		if pp == ancestor {
			return true
		}
		pid = pp
	}
	return false
}

// parentOf reads the parent pid from /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold spaces).
func parentOf(stat string) (int, bool) {
	b, err := os.ReadFile(stat)
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(fields[1])
	return ppid, err == nil
}

// status reads Name and VmHWM (kB) from /proc/PID/status.
func status(path string) (name string, hwmKB int) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		switch k {
		case "Name":
			name = strings.TrimSpace(v)
		case "VmHWM":
			hwmKB, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return name, hwmKB
}
