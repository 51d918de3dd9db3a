package verify

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
)

// Outputs are the environment root outputs (see ARCHITECTURE.md, "Outputs"), typed.
// Every field is optional for decoding; Collect skips what it has no output for.
type Outputs struct {
	Environment string `output:"environment"`
	Region      string `output:"region"`

	VPCID             string   `output:"vpc_id"`
	VPCCIDRBlock      string   `output:"vpc_cidr_block"`
	AvailabilityZones []string `output:"availability_zones"`

	// Subnet, route table and NAT maps are keyed by AZ name (NAT: "shared" or AZ).
	PublicSubnetIDs      map[string]string `output:"public_subnet_ids"`
	PrivateSubnetIDs     map[string]string `output:"private_subnet_ids"`
	DatabaseSubnetIDs    map[string]string `output:"database_subnet_ids"`
	NATGatewayIDs        map[string]string `output:"nat_gateway_ids"`
	PublicRouteTableID   string            `output:"public_route_table_id"`
	PrivateRouteTableIDs map[string]string `output:"private_route_table_ids"`
	DatabaseRouteTableID string            `output:"database_route_table_id"`

	// VPCEndpointIDs is keyed by service short name ("s3", "ec2", "ssm", ...).
	VPCEndpointIDs   map[string]string `output:"vpc_endpoint_ids"`
	FlowLogGroupName string            `output:"flow_log_group_name"`

	ALBSecurityGroupID       string `output:"alb_security_group_id"`
	AppSecurityGroupID       string `output:"app_security_group_id"`
	DatabaseSecurityGroupID  string `output:"database_security_group_id"`
	EndpointsSecurityGroupID string `output:"endpoints_security_group_id"`

	AppPort            int      `output:"app_port"`
	DatabasePort       int      `output:"database_port"`
	SSHAuthorizedCIDRs []string `output:"ssh_authorized_cidrs"`

	EBSKMSKeyARN  string `output:"ebs_kms_key_arn"`
	LogsKMSKeyARN string `output:"logs_kms_key_arn"`

	InstanceRoleName    string `output:"instance_role_name"`
	InstanceProfileName string `output:"instance_profile_name"`

	LaunchTemplateID     string `output:"launch_template_id"`
	AutoScalingGroupName string `output:"autoscaling_group_name"`
	ALBARN               string `output:"alb_arn"`
	ALBDNSName           string `output:"alb_dns_name"`
	TargetGroupARN       string `output:"target_group_arn"`

	InstanceType       string `output:"instance_type"`
	ASGMinSize         int    `output:"asg_min_size"`
	ASGMaxSize         int    `output:"asg_max_size"`
	ASGDesiredCapacity int    `output:"asg_desired_capacity"`

	// What the root chose where the environment contract leaves a choice; nil when the output is missing.
	HTTPSEnabled       *bool `output:"https_enabled"`
	SpotEnabled        *bool `output:"spot_enabled"`
	DetailedMonitoring *bool `output:"detailed_monitoring"`
	OffHoursScaleDown  bool  `output:"off_hours_scale_down"`

	// The outputs below name optional features; each is empty (null) when the feature is off in the environment.

	DatabaseInstanceID string `output:"database_instance_id"`
	DatabaseReplicaID  string `output:"database_replica_id"`
	DataKMSKeyARN      string `output:"data_kms_key_arn"` // database, its secret and the backup vault
	SNSKMSKeyARN       string `output:"sns_kms_key_arn"`

	SNSTopicARN   string            `output:"sns_topic_arn"`
	AlarmNames    map[string]string `output:"alarm_names"` // key -> CloudWatch alarm name
	DashboardName string            `output:"dashboard_name"`

	BackupVaultName string `output:"backup_vault_name"`
	BackupPlanID    string `output:"backup_plan_id"`

	ALBLogsBucket        string `output:"alb_logs_bucket"`
	CloudFrontLogsBucket string `output:"cloudfront_logs_bucket"`

	CloudFrontDistributionID string `output:"cloudfront_distribution_id"`
	CloudFrontWebACLARN      string `output:"cloudfront_web_acl_arn"`
	RegionalWebACLARN        string `output:"regional_web_acl_arn"`
	HostedZoneID             string `output:"hosted_zone_id"`
	FQDN                     string `output:"fqdn"`
}

