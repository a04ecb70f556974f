package logs

import (
	"net/http"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// FuzzDecodeError: any CodeArts Check answer (status, body) gives an
// error with a documented exit status and text that is safe to print on
// a terminal; never a panic.
func FuzzDecodeError(f *testing.F) {
	f.Add(200, `{"error_code":"CC.00050001","error_msg":"log file not ready"}`)
	f.Add(200, `{"error_code":"CC.00050012","error_msg":"try again later"}`)
	f.Add(401, `{"error_code":"CC.00000003","error_msg":"token expired"}`)
	f.Add(401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`)
	f.Add(400, `{"error_code":"CC.00000001.400","error_msg":"bad sub_job_id"}`)
	f.Add(500, `{"error_code":"CC.00000000","error_msg":"network busy\u001b[2J"}`)
	f.Add(200, "\x1b]0;title\x07")
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			return
		}
		e := DecodeError(&http.Response{StatusCode: status}, []byte(body))
		e.Status = status
		// The message and code stay the server's words (--json shows them
		// exact; every text printer escapes them); the hint is diagctl's
		// own and must be safe as it is.
		if !safetext.IsSafe(e.Next) {
			t.Fatalf("unsafe hint: %q", e.Next)
		}
		switch code := e.ExitCode(); code {
		case exit.Auth, exit.NotFound, exit.Rejected, exit.Service:
		default:
			t.Fatalf("status %d: exit %d", status, code)
		}
	})
}
