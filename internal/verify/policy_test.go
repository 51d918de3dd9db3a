package verify

import "testing"

func TestPolicyParsing(t *testing.T) {
	for _, tt := range []struct {
		doc              string
		cloudwatch, deny bool
	}{
		{topicPolicy, true, false},
		{bucketPolicy, false, true},
		{`{"Statement":{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:*"}}`, true, false},
		{`{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Subscribe"}]}`, false, false},
		{`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`, false, true},
		{`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":["false"]}}}]}`, false, true},
		{`not json`, false, false},
		{``, false, false},
	} {
		if got := allowsService(tt.doc, "cloudwatch.amazonaws.com", "sns:Publish"); got != tt.cloudwatch {
			t.Errorf("allowsService(%s) = %t, want %t", tt.doc, got, tt.cloudwatch)
		}
		if got := deniesInsecureTransport(tt.doc); got != tt.deny {
			t.Errorf("deniesInsecureTransport(%s) = %t, want %t", tt.doc, got, tt.deny)
		}
	}
}