// DecodeOutputsJSON decodes the bytes printed by `terraform output -json`.
func DecodeOutputsJSON(data []byte) (Outputs, error) {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return Outputs{}, fmt.Errorf("decode terraform outputs: %w", err)
	}
	return DecodeOutputs(raw)
}

// DecodeOutputs decodes terraform outputs as JSON-decoded Go values: numbers as float64 (or json.Number),
// lists as []any, maps and objects as map[string]any. Each value may be the bare value or the
// `terraform output -json` wrapper {"sensitive": ..., "type": ..., "value": ...}.
// Outputs this package does not know are ignored; null values leave the field empty.
func DecodeOutputs(raw map[string]any) (Outputs, error) {
	var out Outputs
	v := reflect.ValueOf(&out).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("output")
		val, ok := raw[name]
		if !ok {
			continue
		}
		val = unwrapOutput(val)
		if val == nil {
			continue
		}
		if err := setField(v.Field(i), val); err != nil {
			return Outputs{}, fmt.Errorf("decode output %s: %w", name, err)
		}
	}
	return out, nil
}

// unwrapOutput returns the "value" of a `terraform output -json` entry, or v itself when v is a bare value.
func unwrapOutput(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if _, hasValue := m["value"]; !hasValue {
		return v
	}
	if _, hasType := m["type"]; !hasType {
		return v
	}
	for k := range m {
		if k != "value" && k != "type" && k != "sensitive" {
			return v
		}
	}
	return m["value"]
}

func setField(f reflect.Value, val any) error {
	switch f.Kind() {
	case reflect.String:
		s, err := asString(val)
		if err != nil {
			return err
		}
		f.SetString(s)
	case reflect.Int:
		n, err := asInt(val)
		if err != nil {
			return err
		}
		f.SetInt(int64(n))
	case reflect.Slice:
		list, err := asStringList(val)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(list))
	case reflect.Map:
		m, err := asStringMap(val)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(m))
	case reflect.Bool:
		b, ok := val.(bool)
		if !ok {
			return fmt.Errorf("want a bool, got %T (%v)", val, val)
		}
		f.SetBool(b)
	case reflect.Pointer:
		b, ok := val.(bool)
		if !ok || f.Type().Elem().Kind() != reflect.Bool {
			return fmt.Errorf("want a bool, got %T (%v)", val, val)
		}
		f.Set(reflect.ValueOf(&b))
	default:
		return fmt.Errorf("unsupported field kind %s", f.Kind())
	}
	return nil
}

func asString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	default:
		return "", fmt.Errorf("want a string, got %T (%v)", v, v)
	}
}

func asInt(v any) (int, error) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case json.Number:
		n, err := x.Float64()
		if err != nil {
			return 0, fmt.Errorf("want a number, got %q", x.String())
		}
		f = n
	case string: // terraform may render a number output converted to string
		n, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return 0, fmt.Errorf("want a number, got %q", x)
		}
		f = n
	default:
		return 0, fmt.Errorf("want a number, got %T (%v)", v, v)
	}
	if f != math.Trunc(f) || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("want a whole number, got %v", f)
	}
	return int(f), nil
}

func asStringList(v any) ([]string, error) {
	switch x := v.(type) {
	case []string:
		return append([]string{}, x...), nil
	case []any:
		out := make([]string, 0, len(x))
		for i, e := range x {
			s, err := asString(e)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			out = append(out, s)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("want a list of strings, got %T", v)
	}
}

func asStringMap(v any) (map[string]string, error) {
	switch x := v.(type) {
	case map[string]string:
		out := make(map[string]string, len(x))
		for k, e := range x {
			out[k] = e
		}
		return out, nil
	case map[string]any:
		out := make(map[string]string, len(x))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s, err := asString(x[k])
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
			out[k] = s
		}
		return out, nil
	default:
		return nil, fmt.Errorf("want a map of strings, got %T", v)
	}
}
