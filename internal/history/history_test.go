package history

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ec2stack/ec2stack/internal/emulator"
	"github.com/ec2stack/ec2stack/internal/release"
)

var (
	relA  = release.Release{Commit: strings.Repeat("a", 40), Tag: "v1"}
	relB  = release.Release{Commit: strings.Repeat("b", 40)}
	start = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
)

func record(action string, rel release.Release, minute int, verified, driftFree bool) Record {
	r := Record{Environment: "dev", Target: "emulator", Action: action, Release: rel, Who: "ci",
		Started: start.Add(time.Duration(minute) * time.Minute), Finished: start.Add(time.Duration(minute)*time.Minute + 90*time.Second),
		Drift: &Drift{Clean: driftFree}, Key: "dev/deployments/" + action}
	if action != ActionDrift {
		r.Verify = &Verify{Holds: verified, Checks: 90}
	}
	return r
}

func TestPromotable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		records []Record
		want    release.Release
		err     string
	}{
		{"none", nil, release.Release{}, "dev has no deployment record"},
		{"verified, drift-free", []Record{record(ActionApply, relA, 0, true, true)}, relA, ""},
		{"then drift checked clean", []Record{record(ActionApply, relA, 0, true, true), record(ActionDrift, relA, 5, false, true)}, relA, ""},
		{"verify failed", []Record{record(ActionApply, relB, 0, false, true)}, release.Release{}, "has not passed verify"},
		{"drift found later", []Record{record(ActionApply, relA, 0, true, true), record(ActionDrift, relA, 5, false, false)}, release.Release{}, "shows drift: run `ec2stack drift dev --repair`"},
		{"dirty", []Record{record(ActionApply, release.Release{Commit: relA.Commit, Dirty: true}, 0, true, true)}, release.Release{}, "uncommitted changes"},
		{"no git", []Record{record(ActionApply, release.Release{}, 0, true, true)}, release.Release{}, "not a git work tree"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Promotable("dev", tc.records)
			if tc.err == "" && (err != nil || got != tc.want) {
				t.Errorf("Promotable = %v, %v; want %v", got, err, tc.want)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("Promotable error = %v; want %q", err, tc.err)
			}
		})
	}
}

func TestPrevious(t *testing.T) {
	records := []Record{record(ActionApply, relA, 0, true, true), record(ActionApply, relB, 10, true, true), record(ActionDrift, relB, 20, false, true)}
	if prev, ok := Previous(records); !ok || prev != relA {
		t.Errorf("previous of B = %v %t, want A", prev, ok)
	}
	records = append(records, record(ActionRollback, relA, 30, true, true))
	if prev, ok := Previous(records); !ok || prev != relB {
		t.Errorf("previous after the rollback to A = %v %t, want B", prev, ok)
	}
	if _, ok := Previous(records[:1]); ok {
		t.Error("one release has no previous one")
	}
}

// TestStoreOnMoto appends records to a bucket in moto and lists them back in order; a record is never replaced.
func TestStoreOnMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("needs moto: run without -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	moto, err := emulator.Start(ctx, emulator.StartOptions{ShimDir: dir, LogFile: filepath.Join(dir, "moto.log")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = moto.Stop() })
	if err := moto.EnsureStateBucket(ctx, emulator.StateBucket, "us-east-1"); err != nil {
		t.Fatal(err)
	}
	client, err := moto.S3Client(ctx, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	s := Store{Client: client, Bucket: emulator.StateBucket}
	if got, err := s.List(ctx, "dev"); err != nil || len(got) != 0 {
		t.Fatalf("empty history: %v %v", got, err)
	}
	second, first := record(ActionPromote, relB, 10, true, true), record(ActionApply, relA, 0, true, true)
	for _, r := range []Record{second, first} {
		if _, err := s.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Append(ctx, first); err == nil || !strings.Contains(err.Error(), "exists already: not replaced") {
		t.Errorf("a record was replaced: %v", err)
	}
	if _, err := s.Append(ctx, Record{Environment: "staging", Action: ActionApply, Finished: start}); err != nil {
		t.Fatal(err)
	}
	got, err := s.List(ctx, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Release != relA || got[1].Release != relB || got[1].Action != ActionPromote || !got[1].Finished.Equal(second.Finished) ||
		got[0].Key != "dev/deployments/20261202T090130.000Z-apply.json" {
		t.Errorf("listed %+v", got)
	}
}
