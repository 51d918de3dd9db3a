package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Monitoring (terraform/modules/monitoring): the SNS alerts topic, the CloudWatch alarms acting on it, the
// dashboard and the CloudWatch agent configuration in SSM.

var monitoringDomain = domain{
	name: "monitoring",
	collect: []collectStep{
		{"sns topic", func(o Outputs) bool { return o.SNSTopicARN != "" }, (*clients).topic},
		{"alarms", func(o Outputs) bool { return len(o.AlarmNames) > 0 }, (*clients).alarms},
		{"dashboard", func(o Outputs) bool { return o.DashboardName != "" }, (*clients).dashboard},
	},
	check:     []func(*checker){(*checker).alerts, (*checker).dashboard},
	leftovers: monitoringLeftovers,
}

// MonitoringSnapshot is the monitoring part of a Snapshot.
type MonitoringSnapshot struct {
	Topic     *Topic           // the alerts topic
	Alarms    map[string]Alarm // keyed by alarm name; only the alarms named in alarm_names
	Dashboard *Dashboard
}

// Topic is an SNS topic with the attributes the checks read.
type Topic struct {
	ARN            string
	KMSMasterKeyID string // as set on the topic: key id, key ARN or alias
	KMSKeyARN      string // KMSMasterKeyID resolved through KMS ("" when it could not be resolved)
	Policy         string // the topic policy JSON
}

// Alarm is a CloudWatch metric or composite alarm.
type Alarm struct {
	Name           string
	ActionsEnabled bool
	AlarmActions   []string
	OKActions      []string
}

// Dashboard is a CloudWatch dashboard.
type Dashboard struct {
	Name string
	ARN  string
}

// ---- collect

func (c *clients) topic(ctx context.Context, s *Snapshot) error {
	arn := s.Outputs.SNSTopicARN
	a, err := c.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if apiError(err, "NotFound", "NotFoundException") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get topic attributes %s: %w", arn, err)
	}
	t := &Topic{ARN: arn, KMSMasterKeyID: a.Attributes["KmsMasterKeyId"], Policy: a.Attributes["Policy"]}
	if t.KMSMasterKeyID != "" {
		d, err := c.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(t.KMSMasterKeyID)})
		switch {
		case apiError(err, "NotFoundException"):
		case err != nil:
			return fmt.Errorf("describe key %s of topic %s: %w", t.KMSMasterKeyID, arn, err)
		case d.KeyMetadata != nil:
			t.KMSKeyARN = aws.ToString(d.KeyMetadata.Arn)
		}
	}
	s.Topic = t
	return nil
}

// alarmTypes are the alarm types DescribeAlarms is asked for: without them it returns metric alarms only.
var alarmTypes = []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm}

// pageAlarms are the metric and composite alarms of a DescribeAlarms page.
func pageAlarms(o *cloudwatch.DescribeAlarmsOutput) []Alarm {
	var out []Alarm
	for _, a := range o.MetricAlarms {
		out = append(out, Alarm{Name: aws.ToString(a.AlarmName), ActionsEnabled: aws.ToBool(a.ActionsEnabled),
			AlarmActions: a.AlarmActions, OKActions: a.OKActions})
	}
	for _, a := range o.CompositeAlarms {
		out = append(out, Alarm{Name: aws.ToString(a.AlarmName), ActionsEnabled: aws.ToBool(a.ActionsEnabled),
			AlarmActions: a.AlarmActions, OKActions: a.OKActions})
	}
	return out
}

func (c *clients) alarms(ctx context.Context, s *Snapshot) error {
	s.Alarms = map[string]Alarm{}
	return inBatches(sortedValues(s.Outputs.AlarmNames), 100, func(names []string) error { // DescribeAlarms takes at most 100 names
		err := each(ctx, cloudwatch.NewDescribeAlarmsPaginator(c.cw, &cloudwatch.DescribeAlarmsInput{AlarmNames: names,
			AlarmTypes: alarmTypes}), pageAlarms, func(a Alarm) error {
			s.Alarms[a.Name] = a
			return nil
		})
		if err != nil {
			return fmt.Errorf("describe alarms %v: %w", names, err)
		}
		return nil
	})
}

func (c *clients) dashboard(ctx context.Context, s *Snapshot) error {
	name := s.Outputs.DashboardName
	p := cloudwatch.NewListDashboardsPaginator(c.cw, &cloudwatch.ListDashboardsInput{DashboardNamePrefix: aws.String(name)})
	for p.HasMorePages() { // stops at the dashboard: the prefix may match many
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list dashboards %s: %w", name, err)
		}
		for _, d := range page.DashboardEntries {
			if aws.ToString(d.DashboardName) == name {
				s.Dashboard = &Dashboard{Name: name, ARN: aws.ToString(d.DashboardArn)}
				return nil
			}
		}
	}
	return nil
}

// ---- check

