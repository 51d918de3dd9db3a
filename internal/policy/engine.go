// Package policy checks a Terraform plan (the JSON of `terraform show -json PLANFILE`) against rules
// written in Rego: the built-in rules embedded from rules/*.rego plus any *.rego files in extra directories.
//
// Rule contract: one rule per package ec2stack.rules.<snake_name>, with
//
//	metadata := {"id": "EC2S-NNN", "name": "kebab-name", "severity": "HIGH", "summary": "...",
//	             "resolution": "...", "references": ["AWS-0107", "CKV_AWS_24"]}
//	deny contains f if { ...; f := lib.finding(r, value, message) }
//
// and optionally "judges": "changes" in the metadata for a rule that reads what the plan changes from the state it
// starts from (replacements, deletions) rather than the resources as they will be; where a finding is
// {"address", "value", "message"}. Shared helpers live in package ec2stack.lib (rules/lib.rego).
// The environment contract (policy/contract.yaml) is data.contract; lib.contract is the plan's environment's part.
package policy

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/ec2stack/ec2stack/internal/contract"
)

//go:embed rules/*.rego
var builtin embed.FS

// Rule is the metadata of one rule.
type Rule struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Severity   string   `json:"severity"`
	Summary    string   `json:"summary"`
	Resolution string   `json:"resolution"`
	References []string `json:"references"`
	// Judges is what the rule reads of a plan: JudgesResult (the default) the resources as they will be,
	// JudgesChanges the changes from the state the plan starts from (a replacement, a deletion).
	Judges string `json:"judges"`
}

// What a rule judges (metadata key "judges").
const (
	JudgesResult  = "result"
	JudgesChanges = "changes"
)

// Finding is one violation of a rule by one resource.
type Finding struct {
	RuleID    string     `json:"rule_id"`
	RuleName  string     `json:"rule_name"`
	Severity  string     `json:"severity"`
	Address   string     `json:"address"`
	Value     string     `json:"value"`
	Message   string     `json:"message"`
	Exception *Exception `json:"exception,omitempty"`
}

// Severities in decreasing order.
var Severities = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW"}

const (
	rulesPackage = "data.ec2stack.rules"
	denyQuery    = "x := {p: d | some p; d := " + rulesPackage + "[p].deny}"
)

// Engine holds the compiled rules and the prepared query that evaluates all of them at once.
type Engine struct {
	contract *contract.Contract
	rules    []Rule
	byPkg    map[string]Rule // package name (after ec2stack.rules.) -> metadata
	query    rego.PreparedEvalQuery
	byFile   map[string]string // package name -> file that declared it (for messages)
}

