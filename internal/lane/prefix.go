package lane

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"golang.org/x/term"
)

// PrefixStem starts every generated run prefix, so that a run's resources are recognisable in an account.
const PrefixStem = "ec2t-"

// prefixRule is the root variable project's rule: lowercase letters, digits and single hyphens, starting with
// a letter and not ending with a hyphen, at most 24 characters (names are <project>-<env>-...).
var prefixRule = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9])*$`)

// NewPrefix is a fresh run prefix: PrefixStem and 6 random lowercase letters and digits.
func NewPrefix() (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random prefix: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return PrefixStem + string(b), nil
}

// ValidatePrefix checks a prefix against the rule of the root variable project.
func ValidatePrefix(p string) error {
	if len(p) > 24 || !prefixRule.MatchString(p) {
		return fmt.Errorf("prefix %q: want 1 to 24 lowercase letters, digits and single hyphens, starting with a letter "+
			"and not ending with a hyphen (it becomes TF_VAR_project and the names <prefix>-<env>-...)", p)
	}
	if p == "ec2stack" {
		return fmt.Errorf("prefix %q is the environments' own project name: a run needs a prefix of its own", p)
	}
	return nil
}

// confirm asks question at the terminal (y/N) unless --yes; without a terminal the run needs --yes. An
// interrupt while it waits for the answer is a no.
func (l *lane) confirm(ctx context.Context, question string) error {
	if l.o.Yes {
		return nil
	}
	f, ok := l.o.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return usagef("no terminal to ask whether to go on: pass --yes (make test-aws YES=1) for an unattended run; nothing was created or changed")
	}
	answer := make(chan bool, 1)
	go func() { answer <- ask(f, l.errw, question) }()
	select {
	case yes := <-answer:
		if yes {
			return nil
		}
	case <-ctx.Done():
	}
	return usagef("not confirmed: nothing was created or changed")
}

// ask writes question and reads one line; only y or yes (any case) is a yes.
func ask(in io.Reader, out io.Writer, question string) bool {
	fmt.Fprintf(out, "%s [y/N] ", question)
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