func (c *checker) alerts() {
	if !c.w.Alerts {
		c.checks("alerts.absent")
		if c.o.SNSTopicARN != "" || c.s.Topic != nil {
			c.fail("alerts.absent", c.o.SNSTopicARN, "SNS topic "+c.o.SNSTopicARN, "no alerts topic in this environment")
		}
		return
	}
	c.checks("alerts.topic", "alerts.topic_kms", "alerts.topic_policy", "alerts.alarm", "alerts.alarm_actions", "alerts.severity")
	topic := c.o.SNSTopicARN
	if c.w.OnCall {
		c.checks("alerts.on_call")
		if _, ok := c.o.AlarmNames[ServiceDownAlarm]; !ok {
			c.fail("alerts.on_call", "alarm_names", "keys "+list(sortedKeys(c.o.AlarmNames)), "the composite "+ServiceDownAlarm+" alarm (on call)")
		}
	}
	if t := c.s.Topic; !c.missing("alerts.topic", topic, t != nil) {
		key, got := t.KMSKeyARN, t.KMSMasterKeyID
		if key == "" {
			key = t.KMSMasterKeyID
		}
		if got == "" {
			got = "none"
		}
		if want := c.o.SNSKMSKeyARN; want == "" || t.KMSMasterKeyID == "" || KeyID(key) != KeyID(want) {
			c.fail("alerts.topic_kms", t.ARN, "KmsMasterKeyId="+got, "KmsMasterKeyId="+want)
		}
		for _, svc := range []string{"cloudwatch.amazonaws.com", "events.amazonaws.com"} {
			if !allowsService(t.Policy, svc, "sns:Publish") {
				c.fail("alerts.topic_policy", t.ARN, "no Allow sns:Publish for "+svc, "topic policy allows "+svc+" to publish")
			}
		}
	}
	if len(c.o.AlarmNames) == 0 {
		c.fail("alerts.alarm", "alarm_names", "no alarms", "alarms acting on "+topic)
	}
	warning, critical := false, false
	for _, k := range sortedKeys(c.o.AlarmNames) {
		name := c.o.AlarmNames[k]
		lk, ln := strings.ToLower(k), strings.ToLower(name)
		warning = warning || strings.Contains(lk, "warning") || strings.Contains(ln, "warning")
		critical = critical || strings.Contains(lk, "critical") || strings.Contains(ln, "critical")
		a, ok := c.s.Alarms[name]
		if c.missing("alerts.alarm", name, ok) {
			continue
		}
		if !a.ActionsEnabled {
			c.fail("alerts.alarm_actions", name, "ActionsEnabled=false", "ActionsEnabled=true")
		}
		if topic == "" || !slices.Contains(a.AlarmActions, topic) {
			c.fail("alerts.alarm_actions", name, "AlarmActions "+list(a.AlarmActions), "AlarmActions include "+topic)
		}
	}
	names := list(sortedValues(c.o.AlarmNames))
	if !warning {
		c.fail("alerts.severity", "alarm_names", names, "at least one warning alarm")
	}
	if !critical {
		c.fail("alerts.severity", "alarm_names", names, "at least one critical alarm")
	}
}

// ServiceDownAlarm is the alarm_names key of the composite service-down alarm of on-call environments.
const ServiceDownAlarm = "service_down"

func (c *checker) dashboard() {
	if !c.w.Dashboard {
		c.checks("dashboard.absent")
		if c.o.DashboardName != "" || c.s.Dashboard != nil {
			c.fail("dashboard.absent", c.o.DashboardName, "dashboard "+c.o.DashboardName, "no dashboard in this environment")
		}
		return
	}
	c.checks("dashboard")
	c.missing("dashboard", c.o.DashboardName, c.s.Dashboard != nil)
}

// ---- leftovers

func monitoringLeftovers(ctx context.Context, l *leftovers) {
	find(ctx, l, "sns-topic", sns.NewListTopicsPaginator(l.sns, &sns.ListTopicsInput{}),
		func(o *sns.ListTopicsOutput) []snstypes.Topic { return o.Topics },
		func(t snstypes.Topic) (string, bool, error) {
			arn := aws.ToString(t.TopicArn)
			tags, err := l.sns.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			if err != nil {
				return arn, false, fmt.Errorf("list tags of topic %s: %w", arn, err)
			}
			return arn, l.ours(tagMap(tags.Tags, func(t snstypes.Tag) (*string, *string) { return t.Key, t.Value })), nil
		})
	prefix := aws.String(NamePrefix(l.env))
	find(ctx, l, "cloudwatch-alarm", cloudwatch.NewDescribeAlarmsPaginator(l.cw, &cloudwatch.DescribeAlarmsInput{
		AlarmNamePrefix: prefix, AlarmTypes: alarmTypes}), pageAlarms,
		func(a Alarm) (string, bool, error) { return a.Name, l.named(a.Name), nil })
	find(ctx, l, "cloudwatch-dashboard", cloudwatch.NewListDashboardsPaginator(l.cw, &cloudwatch.ListDashboardsInput{
		DashboardNamePrefix: prefix}),
		func(o *cloudwatch.ListDashboardsOutput) []cwtypes.DashboardEntry { return o.DashboardEntries },
		func(d cwtypes.DashboardEntry) (string, bool, error) {
			name := aws.ToString(d.DashboardName)
			return name, l.named(name), nil
		})
	path := "/" + NamePrefix(l.env)
	find(ctx, l, "ssm-parameter", ssm.NewDescribeParametersPaginator(l.ssm, &ssm.DescribeParametersInput{
		ParameterFilters: []ssmtypes.ParameterStringFilter{{
			Key: aws.String("Path"), Option: aws.String("Recursive"), Values: []string{path}}}}),
		func(o *ssm.DescribeParametersOutput) []ssmtypes.ParameterMetadata { return o.Parameters },
		func(p ssmtypes.ParameterMetadata) (string, bool, error) {
			name := aws.ToString(p.Name)
			return name, strings.HasPrefix(name, path+"/"), nil
		})
}
