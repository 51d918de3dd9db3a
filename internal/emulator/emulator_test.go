package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func requireMoto(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs moto: run without -short")
	}
	bin, err := FindBinary()
	if err != nil {
		t.Fatalf("these tests need moto_server: %v", err)
	}
	return bin
}

func TestValidateEndpoint(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "http://127.0.0.1:5000", want: "http://127.0.0.1:5000"},
		{in: "http://127.0.0.1:5000/", want: "http://127.0.0.1:5000"},
		{in: "https://moto.local", want: "https://moto.local"},
		{in: "127.0.0.1:5000", wantErr: `invalid endpoint "127.0.0.1:5000"`},
		{in: "ftp://x", wantErr: "invalid endpoint"},
		{in: "http://", wantErr: "invalid endpoint"},
		{in: "http://h:1/path", wantErr: "invalid endpoint"},
		{in: "", wantErr: "invalid endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidateEndpoint(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ValidateEndpoint(%q) = %q, %v; want error %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ValidateEndpoint(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFindBinaryFromEnv(t *testing.T) {
	t.Setenv(BinaryVar, filepath.Join(t.TempDir(), "nope"))
	_, err := FindBinary()
	if err == nil || !strings.Contains(err.Error(), "pip install 'moto[server]==5.2.1'") {
		t.Fatalf("FindBinary() error = %v, want install hint", err)
	}
}

func TestFindBinaryMissingFromPath(t *testing.T) {
	t.Setenv(BinaryVar, "")
	t.Setenv("PATH", t.TempDir())
	_, err := FindBinary()
	if err == nil || !strings.Contains(err.Error(), "moto_server not found on PATH") {
		t.Fatalf("FindBinary() error = %v", err)
	}
}

func TestEnvAndBackend(t *testing.T) {
	s := &Server{Endpoint: "http://127.0.0.1:1234"}
	env := s.Env("eu-west-1")
	want := map[string]string{
		"AWS_ENDPOINT_URL": "http://127.0.0.1:1234", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_S3_USE_PATH_STYLE": "true",
		"AWS_MAX_ATTEMPTS": "2", "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
	}
	for k, v := range want {
		if got, ok := env[k]; !ok || got != v {
			t.Errorf("Env()[%s] = %q (present %v), want %q", k, got, ok, v)
		}
	}
	bc := BackendConfig("dev", "us-east-1")
	if bc["bucket"] != "ec2stack-state" || bc["key"] != "dev/terraform.tfstate" || bc["use_path_style"] != "true" {
		t.Errorf("BackendConfig = %v", bc)
	}
}

func TestStartReadyBucketResetStop(t *testing.T) {
	requireMoto(t)
	ctx := context.Background()
	s, err := Start(ctx, StartOptions{ShimDir: t.TempDir()}) // through the shim
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	if s.PID == 0 || !strings.HasPrefix(s.Endpoint, "http://127.0.0.1:") {
		t.Fatalf("server = %+v", s)
	}
	for i := 0; i < 2; i++ { // idempotent
		if err := s.EnsureStateBucket(ctx, StateBucket, "us-east-1"); err != nil {
			t.Fatalf("EnsureStateBucket #%d: %v", i+1, err)
		}
	}
	c, err := Connect(ctx, s.Endpoint+"/")
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if c.PID != 0 || c.Port != s.Port {
		t.Errorf("connected server = %+v", c)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	client, _ := s.S3Client(ctx, "us-east-1")
	out, err := client.ListBuckets(ctx, nil)
	if err != nil || len(out.Buckets) != 0 {
		t.Fatalf("after reset: buckets %v, err %v", out, err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if alive(s.PID) {
		t.Fatalf("pid %d still alive after Stop", s.PID)
	}
	if err := Ping(ctx, s.Endpoint); err == nil {
		t.Fatal("server still answers after Stop")
	}
}

func TestConnectNotAnswering(t *testing.T) {
	sock, port, err := listenLoopback()
	if err != nil {
		t.Fatal(err)
	}
	sock.Close()
	_, err = Connect(context.Background(), endpointFor(port))
	if err == nil || !strings.Contains(err.Error(), "is not answering") {
		t.Fatalf("Connect to closed port: %v", err)
	}
}

func TestStartFailsWhenBinaryExits(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "fake_moto")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), StartOptions{Binary: bin})
	if err == nil || !strings.Contains(err.Error(), "exited before answering") {
		t.Fatalf("Start with dying binary: %v", err)
	}
}

func TestEnsureReusesRecordedServer(t *testing.T) {
	bin := requireMoto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	home := t.TempDir()
	first, started, err := Ensure(ctx, home, StartOptions{Binary: bin})
	if err != nil || !started {
		t.Fatalf("Ensure #1: started=%v err=%v", started, err)
	}
	t.Cleanup(func() { _ = first.Stop() })
	rec, err := LoadRecord(home)
	if err != nil || rec == nil || rec.PID != first.PID || rec.Endpoint != first.Endpoint {
		t.Fatalf("record = %+v, %v", rec, err)
	}
	second, started, err := Ensure(ctx, home, StartOptions{Binary: bin})
	if err != nil || started || second.PID != first.PID {
		t.Fatalf("Ensure #2 = %+v started=%v err=%v; want reuse of pid %d", second, started, err, first.PID)
	}
	stopped, err := StopRecorded(ctx, home)
	if err != nil || !stopped {
		t.Fatalf("StopRecorded = %v, %v", stopped, err)
	}
	if rec, _ := LoadRecord(home); rec != nil {
		t.Fatalf("record left behind: %+v", rec)
	}
	if stopped, err := StopRecorded(ctx, home); err != nil || stopped {
		t.Fatalf("second StopRecorded = %v, %v", stopped, err)
	}
}

