package policy

import (
	"encoding/json"
	"fmt"
)

// SARIF 2.1.0, only the parts we fill in.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		Help                 sarifText      `json:"help"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           sarifRuleProps `json:"properties"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags     []string `json:"tags"`
		Severity string   `json:"severity"`
	}
	sarifResult struct {
		RuleID       string             `json:"ruleId"`
		RuleIndex    int                `json:"ruleIndex"`
		Level        string             `json:"level"`
		Message      sarifText          `json:"message"`
		Locations    []sarifLocation    `json:"locations"`
		Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical  `json:"physicalLocation"`
		LogicalLocations []sarifLogical `json:"logicalLocations"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifLogical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	}
)

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(severity string) string {
	switch severity {
	case "CRITICAL", "HIGH":
		return "error"
	case "MEDIUM":
		return "warning"
	default:
		return "note"
	}
}

// SARIF renders a report as SARIF 2.1.0: one result per finding, excepted findings as suppressed results,
// all located in the plan file at planPath and logically at the resource address.
func SARIF(r *Report, planPath string) ([]byte, error) {
	rules := r.Rules
	index := map[string]int{}
	for i, rule := range rules {
		index[rule.ID] = i
	}
	if _, ok := index[ExceptionRule.ID]; !ok {
		index[ExceptionRule.ID] = len(rules)
		rules = append(append([]Rule(nil), rules...), ExceptionRule)
	}
	driver := sarifDriver{Name: "ec2stack", InformationURI: "https://github.com/ec2stack/ec2stack", Rules: []sarifRule{}}
	for _, rule := range rules {
		tags := rule.References
		if tags == nil {
			tags = []string{}
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   rule.ID,
			Name:                 rule.Name,
			ShortDescription:     sarifText{rule.Summary},
			Help:                 sarifText{rule.Resolution},
			DefaultConfiguration: sarifConfig{sarifLevel(rule.Severity)},
			Properties:           sarifRuleProps{Tags: tags, Severity: rule.Severity},
		})
	}
	results := []sarifResult{}
	add := func(f Finding) error {
		i, ok := index[f.RuleID]
		if !ok {
			return fmt.Errorf("sarif: finding of unknown rule %s", f.RuleID)
		}
		res := sarifResult{
			RuleID:    f.RuleID,
			RuleIndex: i,
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{fmt.Sprintf("%s: %s (value: %s)", f.Address, f.Message, f.Value)},
			Locations: []sarifLocation{{
				PhysicalLocation: sarifPhysical{sarifArtifact{planPath}},
				LogicalLocations: []sarifLogical{{f.Address}},
			}},
		}
		if f.Exception != nil {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: f.Exception.Reason}}
		}
		results = append(results, res)
		return nil
	}
	for _, f := range r.Findings {
		if err := add(f); err != nil {
			return nil, err
		}
	}
	for _, f := range r.Excepted {
		if err := add(f); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{driver}, Results: results}},
	}, "", "  ")
}
