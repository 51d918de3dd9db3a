package verify

import (
	"strings"
	"testing"
)

func TestMonitoringGood(t *testing.T) {
	checkGood(t, fullBase, []goodCase{
		{"on call with the composite alarm", func(s *Snapshot, w *Expectations) {
			const down = "ec2stack-prod-service-down"
			w.OnCall, s.Outputs.AlarmNames[ServiceDownAlarm] = true, down
			s.Alarms[down] = Alarm{Name: down, ActionsEnabled: true, AlarmActions: []string{topicARN}}
		}},
		{"topic key by ARN, no resolution", func(s *Snapshot, _ *Expectations) {
			s.Topic.KMSMasterKeyID, s.Topic.KMSKeyARN = snsKey, ""
		}},
	})
}

func TestMonitoringFails(t *testing.T) {
	alarm := func(s *Snapshot, name string, f func(*Alarm)) { editEntry(s.Alarms, name, f) }

	checkFails(t, fullBase, []failCase{
		{"on call without the composite alarm", func(_ *Snapshot, w *Expectations) { w.OnCall = true },
			"alerts.on_call", "alarm_names", "keys ["},
		// Alerts and dashboard
		{"topic missing", func(s *Snapshot, _ *Expectations) { s.Topic = nil }, "alerts.topic", topicARN, "not found"},
		{"topic unencrypted", func(s *Snapshot, _ *Expectations) { s.Topic.KMSMasterKeyID, s.Topic.KMSKeyARN = "", "" },
			"alerts.topic_kms", topicARN, "KmsMasterKeyId=none"},
		{"topic with the AWS managed key", func(s *Snapshot, _ *Expectations) {
			s.Topic.KMSMasterKeyID, s.Topic.KMSKeyARN = "alias/aws/sns", ""
		}, "alerts.topic_kms", topicARN, "KmsMasterKeyId=alias/aws/sns"},
		{"topic with another key", func(s *Snapshot, _ *Expectations) { s.Topic.KMSKeyARN = dataKey },
			"alerts.topic_kms", topicARN, "KmsMasterKeyId=alias/ec2stack-prod-sns"},
		{"topic policy without EventBridge", func(s *Snapshot, _ *Expectations) {
			s.Topic.Policy = strings.Replace(topicPolicy, "events.amazonaws.com", "s3.amazonaws.com", 1)
		}, "alerts.topic_policy", topicARN, "no Allow sns:Publish for events.amazonaws.com"},
		{"topic policy denies CloudWatch", func(s *Snapshot, _ *Expectations) {
			s.Topic.Policy = strings.Replace(topicPolicy, `"Sid":"cw","Effect":"Allow"`, `"Sid":"cw","Effect":"Deny"`, 1)
		}, "alerts.topic_policy", topicARN, "no Allow sns:Publish for cloudwatch.amazonaws.com"},
		{"no topic policy", func(s *Snapshot, _ *Expectations) { s.Topic.Policy = "" },
			"alerts.topic_policy", topicARN, "cloudwatch.amazonaws.com"},
		{"alarm missing", func(s *Snapshot, _ *Expectations) { delete(s.Alarms, critAlarm) }, "alerts.alarm", critAlarm, "not found"},
		{"no alarms", func(s *Snapshot, _ *Expectations) { s.Outputs.AlarmNames = nil }, "alerts.alarm", "alarm_names", "no alarms"},
		{"alarm actions disabled", func(s *Snapshot, _ *Expectations) {
			alarm(s, warnAlarm, func(a *Alarm) { a.ActionsEnabled = false })
		}, "alerts.alarm_actions", warnAlarm, "ActionsEnabled=false"},
		{"alarm notifies another topic", func(s *Snapshot, _ *Expectations) {
			alarm(s, critAlarm, func(a *Alarm) { a.AlarmActions = []string{"arn:aws:sns:us-east-1:123456789012:other"} })
		}, "alerts.alarm_actions", critAlarm, "AlarmActions [arn:aws:sns:us-east-1:123456789012:other]"},
		{"no critical alarm", func(s *Snapshot, _ *Expectations) { delete(s.Outputs.AlarmNames, "alb_5xx_critical") },
			"alerts.severity", "alarm_names", "[" + warnAlarm + "]"},
		{"alerts not expected", func(_ *Snapshot, w *Expectations) { w.Alerts = false },
			"alerts.absent", topicARN, "SNS topic " + topicARN},
		{"dashboard missing", func(s *Snapshot, _ *Expectations) { s.Dashboard = nil }, "dashboard", "ec2stack-prod", "not found"},
		{"dashboard not expected", func(_ *Snapshot, w *Expectations) { w.Dashboard = false },
			"dashboard.absent", "ec2stack-prod", "dashboard ec2stack-prod"},
	})
}
