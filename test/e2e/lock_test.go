package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ec2stack/ec2stack/internal/emulator"
)

// TestStateLock: a run that holds dev's state lock (here: a killed one, whose lock file is left in the state
// bucket) stops the next command at once with one line naming the holder and the unlock command; `ec2stack
// unlock` with the wrong ID releases nothing, with the right one it releases the lock and nothing else of the
// state is touched.
func TestStateLock(t *testing.T) {
	t.Parallel()
	requireTerraform(t)
	moto := startMoto(t)
	ctx := context.Background()
	if err := moto.PrepareAccount(ctx, region); err != nil {
		t.Fatal(err)
	}
	const id = "4b1d3c2e-9f8a-4e7b-8c6d-5a4b3c2d1e0f"
	key := emulator.BackendConfig("dev", region)["key"] + ".tflock"
	info, _ := json.Marshal(map[string]any{"ID": id, "Operation": "OperationTypeApply", "Info": "", "Who": "alice@ci-runner",
		"Version": "1.11.4", "Created": time.Date(2026, 12, 2, 6, 10, 0, 0, time.UTC), "Path": emulator.StateBucket + "/dev/terraform.tfstate"})
	client := s3.NewFromConfig(awsConfig(t, moto), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(emulator.StateBucket), Key: aws.String(key), Body: bytes.NewReader(info)}); err != nil {
		t.Fatal(err)
	}

	sh := newShell(t)
	start := time.Now()
	_, stderr, code := sh.run(t, "plan", "dev", "--endpoint", moto.Endpoint)
	line := strings.TrimSpace(stderr[strings.LastIndex(strings.TrimSpace(stderr), "\n")+1:])
	for _, want := range []string{"ec2stack: dev on emulator is locked in its state backend: OperationTypeApply by alice@ci-runner since",
		"(lock ID " + id + ")", "`ec2stack unlock dev --lock-id " + id + "`"} {
		if code != 1 || !strings.Contains(line, want) {
			t.Fatalf("plan of a locked dev: exit %d, last line %q; want exit 1 and %q\n%s", code, line, want, stderr)
		}
	}
	t.Logf("the locked plan stopped after %s", time.Since(start).Round(time.Second))

	if _, stderr, code := sh.run(t, "unlock", "dev", "--endpoint", moto.Endpoint, "--lock-id", "0b2c8f4e-1d6a-4c2b-9e7f-3a5d6c7b8e9f"); code != 1 || !strings.Contains(stderr, "no lock 0b2c8f4e-1d6a-4c2b-9e7f-3a5d6c7b8e9f to release") {
		t.Errorf("unlock with another ID: exit %d, %s", code, stderr)
	}
	if _, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(emulator.StateBucket), Key: aws.String(key)}); err != nil {
		t.Fatalf("the lock is gone after an unlock with the wrong ID: %v", err)
	}
	if out := sh.ec2stack(t, "unlock", "dev", "--endpoint", moto.Endpoint, "--lock-id", id); !strings.Contains(out, "Released the state lock "+id) {
		t.Errorf("unlock: %q", out)
	}
	_, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(emulator.StateBucket), Key: aws.String(key)})
	var nf *s3types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("the lock file after unlock: %v, want it gone", err)
	}
}
