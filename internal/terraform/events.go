package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Event types of Terraform's machine-readable UI (`-json`) that ec2stack uses.
const (
	EventVersion         = "version"
	EventPlannedChange   = "planned_change"
	EventChangeSummary   = "change_summary"
	EventApplyStart      = "apply_start"
	EventApplyProgress   = "apply_progress"
	EventApplyComplete   = "apply_complete"
	EventApplyErrored    = "apply_errored"
	EventRefreshStart    = "refresh_start"
	EventRefreshComplete = "refresh_complete"
	EventDiagnostic      = "diagnostic"
	EventOutputs         = "outputs"
	EventLog             = "log"
)

// Event is one line of Terraform's JSON event stream, flattened.
type Event struct {
	Type         string      `json:"type"`
	Level        string      `json:"level,omitempty"`
	Message      string      `json:"message,omitempty"`
	Time         time.Time   `json:"time"`
	Address      string      `json:"address,omitempty"`
	ResourceType string      `json:"resource_type,omitempty"`
	Action       string      `json:"action,omitempty"`
	Elapsed      float64     `json:"elapsed_seconds,omitempty"`
	ID           string      `json:"id,omitempty"`
	Changes      *Changes    `json:"changes,omitempty"`
	Diagnostic   *Diagnostic `json:"diagnostic,omitempty"`
}

// Changes is the payload of a change_summary event.
type Changes struct {
	Add       int    `json:"add"`
	Change    int    `json:"change"`
	Import    int    `json:"import"`
	Remove    int    `json:"remove"`
	Operation string `json:"operation"`
}

// Diagnostic is a warning or error reported by Terraform.
type Diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	Address  string `json:"address,omitempty"`
	Location string `json:"location,omitempty"` // file:line
	Context  string `json:"context,omitempty"`  // the enclosing block, e.g. module "stack"
	Code     string `json:"code,omitempty"`     // the source line the diagnostic points at
}

// String renders the diagnostic as "summary: detail (at location)".
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.Summary)
	if d.Address != "" {
		b.WriteString(" [" + d.Address + "]")
	}
	if d.Detail != "" {
		b.WriteString(": " + strings.TrimSpace(d.Detail))
	}
	if d.Location != "" {
		b.WriteString(" (" + d.Location + ")")
	}
	return b.String()
}

type rawEvent struct {
	Level     string    `json:"@level"`
	Message   string    `json:"@message"`
	Timestamp time.Time `json:"@timestamp"`
	Type      string    `json:"type"`
	Hook      *rawHook  `json:"hook"`
	Change    *rawHook  `json:"change"`
	Changes   *Changes  `json:"changes"`
	Diag      *rawDiag  `json:"diagnostic"`
}

type rawHook struct {
	Resource struct {
		Addr string `json:"addr"`
		Type string `json:"resource_type"`
	} `json:"resource"`
	Action  string  `json:"action"`
	IDValue string  `json:"id_value"`
	Elapsed float64 `json:"elapsed_seconds"`
}

type rawDiag struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
	Range    *struct {
		Filename string `json:"filename"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
	Snippet *struct {
		Context string `json:"context"`
		Code    string `json:"code"`
	} `json:"snippet"`
}

// ParseEvent decodes one line of `terraform ... -json` output.
func ParseEvent(line []byte) (Event, error) {
	line = bytes.TrimSpace(line)
	var raw rawEvent
	if err := json.Unmarshal(line, &raw); err != nil {
		return Event{}, fmt.Errorf("parsing terraform event %q: %w", truncate(string(line), 80), err)
	}
	ev := Event{
		Type:    raw.Type,
		Level:   raw.Level,
		Message: raw.Message,
		Time:    raw.Timestamp,
		Changes: raw.Changes,
	}
	if h := firstHook(raw.Hook, raw.Change); h != nil {
		ev.Address = h.Resource.Addr
		ev.ResourceType = h.Resource.Type
		ev.Action = h.Action
		ev.ID = h.IDValue
		ev.Elapsed = h.Elapsed
	}
	if raw.Diag != nil {
		ev.Diagnostic = toDiagnostic(raw.Diag)
		if ev.Address == "" {
			ev.Address = raw.Diag.Address
		}
	}
	return ev, nil
}

func firstHook(hooks ...*rawHook) *rawHook {
	for _, h := range hooks {
		if h != nil {
			return h
		}
	}
	return nil
}

func toDiagnostic(r *rawDiag) *Diagnostic {
	d := &Diagnostic{Severity: r.Severity, Summary: r.Summary, Detail: r.Detail, Address: r.Address}
	if r.Range != nil && r.Range.Filename != "" {
		d.Location = fmt.Sprintf("%s:%d", r.Range.Filename, r.Range.Start.Line)
	}
	if r.Snippet != nil {
		d.Context, d.Code = r.Snippet.Context, strings.TrimSpace(r.Snippet.Code)
	}
	return d
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// eventWriter is an io.Writer that splits Terraform's JSON stream into lines,
// parses each and hands it to handle. Lines that are not JSON become log events.
type eventWriter struct {
	buf    []byte
	handle func(Event)
}

func (w *eventWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.emit(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

// Flush emits a trailing line without newline, if any.
func (w *eventWriter) Flush() {
	if len(bytes.TrimSpace(w.buf)) > 0 {
		w.emit(w.buf)
	}
	w.buf = nil
}

func (w *eventWriter) emit(line []byte) {
	if len(bytes.TrimSpace(line)) == 0 {
		return
	}
	ev, err := ParseEvent(line)
	if err != nil {
		ev = Event{Type: EventLog, Level: "info", Message: string(bytes.TrimSpace(line)), Time: time.Now()}
	}
	w.handle(ev)
}