func TestLauncherPrefersShim(t *testing.T) {
	requireMoto(t)
	t.Setenv(BinaryVar, "")
	dir := t.TempDir()
	l, err := findLauncher(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.args) != 1 || l.args[0] != filepath.Join(dir, "ec2stack_moto_shim.py") {
		t.Fatalf("launcher = %+v, want python with the shim", l)
	}
	b, err := os.ReadFile(l.args[0])
	if err != nil || string(b) != string(shim) {
		t.Fatalf("shim not written: %v", err)
	}
	t.Setenv(BinaryVar, "/bin/true")
	if l, err := findLauncher(dir); err != nil || l.program != "/bin/true" || len(l.args) != 0 {
		t.Fatalf("with %s set: %+v, %v", BinaryVar, l, err)
	}
}

// The port stays ours from its choice until moto serves on it: nobody else can bind it meanwhile.
func TestListenLoopbackHoldsThePort(t *testing.T) {
	sock, port, err := listenLoopback()
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		l.Close()
		t.Fatalf("port %d could be bound by someone else while reserved", port)
	}
}

// Preflight reads only: a moto without AWS managed policies is an error naming the setting; ACM validation that
// waits is a warning for environments with certificates; the shim's fixes are reported.
func TestPreflight(t *testing.T) {
	requireMoto(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		settings []string
		certs    bool
		err      string
		warning  string
	}{
		{"ready", nil, true, "", ""},
		{"acm waits", []string{"MOTO_ACM_VALIDATION_WAIT=60"}, true, "", "validates ACM certificates only after 60 s"},
		{"acm waits, no certificates", []string{"MOTO_ACM_VALIDATION_WAIT=60"}, false, "", ""},
		{"no managed policies", []string{"MOTO_IAM_LOAD_MANAGED_POLICIES=false"}, true, "MOTO_IAM_LOAD_MANAGED_POLICIES=true", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Start(ctx, StartOptions{ShimDir: t.TempDir(), Settings: tc.settings})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Stop() })
			info, err := s.shimInfo(ctx)
			if err != nil || len(info.Fixes) < 6 {
				t.Errorf("shim info = %+v, %v", info, err)
			}
			warnings, err := s.Preflight(ctx, "us-east-1", tc.certs)
			switch {
			case tc.err != "":
				var pe *PreflightError
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("Preflight error = %v, want one naming %s", err, tc.err)
				}
			case err != nil:
				t.Errorf("Preflight: %v", err)
			case tc.warning == "" && len(warnings) > 0, tc.warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tc.warning)):
				t.Errorf("warnings = %q, want %q", warnings, tc.warning)
			}
		})
	}
}

// The account the emulator prepares holds the Auto Scaling service-linked role (as one that has used Auto
// Scaling does), once however often it is prepared; and the shim answers the listing of a vault's recovery points
// as AWS does for an empty vault (destroying a vault with force_destroy lists them).
func TestPrepareAccountAndRecoveryPoints(t *testing.T) {
	requireMoto(t)
	ctx := context.Background()
	s, err := Start(ctx, StartOptions{ShimDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	for i := 0; i < 2; i++ {
		if err := s.PrepareAccount(ctx, "eu-west-1"); err != nil {
			t.Fatalf("PrepareAccount #%d: %v", i+1, err)
		}
	}
	cfg, err := s.AWSConfig(ctx, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	role, err := iam.NewFromConfig(cfg).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(AutoScalingServiceLinkedRole)})
	if err != nil || aws.ToString(role.Role.Path) != "/aws-service-role/autoscaling.amazonaws.com/" {
		t.Fatalf("service-linked role: %+v, %v", role, err)
	}

	b := backup.NewFromConfig(cfg)
	if _, err := b.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: aws.String("v1")}); err != nil {
		t.Fatal(err)
	}
	points, err := b.ListRecoveryPointsByBackupVault(ctx, &backup.ListRecoveryPointsByBackupVaultInput{BackupVaultName: aws.String("v1")})
	if err != nil || len(points.RecoveryPoints) != 0 {
		t.Fatalf("recovery points of an empty vault: %+v, %v", points, err)
	}
	_, err = b.ListRecoveryPointsByBackupVault(ctx, &backup.ListRecoveryPointsByBackupVaultInput{BackupVaultName: aws.String("nope")})
	var missing *backuptypes.ResourceNotFoundException
	if !errors.As(err, &missing) {
		t.Fatalf("recovery points of a missing vault: %v, want ResourceNotFoundException", err)
	}
}
