// Package history keeps the deployment record of each environment: one JSON object per successful apply (and
// per drift check) next to the environment's state in the state bucket, under ENV/deployments/. Objects are
// only ever created, with a conditional write that fails rather than replace one, so no record is lost.
package history

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/ec2stack/ec2stack/internal/release"
)

// Actions a record is written for.
const (
	ActionApply    = "apply"    // apply or up of the work tree's release
	ActionPromote  = "promote"  // promote ENV: the release verified in the environment it is promoted from
	ActionRollback = "rollback" // rollback ENV: an earlier release
	ActionRepair   = "repair"   // drift --repair
	ActionDrift    = "drift"    // drift: a check, nothing applied
)

// Record is one entry of an environment's deployment history.
type Record struct {
	Environment string          `json:"environment"`
	Target      string          `json:"target"`
	Action      string          `json:"action"`
	Release     release.Release `json:"release"`
	From        string          `json:"from,omitempty"` // promote: the environment the release came from
	PlanSHA256  string          `json:"plan_sha256,omitempty"`
	Check       *Check          `json:"check,omitempty"`
	Approval    *Approval       `json:"approval,omitempty"`
	Verify      *Verify         `json:"verify,omitempty"`
	Drift       *Drift          `json:"drift,omitempty"`
	Who         string          `json:"who"`
	Identity    string          `json:"identity,omitempty"` // the AWS caller identity (ARN) that applied
	Started     time.Time       `json:"started"`
	Finished    time.Time       `json:"finished"`
	Seconds     float64         `json:"seconds"`
	Key         string          `json:"-"` // where it is stored
}

// Check is the gate's verdict on the applied plan.
type Check struct {
	Clean      bool `json:"clean"`
	Rules      int  `json:"rules"`
	Violations int  `json:"violations"`
	Excepted   int  `json:"excepted"`
}

// Approval of the applied plan (environments whose contract requires one).
type Approval struct {
	By         string    `json:"by"`
	At         time.Time `json:"at"`
	PlanSHA256 string    `json:"plan_sha256"`
}

// Verify is `ec2stack verify` right after the apply.
type Verify struct {
	Holds       bool `json:"holds"`
	Checks      int  `json:"checks"`
	Differences int  `json:"differences"`
}

// Drift is the drift check (refresh-only plan and plan) after the apply, or of `ec2stack drift`.
type Drift struct {
	Clean     bool `json:"clean"`
	Resources int  `json:"resources"` // resources drifted or with changes planned
}

// Deployed reports whether the record applied something (every action but a drift check).
func (r Record) Deployed() bool { return r.Action != ActionDrift }

// Verified reports whether verify held after the apply.
func (r Record) Verified() bool { return r.Verify != nil && r.Verify.Holds }

// DriftFree reports whether the record's drift check found nothing.
func (r Record) DriftFree() bool { return r.Drift != nil && r.Drift.Clean }

// Store is the deployment history in one S3 bucket.
type Store struct {
	Client *s3.Client
	Bucket string
}

// Prefix is where the records of env are kept: beside its state (ENV/terraform.tfstate).
func Prefix(env string) string { return env + "/deployments/" }

// Append stores r as a new object (never replacing one: If-None-Match) and returns its key.
func (s Store) Append(ctx context.Context, r Record) (string, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	key := Prefix(r.Environment) + r.Finished.UTC().Format("20060102T150405.000Z") + "-" + r.Action + ".json"
	_, err = s.Client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.Bucket), Key: aws.String(key), Body: strings.NewReader(string(b)),
		ContentType: aws.String("application/json"), IfNoneMatch: aws.String("*"),
	})
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "PreconditionFailed" {
		return "", fmt.Errorf("deployment record s3://%s/%s exists already: not replaced", s.Bucket, key)
	}
	if err != nil {
		return "", fmt.Errorf("writing the deployment record s3://%s/%s: %w", s.Bucket, key, err)
	}
	return key, nil
}

// List returns the records of env, oldest first.
func (s Store) List(ctx context.Context, env string) ([]Record, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(s.Client, &s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), Prefix: aws.String(Prefix(env))})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the deployment records in s3://%s/%s: %w", s.Bucket, Prefix(env), err)
		}
		for _, o := range page.Contents {
			if strings.HasSuffix(aws.ToString(o.Key), ".json") {
				keys = append(keys, aws.ToString(o.Key))
			}
		}
	}
	slices.Sort(keys) // the keys start with the time the record was finished
	records := make([]Record, 0, len(keys))
	for _, key := range keys {
		out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)})
		if err != nil {
			return nil, fmt.Errorf("reading the deployment record s3://%s/%s: %w", s.Bucket, key, err)
		}
		b, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("reading the deployment record s3://%s/%s: %w", s.Bucket, key, err)
		}
		var r Record
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("the deployment record s3://%s/%s is not a record: %w", s.Bucket, key, err)
		}
		r.Key = key
		records = append(records, r)
	}
	return records, nil
}

// Latest is the newest record (ok false when there is none).
func Latest(records []Record) (Record, bool) {
	if len(records) == 0 {
		return Record{}, false
	}
	return records[len(records)-1], true
}

// Deployed is the newest record that applied something.
func Deployed(records []Record) (Record, bool) {
	for i := len(records) - 1; i >= 0; i-- {
		if records[i].Deployed() {
			return records[i], true
		}
	}
	return Record{}, false
}

// Previous is the release deployed before the current one: the newest applied release other than the latest
// applied record's.
func Previous(records []Record) (release.Release, bool) {
	current, ok := Deployed(records)
	if !ok {
		return release.Release{}, false
	}
	for i := len(records) - 1; i >= 0; i-- {
		r := records[i]
		if r.Deployed() && r.Release.Commit != "" && !r.Release.Dirty && r.Release.Commit != current.Release.Commit {
			return r.Release, true
		}
	}
	return release.Release{}, false
}

// Promotable says why the environment's history does not allow promoting its current release (nil: it does): the
// latest record must be of that release, applied from a commit, verified and drift-free.
func Promotable(env string, records []Record) (release.Release, error) {
	last, ok := Latest(records)
	if !ok {
		return release.Release{}, fmt.Errorf("%s has no deployment record: apply a release there first", env)
	}
	deployed, _ := Deployed(records)
	switch {
	case deployed.Release.Commit == "":
		return release.Release{}, fmt.Errorf("%s's latest release was applied from a directory that is not a git work tree: apply a commit there first", env)
	case deployed.Release.Dirty:
		return release.Release{}, fmt.Errorf("%s's latest release %s was applied with uncommitted changes: commit them and apply %s again", env, deployed.Release, env)
	case !deployed.Verified():
		return release.Release{}, fmt.Errorf("%s's latest release %s has not passed verify (record %s): fix it and apply %s again", env, deployed.Release, deployed.Key, env)
	case !last.DriftFree():
		return release.Release{}, fmt.Errorf("%s's latest record (%s, %s) shows drift: run `ec2stack drift %s --repair` first", env, last.Action, last.Key, env)
	}
	return deployed.Release, nil
}
