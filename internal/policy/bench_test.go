package policy

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ec2stack/ec2stack/internal/contract"
)

// benchPlan is dev's plan with real settings as the gate checks it (terraform show -json, gzipped).
func benchPlan(b *testing.B) []byte {
	b.Helper()
	f, err := os.ReadFile(filepath.Join("testdata", "bench", "dev-plan.json.gz"))
	if err != nil {
		b.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(f))
	if err != nil {
		b.Fatal(err)
	}
	plan, err := io.ReadAll(r)
	if err != nil {
		b.Fatal(err)
	}
	return plan
}

// BenchmarkCheck is what `ec2stack check --plan` spends in the rules: compile them, then evaluate a plan.
func BenchmarkCheck(b *testing.B) {
	plan := benchPlan(b)
	c, err := contract.LoadHome(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := Load(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	e, err := Load(c)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("evaluate", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := e.Evaluate(context.Background(), plan); err != nil {
				b.Fatal(err)
			}
		}
	})
}
