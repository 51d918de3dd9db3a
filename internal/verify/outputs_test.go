package verify

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeOutputsJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeOutputsJSON(data)
	if err != nil {
		t.Fatalf("DecodeOutputsJSON: %v", err)
	}
	if want := goodOutputs(); !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeOutputsJSON(testdata/outputs.json):\n got %+v\nwant %+v", got, want)
	}
}

func TestDecodeOutputs(t *testing.T) {
	tests := []struct {
		name    string
		raw     map[string]any
		want    Outputs
		wantErr string // substring; "" = no error
	}{
		{
			name: "bare values as encoding/json decodes them",
			raw: map[string]any{
				"vpc_id":               "vpc-1",
				"app_port":             float64(8080),
				"asg_max_size":         json.Number("3"),
				"availability_zones":   []any{"us-east-1a", "us-east-1b"},
				"public_subnet_ids":    map[string]any{"us-east-1a": "subnet-a"},
				"ssh_authorized_cidrs": []any{},
				"unknown_output":       map[string]any{"x": 1.0},
			},
			want: Outputs{VPCID: "vpc-1", AppPort: 8080, ASGMaxSize: 3,
				AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
				PublicSubnetIDs:   map[string]string{"us-east-1a": "subnet-a"}, SSHAuthorizedCIDRs: []string{}},
		},
		{
			name: "terraform output -json wrappers",
			raw: map[string]any{
				"vpc_id":       map[string]any{"sensitive": false, "type": "string", "value": "vpc-2"},
				"asg_min_size": map[string]any{"sensitive": false, "type": "number", "value": float64(2)},
				"nat_gateway_ids": map[string]any{"sensitive": false, "type": []any{"map", "string"},
					"value": map[string]any{"us-east-1a": "nat-a", "us-east-1b": "nat-b"}},
			},
			want: Outputs{VPCID: "vpc-2", ASGMinSize: 2,
				NATGatewayIDs: map[string]string{"us-east-1a": "nat-a", "us-east-1b": "nat-b"}},
		},
		{
			name: "a map output whose keys look like a wrapper is not unwrapped",
			raw:  map[string]any{"vpc_endpoint_ids": map[string]any{"value": "vpce-1", "type": "vpce-2", "s3": "vpce-3"}},
			want: Outputs{VPCEndpointIDs: map[string]string{"value": "vpce-1", "type": "vpce-2", "s3": "vpce-3"}},
		},
		{
			name: "null values leave fields empty",
			raw:  map[string]any{"vpc_id": nil, "app_port": map[string]any{"type": "number", "value": nil}},
			want: Outputs{},
		},
		{
			name: "feature outputs, null when the feature is off",
			raw: map[string]any{
				"database_instance_id": map[string]any{"sensitive": false, "type": "string", "value": "ec2stack-prod-db"},
				"database_replica_id":  map[string]any{"sensitive": false, "type": "string", "value": nil},
				"data_kms_key_arn":     "arn:aws:kms:us-east-1:1:key/d",
				"sns_kms_key_arn":      nil,
				"sns_topic_arn":        "arn:aws:sns:us-east-1:1:alerts",
				"alarm_names": map[string]any{"sensitive": false, "type": []any{"map", "string"},
					"value": map[string]any{"cpu_warning": "ec2stack-prod-cpu-warning"}},
				"dashboard_name":             "ec2stack-prod",
				"backup_vault_name":          nil,
				"backup_plan_id":             map[string]any{"type": "string", "value": nil},
				"alb_logs_bucket":            "alb-logs",
				"cloudfront_logs_bucket":     nil,
				"cloudfront_distribution_id": "",
				"cloudfront_web_acl_arn":     nil,
				"regional_web_acl_arn":       "arn:aws:wafv2:us-east-1:1:regional/webacl/a/b",
				"hosted_zone_id":             nil,
				"fqdn":                       "app.example.com",
			},
			want: Outputs{DatabaseInstanceID: "ec2stack-prod-db", DataKMSKeyARN: "arn:aws:kms:us-east-1:1:key/d",
				SNSTopicARN: "arn:aws:sns:us-east-1:1:alerts", AlarmNames: map[string]string{"cpu_warning": "ec2stack-prod-cpu-warning"},
				DashboardName: "ec2stack-prod", ALBLogsBucket: "alb-logs",
				RegionalWebACLARN: "arn:aws:wafv2:us-east-1:1:regional/webacl/a/b", FQDN: "app.example.com"},
		},
		{name: "null map output", raw: map[string]any{"alarm_names": nil}, want: Outputs{}},
		{name: "string for number field is parsed", raw: map[string]any{"app_port": "8080"}, want: Outputs{AppPort: 8080}},
		{name: "number where a string is wanted", raw: map[string]any{"instance_type": 3.0}, want: Outputs{InstanceType: "3"}},
		{name: "fractional number", raw: map[string]any{"app_port": 8080.5}, wantErr: "decode output app_port: want a whole number, got 8080.5"},
		{name: "non-numeric string", raw: map[string]any{"database_port": "abc"}, wantErr: `decode output database_port: want a number, got "abc"`},
		{name: "list for string", raw: map[string]any{"vpc_id": []any{"a"}}, wantErr: "decode output vpc_id: want a string"},
		{name: "string for list", raw: map[string]any{"availability_zones": "us-east-1a"}, wantErr: "decode output availability_zones: want a list of strings"},
		{name: "bad list element", raw: map[string]any{"ssh_authorized_cidrs": []any{"10.0.0.0/8", []any{}}}, wantErr: "decode output ssh_authorized_cidrs: element 1"},
		{name: "list for map", raw: map[string]any{"private_subnet_ids": []any{"subnet-a"}}, wantErr: "decode output private_subnet_ids: want a map of strings"},
		{name: "bad map value", raw: map[string]any{"private_subnet_ids": map[string]any{"us-east-1a": map[string]any{}}}, wantErr: `decode output private_subnet_ids: key "us-east-1a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeOutputs(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodeOutputs error = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeOutputs: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeOutputs:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeOutputsJSONInvalid(t *testing.T) {
	if _, err := DecodeOutputsJSON([]byte("{")); err == nil || !strings.Contains(err.Error(), "decode terraform outputs") {
		t.Fatalf("DecodeOutputsJSON(invalid) error = %v", err)
	}
}
