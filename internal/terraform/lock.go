package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// Lock is a state lock held by another run, as terraform reports it when it cannot acquire the lock.
type Lock struct {
	ID        string `json:"id"`
	Path      string `json:"path"`      // the state (bucket/key in S3; a file for a local lock)
	Operation string `json:"operation"` // OperationTypeApply, OperationTypePlan, ...
	Who       string `json:"who"`       // user@host of the holder
	Created   string `json:"created"`
}

// Local reports whether the lock is on a local file (terraform's lock of its working directory), which goes
// away with the process that holds it, rather than in the state backend, which outlives a killed run.
func (l Lock) Local() bool { return filepath.IsAbs(l.Path) }

var (
	lockAcquire = regexp.MustCompile(`(?i)error (acquiring|locking) the state( lock)?|error locking state`)
	lockField   = regexp.MustCompile(`(?m)^\s*(ID|Path|Operation|Who|Created):\s*(.*?)\s*$`)
)

// LockOf finds the lock in the error of a terraform command that could not acquire the state lock.
func LockOf(err error) (Lock, bool) {
	if err == nil {
		return Lock{}, false
	}
	text := err.Error()
	if !lockAcquire.MatchString(text) {
		return Lock{}, false
	}
	// terraform's Lock Info block: one "Name: value" per line (in diagnostics, lines may be joined by "; ").
	text = strings.NewReplacer("; ", "\n", `\n`, "\n").Replace(text)
	var l Lock
	for _, m := range lockField.FindAllStringSubmatch(text, -1) {
		switch m[1] {
		case "ID":
			l.ID = m[2]
		case "Path":
			l.Path = m[2]
		case "Operation":
			l.Operation = m[2]
		case "Who":
			l.Who = m[2]
		case "Created":
			l.Created = m[2]
		}
	}
	return l, l.ID != ""
}

// lockID is what terraform's lock IDs look like (UUIDs).
var lockID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ValidLockID reports whether id has the shape of a terraform lock ID.
func ValidLockID(id string) bool { return lockID.MatchString(id) }

// ForceUnlock releases the state lock id (`terraform force-unlock -force`), the backend having been initialised.
func (r *Runner) ForceUnlock(ctx context.Context, id string) error {
	tf, err := r.terraform()
	if err != nil {
		return err
	}
	if err := tf.ForceUnlock(ctx, id); err != nil {
		return fmt.Errorf("terraform force-unlock %s: %w", id, err)
	}
	return nil
}
