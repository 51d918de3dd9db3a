package report

import (
	"errors"
	"fmt"
	"os"

	"github.com/ec2stack/ec2stack/internal/deploy"
	"github.com/ec2stack/ec2stack/internal/drift"
	"github.com/ec2stack/ec2stack/internal/history"
)

// Approval is the saved plan waiting for an approval: one that passed the check (its gate record matches it),
// in an environment whose contract requires an approval, with no approval of that very plan. Nothing when
// there is no saved plan, the plan did not pass the check, or it is approved.
func Approval(planFile, env string, needsApproval bool, planCmd, approveCmd string) ([]Pending, error) {
	if !needsApproval {
		return nil, nil
	}
	if _, err := os.Stat(planFile); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if _, err := deploy.CheckGate(planFile, planCmd); err != nil {
		var ge *deploy.GateError
		if errors.As(err, &ge) {
			return nil, nil // not checked, or changed since: not waiting for an approval but for a check
		}
		return nil, err
	}
	_, err := deploy.CheckApproval(planFile, env, approveCmd)
	var ae *deploy.ApprovalError
	switch {
	case err == nil:
		return nil, nil
	case errors.As(err, &ae):
		return []Pending{{Kind: PendingApproval, What: fmt.Sprintf("the saved plan %s passed the check and is not approved", planFile), Action: approveCmd}}, nil
	}
	return nil, err
}

// Promotion is the release applied, verified and drift-free in from (its latest record) that env has not
// deployed yet. Nothing when from has no such release or env already runs it.
func Promotion(env, from string, upstream, own []history.Record, promoteCmd string) []Pending {
	rel, err := history.Promotable(from, upstream)
	if err != nil {
		return nil
	}
	if deployed, ok := history.Deployed(own); ok && deployed.Release.Commit == rel.Commit {
		return nil
	}
	return []Pending{{Kind: PendingPromotion, What: fmt.Sprintf("release %s is deployed and verified in %s, not yet in %s", rel, from, env), Action: promoteCmd}}
}

// DriftOf summarises a refresh-only plan's JSON: the resources changed outside terraform (what AWS moves by
// itself is not drift). It plans nothing else, so it is cheaper than `ec2stack drift`.
func DriftOf(refreshOnly []byte) (*Drift, error) {
	rep, err := drift.Analyze(refreshOnly, []byte("{}"))
	if err != nil {
		return nil, err
	}
	d := &Drift{Clean: rep.Drifted() == 0, Resources: []string{}}
	for _, res := range rep.Resources {
		if res.Drifted {
			d.Resources = append(d.Resources, res.Address)
		}
	}
	return d, nil
}
