package policy

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestStatefulReplacementMessages: the finding says what the replacement loses and which attributes force it,
// so a reviewer knows what to change.
func TestStatefulReplacementMessages(t *testing.T) {
	b, err := os.ReadFile("testdata/EC2S-706/fail.json")
	if err != nil {
		t.Fatal(err)
	}
	_, findings, err := load(t).Evaluate(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"module.stack.module.database[0].aws_db_instance.this":              "plan would replace aws_db_instance, which holds the database and its automated backups (forced by a change of identifier)",
		`module.stack.module.network.aws_subnet.this["private-us-east-1c"]`: "(forced by a change of cidr_block, availability_zone)",
		`module.stack.module.security.aws_kms_key.this["data"]`:             "plan would delete aws_kms_key, which holds the key: whatever it encrypted becomes unreadable once it is deleted (its for_each key is gone)",
		`module.stack.module.logs.aws_cloudwatch_log_group.this["app"]`:     "(-replace asked for it)",
		"module.stack.module.backup[0].aws_backup_vault.this":               "(its module was removed)",
	}
	got := map[string]string{}
	for _, f := range findings {
		if f.RuleID == "EC2S-706" {
			got[f.Address] = f.Message
		}
	}
	for addr, msg := range want {
		if !strings.Contains(got[addr], msg) {
			t.Errorf("%s: message %q does not contain %q", addr, got[addr], msg)
		}
	}
}
