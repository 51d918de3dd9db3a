package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// interruptedError: a signal stopped the command. terraform, if it was running, got SIGINT from terraform-exec
// (the command's context was cancelled) and stopped gracefully: it finished or abandoned what was in flight,
// wrote the state and released the state lock.
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return e.msg }

// interrupted turns the error of a command that a signal stopped (its context is cancelled) into an
// interruptedError saying so and what to run next; other errors are returned as they are.
func (c *command) interrupted(ctx context.Context, err error) error {
	var ie *interruptedError
	if err == nil || ctx.Err() == nil || errors.As(err, &ie) {
		return err
	}
	return &interruptedError{msg: fmt.Sprintf("%s: interrupted (%s) before it finished; nothing more was started. Run `%s` again",
		c.what(), context.Cause(ctx), c.rerun())}
}

// interruptedApply is the error of a terraform apply or destroy (step) that a signal stopped: terraform stopped
// gracefully, so the state records what exists; it reads the state once (the command's context is cancelled, so
// with a context of its own) to say how much that is and which resources were cut short (tainted: the next apply
// replaces them).
func (c *command) interruptedApply(ctx context.Context, s *session, step string) error {
	read, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	msg := fmt.Sprintf("%s: interrupted (%s) during terraform %s: terraform stopped gracefully, after what was in flight",
		c.what(), context.Cause(ctx), step)
	if raw, err := s.runner.StatePull(read); err == nil {
		if n, tainted, err := stateInstances(raw); err == nil {
			msg += fmt.Sprintf(", and the state records the %d resource instance(s) that exist", n)
			if len(tainted) > 0 {
				msg += fmt.Sprintf("; %d of them were cut short and are tainted (the next plan replaces them; where a name "+
					"is taken, delete them first: README, \"Interrupted applies\"): %s", len(tainted), strings.Join(tainted, ", "))
			}
		}
	}
	return &interruptedError{msg: msg + fmt.Sprintf(". Run `%s` to go on", c.rerun())}
}

// stateInstances counts the managed resource instances of a state (`terraform state pull`) and lists the
// addresses of the tainted ones.
func stateInstances(raw []byte) (n int, tainted []string, err error) {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return 0, nil, nil
	}
	var st struct {
		Resources []struct {
			Module    string `json:"module"`
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey any    `json:"index_key"`
				Status   string `json:"status"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return 0, nil, err
	}
	for _, r := range st.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, i := range r.Instances {
			n++
			if i.Status != "tainted" {
				continue
			}
			addr := r.Type + "." + r.Name
			if r.Module != "" {
				addr = r.Module + "." + addr
			}
			switch k := i.IndexKey.(type) {
			case string:
				addr += fmt.Sprintf("[%q]", k)
			case float64:
				addr += fmt.Sprintf("[%d]", int(k))
			}
			tainted = append(tainted, addr)
		}
	}
	return n, tainted, nil
}

// what names the command in messages: "up dev".
func (c *command) what() string {
	if c.opts.env == "" {
		return c.opts.verb
	}
	return c.opts.verb + " " + c.opts.env
}

// rerun is the command that goes on after an interruption.
func (c *command) rerun() string {
	env := c.opts.env + targetFlag(c.opts.target)
	switch {
	case c.opts.env == "":
		return "ec2stack " + c.opts.verb
	case c.opts.verb == "apply": // the saved plan is stale once anything was applied
		return "ec2stack plan " + env + "`, then `ec2stack apply " + env
	case c.opts.verb == "drift" && c.opts.repair:
		return "ec2stack drift " + env + " --repair"
	}
	cmd := "ec2stack " + c.opts.verb + " " + env
	if c.opts.to != "" {
		cmd += " --to " + c.opts.to
	}
	return cmd
}
