package cli

import (
	"os"
	"strings"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/env"
	"github.com/ec2stack/ec2stack/internal/terraform"
)

// StateBucketVar is the environment variable for the aws target's state bucket.
const StateBucketVar = "EC2STACK_STATE_BUCKET"

var (
	verbs           = []string{"up", "plan", "check", "apply", "verify", "destroy", "outputs", "cost", "unlock", "approve", "history", "drift", "report", "promote", "rollback", "dr", "diagram", "ami", "switch", "emulator"}
	targets         = []string{"emulator", "aws"}
	emulatorActions = []string{"start", "stop", "status"}
)

// options is a parsed command line.
type options struct {
	verb        string
	env         string // environment verbs
	action      string // emulator start|stop|status; dr drill
	target      string
	endpoint    string
	stateBucket string
	stateRegion string
	json        bool
	help        bool
	yes         bool // destroy: no confirmation
	// check
	planPath   string // --plan: a saved plan or its JSON instead of the environment's own
	sarifPath  string // --sarif: also write the report as SARIF here
	policyDir  string // --policy: extra directory of .rego rules
	exceptions string // --exceptions: instead of policy/exceptions.yaml
	timing     bool   // plan --timing: also the expected real-AWS apply and destroy times and critical paths
	// cost
	usagePath string   // --usage: overrides the environment's usage file
	compare   []string // --compare: environments side by side
	savings   bool     // --savings: what each cost lever saves
	markdown  bool     // --markdown: Markdown instead of the table
	lockID    string   // unlock --lock-id: the lock to release
	// diagram
	svgPath   string // --svg: also write the diagram as SVG here
	noActions bool   // --no-actions: draw what exists, without plan-action colours
	// operating
	approvedBy string // --approved-by: record the approval without a prompt (approve, up, promote, rollback, drift --repair)
	to         string // rollback --to: the release to return to (default: the previous one); switch --to: the color
	release    string // promote --release: the release expected (refused unless it is the one verified upstream)
	repair     bool   // drift --repair: plan, gate, approve and apply the repair
	update     bool   // ami --update: rewrite the environment's pinned image to the newest of its family
	// emulator start --faults: the fault proxy to put in front of moto
	faults *emulator.Faults
}

// parseArgs parses `VERB [ARG] [flags]`, with flags allowed anywhere.
func parseArgs(args []string) (options, error) {
	o := options{target: "emulator"}
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		consumed, err := o.flag(a, args[i+1:])
		if err != nil {
			return o, err
		}
		i += consumed
	}
	if o.help {
		return o, nil
	}
	if err := o.positional(pos); err != nil {
		return o, err
	}
	return o, o.validate()
}

