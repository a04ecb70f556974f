package radar

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// FuzzDecodeError: any error body, status and Retry-After gives an error
// whose message is safe for a terminal, with a hint and a documented exit
// status; never a panic.
func FuzzDecodeError(f *testing.F) {
	f.Add(400, `{"error":"missing report id","error_code":400}`, "")
	f.Add(429, `{"error":"Too Many Requests","error_code":429}`, "2")
	f.Add(503, `<html>`, "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(404, `{"error":"report not found\u001b[2J"}`, "-1")
	f.Add(500, "\xff\xfe\x00", "99999999999999999999")
	f.Fuzz(func(t *testing.T, status int, body, retryAfter string) {
		if status < 400 || status > 599 {
			return
		}
		req := httptest.NewRequest(http.MethodPost, "https://radar.example:9000"+CreatePath, nil)
		resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}}, Request: req}
		e := DecodeError(resp, []byte(body))
		e.Status = status
		if !safetext.IsSafe(e.Message) || !safetext.IsSafe(e.Next) {
			t.Fatalf("unsafe text: %q / %q", e.Message, e.Next)
		}
		switch code := e.ExitCode(); code {
		case exit.Auth, exit.NotFound, exit.Rejected, exit.Service:
		default:
			t.Fatalf("status %d: exit %d", status, code)
		}
	})
}
