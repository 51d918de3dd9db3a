package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
)

// ManagedPolicyProbe is an AWS managed policy the stack attaches (the instance role): moto knows it only when
// started with MOTO_IAM_LOAD_MANAGED_POLICIES=true.
const ManagedPolicyProbe = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"

// StartHint is the documented way to start a moto ec2stack can use.
const StartHint = "start it with MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ACM_VALIDATION_WAIT=0 " +
	"python3 internal/emulator/moto_shim.py -H 127.0.0.1 -p PORT (docs/emulator.md, \"Start moto yourself\")"

// ShimInfo is what the moto shim reports at GET /moto-api/ec2stack.
type ShimInfo struct {
	Shim                     string   `json:"shim"`
	Fixes                    []string `json:"fixes"`
	ACMValidationWaitSeconds int      `json:"acm_validation_wait_seconds"`
	IAMManagedPolicies       bool     `json:"iam_managed_policies"`
}

// PreflightError says why a moto someone else started cannot serve the stack.
type PreflightError struct{ Endpoint, Reason string }

func (e *PreflightError) Error() string {
	return fmt.Sprintf("the emulator at %s cannot serve the stack: %s; %s", e.Endpoint, e.Reason, StartHint)
}

// Preflight confirms, reading only, that this moto can serve what the stack needs, before anything is created:
// AWS managed IAM policies must be loaded (an error otherwise). It returns warnings for what only slows the run
// down or keeps re-plans from coming out empty: not running ec2stack's shim, ACM validation that waits
// (withCertificates: the environment requests certificates).
func (s *Server) Preflight(ctx context.Context, region string, withCertificates bool) ([]string, error) {
	cfg, err := s.AWSConfig(ctx, region)
	if err != nil {
		return nil, err
	}
	_, err = iam.NewFromConfig(cfg).GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(ManagedPolicyProbe)})
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchEntity":
		return nil, &PreflightError{Endpoint: s.Endpoint, Reason: "it has no AWS managed IAM policies (" + ManagedPolicyProbe +
			" is unknown), so attaching them to the instance role would fail after many resources exist"}
	case err != nil:
		return nil, fmt.Errorf("emulator preflight at %s: reading %s: %w", s.Endpoint, ManagedPolicyProbe, err)
	}
	info, err := s.shimInfo(ctx)
	if err != nil {
		return []string{fmt.Sprintf("the emulator at %s does not run ec2stack's moto shim (%v): re-plans may not come out empty "+
			"and ACM validation may wait 60 s per certificate; %s", s.Endpoint, err, StartHint)}, nil
	}
	if withCertificates && info.ACMValidationWaitSeconds > 0 {
		return []string{fmt.Sprintf("the emulator at %s validates ACM certificates only after %d s (MOTO_ACM_VALIDATION_WAIT): "+
			"the apply waits that long per certificate; start it with MOTO_ACM_VALIDATION_WAIT=0", s.Endpoint, info.ACMValidationWaitSeconds)}, nil
	}
	return nil, nil
}

func (s *Server) shimInfo(ctx context.Context) (*ShimInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint+"/moto-api/ec2stack", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var info ShimInfo
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&info) != nil || info.Shim != "ec2stack" {
		return nil, fmt.Errorf("GET /moto-api/ec2stack answered %s", resp.Status)
	}
	return &info, nil
}