// flag applies one flag; it returns how many following args it consumed.
func (o *options) flag(arg string, rest []string) (int, error) {
	name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	boolFlag := func(dst *bool) (int, error) {
		if hasValue {
			return 0, usagef("flag %s takes no value", "--"+name)
		}
		*dst = true
		return 0, nil
	}
	stringFlag := func(dst *string) (int, error) {
		if hasValue {
			*dst = value
			return 0, nil
		}
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return 0, usagef("flag --%s needs a value", name)
		}
		*dst = rest[0]
		return 1, nil
	}
	switch name {
	case "h", "help":
		return boolFlag(&o.help)
	case "json":
		return boolFlag(&o.json)
	case "yes":
		return boolFlag(&o.yes)
	case "timing":
		return boolFlag(&o.timing)
	case "savings":
		return boolFlag(&o.savings)
	case "markdown":
		return boolFlag(&o.markdown)
	case "update":
		return boolFlag(&o.update)
	case "usage":
		return stringFlag(&o.usagePath)
	case "svg":
		return stringFlag(&o.svgPath)
	case "no-actions":
		return boolFlag(&o.noActions)
	case "lock-id":
		return stringFlag(&o.lockID)
	case "approved-by":
		return stringFlag(&o.approvedBy)
	case "to":
		return stringFlag(&o.to)
	case "release":
		return stringFlag(&o.release)
	case "repair":
		return boolFlag(&o.repair)
	case "faults":
		var spec string
		n, err := stringFlag(&spec)
		if err != nil {
			return n, err
		}
		f, err := emulator.ParseFaults(spec)
		if err != nil {
			return n, usagef("--faults %v", err)
		}
		o.faults = &f
		return n, nil
	case "compare":
		var list string
		n, err := stringFlag(&list)
		if err != nil {
			return n, err
		}
		for _, e := range strings.Split(list, ",") {
			if err := env.Validate(strings.TrimSpace(e)); err != nil {
				return n, usagef("--compare %s: %v", list, err)
			}
			o.compare = append(o.compare, strings.TrimSpace(e))
		}
		return n, nil
	case "target":
		return stringFlag(&o.target)
	case "endpoint":
		return stringFlag(&o.endpoint)
	case "state-bucket":
		return stringFlag(&o.stateBucket)
	case "state-region":
		return stringFlag(&o.stateRegion)
	case "plan":
		return stringFlag(&o.planPath)
	case "sarif":
		return stringFlag(&o.sarifPath)
	case "policy":
		return stringFlag(&o.policyDir)
	case "exceptions":
		return stringFlag(&o.exceptions)
	}
	return 0, usagef("unknown flag %q: valid flags are --target, --endpoint, --state-bucket, --state-region, --plan, --sarif, --policy, --exceptions, --timing, --usage, --compare, --savings, --markdown, --svg, --no-actions, --lock-id, --approved-by, --to, --release, --repair, --faults, --yes, --json, --help", arg)
}

func (o *options) positional(pos []string) error {
	if len(pos) == 0 {
		return usagef("missing command: valid commands are %s (try --help)", joinNames(verbs))
	}
	o.verb = pos[0]
	if !contains(verbs, o.verb) {
		return usagef("unknown command %q: valid commands are %s", o.verb, joinNames(verbs))
	}
	rest := pos[1:]
	if o.verb == "cost" && len(o.compare) > 0 {
		if len(rest) != 0 {
			return usagef("usage: ec2stack cost ENV, or ec2stack cost --compare %s (not both)", strings.Join(env.Names, ","))
		}
		return nil
	}
	if o.verb == "emulator" {
		if len(rest) != 1 || !contains(emulatorActions, rest[0]) {
			return usagef("usage: ec2stack emulator %s", strings.Join(emulatorActions, "|"))
		}
		o.action = rest[0]
		return nil
	}
	if o.verb == "dr" && len(rest) == 2 && rest[0] == "drill" {
		o.action, rest = "drill", rest[1:]
	}
	if len(rest) != 1 {
		if o.verb == "dr" {
			return usagef("usage: ec2stack dr ENV, or ec2stack dr drill ENV (one of %s)", joinNames(env.Names))
		}
		return usagef("usage: ec2stack %s ENV (one of %s)", o.verb, joinNames(env.Names))
	}
	o.env = rest[0]
	if err := env.Validate(o.env); err != nil {
		return &usageError{msg: err.Error()}
	}
	return nil
}

