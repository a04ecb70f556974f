package sandbox

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

func TestValidTaskID(t *testing.T) {
	for id, ok := range map[string]bool{
		"3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b":          true,
		"3F2B8C1E-9A4D-4E6F-8B2A-1C5D7E9F0A3B":          true,
		"{3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b}":        true,
		"3f2b8c1e9a4d4e6f8b2a1c5d7e9f0a3b":              false,
		"urn:uuid:3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b": false,
		"3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3":           false,
		"":                                              false,
		"../../etc/passwd":                              false,
	} {
		err := ValidTaskID(id)
		if (err == nil) != ok {
			t.Errorf("ValidTaskID(%q) = %v, want ok=%v", id, err, ok)
		}
		if err != nil && exit.Code(err) != exit.Usage {
			t.Errorf("ValidTaskID(%q): exit %d, want 2", id, exit.Code(err))
		}
	}
}

func TestDebugReportRequest(t *testing.T) {
	base, _ := url.Parse("https://sandbox.example:8443/prefix")
	c, err := httpx.New(httpx.Options{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	req, err := DebugReportRequest(context.Background(), c, "{3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b}")
	if err != nil {
		t.Fatal(err)
	}
	want := "https://sandbox.example:8443/prefix/api/v1/sandbox/tasks/3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b/debug_report"
	if req.URL.String() != want || req.Method != http.MethodGet {
		t.Errorf("got %s %s, want GET %s", req.Method, req.URL, want)
	}
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		wantExit int
		wantCode string
		wantHint string
	}{
		{400, `{ "code": 4,"message": "task artifacts disabled for this task"}`, exit.Rejected, "4", "debug_report=true"},
		{400, `{"code":6,"message":"task not found"}`, exit.NotFound, "6", "task ID"},
		{404, `{"code":7,"message":"task deleted","meta":"task has already been deleted"}`, exit.NotFound, "7", "deleted"},
		{400, `{"code":"29","message":"bad task id"}`, exit.Rejected, "29", "GUID"},
		{401, ``, exit.Auth, "", "user and password"},
		{500, `oops`, exit.Service, "", ""},
	}
	for _, tt := range tests {
		resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
		e := DecodeError(resp, []byte(tt.body))
		e.Status = tt.status
		if e.ExitCode() != tt.wantExit || e.Code != tt.wantCode || !strings.Contains(e.Next, tt.wantHint) {
			t.Errorf("%d %s: exit %d code %q hint %q", tt.status, tt.body, e.ExitCode(), e.Code, e.Next)
		}
	}
}