var (
	idPattern   = regexp.MustCompile(`^EC2S-[0-9]{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	pkgPattern  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// Load compiles the built-in rules plus every *.rego file (not *_test.rego) directly in each of dirs; the rules
// read the environment contract c as data.contract.
func Load(c *contract.Contract, dirs ...string) (*Engine, error) {
	if c == nil {
		return nil, errors.New("policy: no environment contract")
	}
	data, err := c.Data()
	if err != nil {
		return nil, fmt.Errorf("policy: environment contract: %w", err)
	}
	modules := map[string]*ast.Module{}
	add := func(name string, src []byte) error {
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return fmt.Errorf("parse policy %s: %s", name, oneLine(err))
		}
		modules[name] = m
		return nil
	}
	entries, err := fs.Glob(builtin, "rules/*.rego")
	if err != nil {
		return nil, err
	}
	for _, name := range entries {
		src, err := builtin.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := add("builtin/"+path.Base(name), src); err != nil {
			return nil, err
		}
	}
	builtins := len(modules)
	for _, dir := range dirs {
		files, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("read policy dir: %w", err)
		}
		for _, f := range files {
			name := f.Name()
			if f.IsDir() || !strings.HasSuffix(name, ".rego") || strings.HasSuffix(name, "_test.rego") {
				continue
			}
			file := filepath.Join(dir, name)
			src, err := os.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("read policy: %w", err)
			}
			if err := add(file, src); err != nil {
				return nil, err
			}
		}
	}

	// Rule packages and the files declaring them; every rule package must have metadata and deny.
	files := map[string]string{}
	hasDeny := map[string]bool{}
	for name, m := range modules {
		pkg, ok := rulePackage(m)
		if !ok {
			continue
		}
		if !pkgPattern.MatchString(pkg) {
			return nil, fmt.Errorf("policy %s: package ec2stack.rules.%s: want exactly one snake_case name after ec2stack.rules", name, pkg)
		}
		if prev, ok := files[pkg]; !ok || name < prev {
			files[pkg] = name
		}
		for _, r := range m.Rules {
			if r.Head.Name.String() == "deny" || (len(r.Head.Reference) > 0 && r.Head.Reference[0].Value.Compare(ast.Var("deny")) == 0) {
				hasDeny[pkg] = true
			}
		}
	}

	compiler, err := compile(modules, len(modules) > builtins)
	if err != nil {
		return nil, err
	}

	// Metadata is constant: read it with a separate query that evaluates nothing else.
	ctx := context.Background()
	rs, err := rego.New(rego.Compiler(compiler), rego.Query("x := {p: m | some p; m := data.ec2stack.rules[p].metadata}")).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("read rule metadata: %s", oneLine(err))
	}
	meta := map[string]any{}
	if len(rs) == 1 {
		meta, _ = rs[0].Bindings["x"].(map[string]any)
	}

	e := &Engine{contract: c, byPkg: map[string]Rule{}, byFile: files}
	ids, names := map[string]string{}, map[string]string{}
	pkgs := make([]string, 0, len(files))
	for pkg := range files {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		where := fmt.Sprintf("rule package ec2stack.rules.%s (%s)", pkg, files[pkg])
		raw, ok := meta[pkg]
		if !ok {
			return nil, fmt.Errorf("%s: no metadata (want metadata := {\"id\", \"name\", \"severity\", \"summary\", \"resolution\", \"references\"})", where)
		}
		rule, err := parseMetadata(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: metadata: %w", where, err)
		}
		if !hasDeny[pkg] {
			return nil, fmt.Errorf("%s: no deny rule (want deny contains f if {...})", where)
		}
		if other, dup := ids[rule.ID]; dup {
			return nil, fmt.Errorf("%s: metadata: id %s is also used by ec2stack.rules.%s", where, rule.ID, other)
		}
		if other, dup := names[rule.Name]; dup {
			return nil, fmt.Errorf("%s: metadata: name %s is also used by ec2stack.rules.%s", where, rule.Name, other)
		}
		ids[rule.ID], names[rule.Name] = pkg, pkg
		e.byPkg[pkg] = rule
		e.rules = append(e.rules, rule)
	}
	sort.Slice(e.rules, func(i, j int) bool { return e.rules[i].ID < e.rules[j].ID })

	store := inmem.NewFromObject(map[string]any{"contract": data})
	// Only the deny sets: asking for the packages whole would also evaluate every helper rule for its own sake.
	e.query, err = rego.New(rego.Compiler(compiler), rego.Store(store), rego.Query(denyQuery)).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare policy query: %s", oneLine(err))
	}
	return e, nil
}

// checkOnly are the compiler stages that only look for mistakes (types, unsafe or undefined calls, conflicting or
// recursive rules, imports) and change nothing the evaluation uses: together a third of compiling the rules.
var checkOnly = []ast.StageID{
	ast.StageCheckUnusedImports, ast.StageCheckKeywordOverrides, ast.StageCheckDuplicateImports, ast.StageCheckVoidCalls,
	ast.StageCheckRuleConflicts, ast.StageCheckUndefinedFuncs, ast.StageCheckSafetyRuleHeads, ast.StageCheckRecursion,
	ast.StageCheckTypes, ast.StageCheckUnsafeBuiltins, ast.StageCheckDeprecatedBuiltins, ast.StageBuildRequiredCapabilities,
}

// compile compiles the rule modules. Without user rules (full false) it skips the check-only stages: the built-in
// rules are compiled with every stage by their tests (TestBuiltinRulesPassEveryCheck), so in ec2stack itself
// those checks can only repeat a verdict; a user's rules always get every check.
func compile(modules map[string]*ast.Module, full bool) (*ast.Compiler, error) {
	compiler := ast.NewCompiler()
	if !full {
		compiler = compiler.WithSkipStages(checkOnly...)
	}
	compiler.Compile(modules)
	if compiler.Failed() {
		return nil, fmt.Errorf("compile policy: %s", oneLine(compiler.Errors))
	}
	return compiler, nil
}

// rulePackage returns the part after data.ec2stack.rules. of a module's package, if it is a rule package.
func rulePackage(m *ast.Module) (string, bool) {
	p := m.Package.Path.String()
	if !strings.HasPrefix(p, rulesPackage+".") {
		return "", false
	}
	return strings.TrimPrefix(p, rulesPackage+"."), true
}

func parseMetadata(raw any) (Rule, error) {
	m, ok := raw.(map[string]any)
	if !ok {
		return Rule{}, fmt.Errorf("want an object, got %T", raw)
	}
	str := func(key string) (string, error) {
		v, ok := m[key].(string)
		if !ok || strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("missing or empty %q", key)
		}
		return v, nil
	}
	var r Rule
	var err error
	if r.ID, err = str("id"); err != nil {
		return r, err
	}
	if !idPattern.MatchString(r.ID) || r.ID == ExceptionRule.ID || r.ID == InputRule.ID {
		return r, fmt.Errorf("invalid id %q: want EC2S-NNN (EC2S-000 and EC2S-001 are reserved)", r.ID)
	}
	if r.Name, err = str("name"); err != nil {
		return r, err
	}
	if !namePattern.MatchString(r.Name) {
		return r, fmt.Errorf("invalid name %q: want kebab-case", r.Name)
	}
	if r.Severity, err = str("severity"); err != nil {
		return r, err
	}
	if !validSeverity(r.Severity) {
		return r, fmt.Errorf("invalid severity %q: want one of %s", r.Severity, strings.Join(Severities, ", "))
	}
	if r.Summary, err = str("summary"); err != nil {
		return r, err
	}
	if r.Resolution, err = str("resolution"); err != nil {
		return r, err
	}
	r.Judges = JudgesResult
	if v, ok := m["judges"]; ok {
		if r.Judges, _ = v.(string); r.Judges != JudgesResult && r.Judges != JudgesChanges {
			return r, fmt.Errorf("invalid judges %v: want %q or %q", v, JudgesResult, JudgesChanges)
		}
	}
	refs, ok := m["references"].([]any)
	if !ok {
		return r, errors.New(`missing "references" (a list of strings, may be empty)`)
	}
	r.References = []string{}
	for _, ref := range refs {
		s, ok := ref.(string)
		if !ok || s == "" {
			return r, fmt.Errorf("invalid reference %v: want a non-empty string", ref)
		}
		r.References = append(r.References, s)
	}
	return r, nil
}

func validSeverity(s string) bool {
	for _, v := range Severities {
		if s == v {
			return true
		}
	}
	return false
}

// Rules returns the metadata of every loaded rule, sorted by id.
func (e *Engine) Rules() []Rule {
	return append([]Rule(nil), e.rules...)
}

// NotAPlanError says the input is not the JSON of a Terraform plan (or lacks the environment output).
type NotAPlanError struct{ Reason string }

func (e *NotAPlanError) Error() string { return "not a terraform plan JSON: " + e.Reason }

// Evaluate runs every rule over a plan and returns the plan's environment and the findings,
// sorted by rule id and address.
func (e *Engine) Evaluate(ctx context.Context, plan []byte) (string, []Finding, error) {
	var input map[string]any
	if err := json.Unmarshal(plan, &input); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return "", nil, &NotAPlanError{Reason: "not a JSON object"}
		}
		return "", nil, &NotAPlanError{Reason: oneLine(err)}
	}
	if input == nil {
		return "", nil, &NotAPlanError{Reason: "not a JSON object"}
	}
	for _, key := range []string{"format_version", "resource_changes", "planned_values"} {
		if _, ok := input[key]; !ok {
			return "", nil, &NotAPlanError{Reason: fmt.Sprintf("no %q (is this `terraform show -json PLANFILE` output?)", key)}
		}
	}
	env, _ := lookup(input, "planned_values", "outputs", "environment", "value").(string)
	if env == "" {
		return "", nil, &NotAPlanError{Reason: `no "environment" output with a known string value (every environment root must output it)`}
	}
	if _, err := e.contract.Environment(env); err != nil {
		return env, nil, fmt.Errorf("the plan is for environment %q, which the environment contract does not define (it has %s)",
			env, strings.Join(e.contract.Names(), ", "))
	}

	rs, err := e.query.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return env, nil, fmt.Errorf("evaluate policy: %s", oneLine(err))
	}
	var denies map[string]any
	if len(rs) == 1 {
		denies, _ = rs[0].Bindings["x"].(map[string]any)
	}
	findings := []Finding{}
	for pkg, rule := range e.byPkg {
		deny, _ := denies[pkg].([]any)
		for _, d := range deny {
			f, err := toFinding(rule, d)
			if err != nil {
				return env, nil, fmt.Errorf("rule %s (%s, %s): %w", rule.ID, rule.Name, e.byFile[pkg], err)
			}
			findings = append(findings, f)
		}
	}
	sortFindings(findings)
	return env, findings, nil
}

func toFinding(rule Rule, d any) (Finding, error) {
	m, ok := d.(map[string]any)
	if !ok {
		return Finding{}, fmt.Errorf("deny produced %s: want {\"address\", \"value\", \"message\"}", compact(d))
	}
	addr, _ := m["address"].(string)
	msg, _ := m["message"].(string)
	if addr == "" || msg == "" {
		return Finding{}, fmt.Errorf("deny produced %s: want a string address and message", compact(d))
	}
	value := ""
	switch v := m["value"].(type) {
	case nil:
	case string:
		value = v
	default:
		value = compact(v)
	}
	return Finding{RuleID: rule.ID, RuleName: rule.Name, Severity: rule.Severity, Address: addr, Value: value, Message: msg}, nil
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.Address != b.Address {
			return a.Address < b.Address
		}
		if a.Value != b.Value {
			return a.Value < b.Value
		}
		return a.Message < b.Message
	})
}

func lookup(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// oneLine flattens a multi-line error (OPA lists one error per line after "N errors occurred:") into one line.
func oneLine(err error) string {
	msg := errorCount.ReplaceAllString(strings.TrimSpace(err.Error()), "")
	lines := strings.Split(msg, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "; ")
}

var errorCount = regexp.MustCompile(`^\d+ errors? occurred:\s*`)