func (o *options) validate() error {
	if !contains(targets, o.target) {
		return usagef("unknown target %q: valid targets are %s", o.target, joinNames(targets))
	}
	for _, f := range []struct {
		flag, value string
		verbs       []string
	}{
		{"--plan", o.planPath, []string{"check", "cost", "dr", "diagram"}},
		{"--svg", o.svgPath, []string{"diagram"}},
		{"--no-actions", boolValue(o.noActions), []string{"diagram"}},
		{"--sarif", o.sarifPath, []string{"check"}},
		{"--policy", o.policyDir, []string{"check", "plan", "up"}},
		{"--exceptions", o.exceptions, []string{"check", "plan", "up"}},
		{"--yes", boolValue(o.yes), []string{"destroy"}},
		{"--timing", boolValue(o.timing), []string{"plan"}},
		{"--usage", o.usagePath, []string{"cost"}},
		{"--compare", strings.Join(o.compare, ","), []string{"cost"}},
		{"--savings", boolValue(o.savings), []string{"cost"}},
		{"--markdown", boolValue(o.markdown), []string{"cost", "report"}},
		{"--lock-id", o.lockID, []string{"unlock"}},
		{"--approved-by", o.approvedBy, []string{"approve", "up", "promote", "rollback", "drift"}},
		{"--to", o.to, []string{"rollback", "switch"}},
		{"--release", o.release, []string{"promote"}},
		{"--repair", boolValue(o.repair), []string{"drift"}},
		{"--update", boolValue(o.update), []string{"ami"}},
	} {
		if f.value != "" && !contains(f.verbs, o.verb) {
			return usagef("%s is a flag of `ec2stack %s`, not of %s", f.flag, strings.Join(f.verbs, "`, `ec2stack "), o.verb)
		}
	}
	switch {
	case o.faults != nil && (o.verb != "emulator" || o.action != "start"):
		return usagef("--faults is a flag of `ec2stack emulator start`, not of %s", strings.TrimSpace(o.verb+" "+o.action))
	case o.action == "drill" && o.target != "emulator":
		return usagef("dr drill %s runs on the emulator target only: on AWS it would restore a database and build a second stack (a drill there is the region-loss runbook, run by hand)", o.env)
	case o.action == "drill" && o.planPath != "":
		return usagef("--plan does not apply to `ec2stack dr drill`: it drills the applied environment")
	case o.verb == "unlock" && o.lockID == "":
		return usagef("unlock %s needs --lock-id ID: the lock ID that the locked command printed", o.env)
	case o.verb == "unlock" && !terraform.ValidLockID(o.lockID):
		return usagef("--lock-id %q is not a terraform lock ID (a UUID such as 0b2c8f4e-1d6a-4c2b-9e7f-3a5d6c7b8e9f)", o.lockID)
	case o.approvedBy != "" && deploy.ValidApprover(o.approvedBy) != nil:
		return usagef("--approved-by: %v", deploy.ValidApprover(o.approvedBy))
	case o.verb == "switch" && o.to != "" && o.to != "blue" && o.to != "green":
		return usagef("switch --to %q: the colors are blue and green", o.to)
	case o.verb == "drift" && o.approvedBy != "" && !o.repair:
		return usagef("--approved-by is for `ec2stack drift %s --repair`: a drift check applies nothing", o.env)
	case o.json && o.markdown:
		return usagef("--json and --markdown are two outputs of %s: choose one", o.verb)
	case len(o.compare) > 0 && (o.planPath != "" || o.savings):
		return usagef("--compare reads each environment's saved plan: it takes neither --plan nor --savings")
	}
	if o.target == "aws" {
		if v := os.Getenv("TF_VAR_" + EmulatorSwitch); v != "" && v != "false" {
			return usagef("TF_VAR_%s=%s is the emulator switch and is refused on --target aws: unset it (the emulator target sets it itself)", EmulatorSwitch, v)
		}
	}
	if o.endpoint != "" {
		if o.target != "emulator" {
			return usagef("--endpoint is for the emulator target only, not --target %s", o.target)
		}
		ep, err := emulator.ValidateEndpoint(o.endpoint)
		if err != nil {
			return &usageError{msg: err.Error()}
		}
		o.endpoint = ep
	}
	if o.target == "aws" {
		if (o.stateBucket == "") && o.verb != "emulator" {
			o.stateBucket = os.Getenv(StateBucketVar)
		}
		if o.stateBucket == "" && o.verb != "emulator" && o.verb != "cost" && o.verb != "ami" && o.verb != "switch" && !((o.verb == "check" || o.verb == "diagram") && o.planPath != "") {
			return usagef("--target aws needs a state bucket: pass --state-bucket NAME or set %s", StateBucketVar)
		}
	} else if o.stateBucket != "" || o.stateRegion != "" {
		return usagef("--state-bucket and --state-region are for --target aws; the emulator keeps state in its own bucket %s", emulator.StateBucket)
	}
	return nil
}

// EmulatorSwitch is the root variable that adapts the stack to the emulator; never set for AWS.
const EmulatorSwitch = "emulator_mode"

func boolValue(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func joinNames(names []string) string { return strings.Join(names, ", ") }
