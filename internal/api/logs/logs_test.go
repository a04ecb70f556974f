package logs

import (
	"net/http"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

func TestEndpoint(t *testing.T) {
	t.Parallel()
	u, err := Endpoint("", "cn-north-4")
	if err != nil || u.String() != "https://codearts-check.cn-north-4.myhuaweicloud.com" {
		t.Errorf("region: %v %v", u, err)
	}
	u, err = Endpoint("http://127.0.0.1:9/", "cn-north-4")
	if err != nil || u.String() != "http://127.0.0.1:9" {
		t.Errorf("endpoint wins: %v %v", u, err)
	}
	for _, bad := range []string{"", "CN-NORTH-4", "cn north", "cn-north-4.evil.com/"} {
		if _, err := Endpoint("", bad); exit.Code(err) != exit.Usage {
			t.Errorf("region %q: %v", bad, err)
		}
	}
}

func TestDecodeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		body      string
		wantExit  int
		retryable bool
		hint      string
	}{
		{401, `{"error_code":"CC.00000003","error_msg":"Authentication information expired."}`, exit.Auth, false, "DIAGCTL_LOGS_TOKEN"},
		{400, `{"error_code":"CC.xxxxxxxx.400","error_msg":"Verify request parameter failed."}`, exit.Rejected, false, "sub-job"},
		{200, `{"error_code":"CC.00050012","error_msg":"retry later"}`, exit.Service, true, "busy"},
		{500, `{"error_code":"CC.00000000","error_msg":"network busy"}`, exit.Service, true, "busy"},
		{401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`, exit.Auth, false, "token"},
	}
	for _, tt := range tests {
		e := DecodeError(&http.Response{StatusCode: tt.status}, []byte(tt.body))
		e.Status = tt.status
		if e.ExitCode() != tt.wantExit || e.Retryable != tt.retryable || !strings.Contains(e.Next, tt.hint) {
			t.Errorf("%s: exit %d retryable %v hint %q", tt.body, e.ExitCode(), e.Retryable, e.Next)
		}
	}
}

func TestValidSubJobID(t *testing.T) {
	t.Parallel()
	if ValidSubJobID("a777ff00d3cf4d369d87066806aeXXXX") != nil {
		t.Error("valid id refused")
	}
	for _, bad := range []string{"", "a777ff00d3cf4d369d87066806aeXXX", "a777ff00d3cf4d369d87066806aeXXXXX", "a777ff00d3cf4d369d87066806ae-XXX", "a777ff00d3cf4d369d87066806aeXXX\n"} {
		if exit.Code(ValidSubJobID(bad)) != exit.Usage {
			t.Errorf("%q accepted", bad)
		}
	}
}
