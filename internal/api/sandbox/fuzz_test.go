package sandbox

import (
	"net/http"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// FuzzDecodeError: any answer the sandbox sends (status, body) gives an
// error with a documented exit status and text that is safe to print on
// a terminal; never a panic.
func FuzzDecodeError(f *testing.F) {
	f.Add(400, `{"code":4,"message":"task artifacts disabled for this task"}`)
	f.Add(404, `{"code":7,"message":"task deleted","meta":"task has already been deleted"}`)
	f.Add(400, `{"code":"29","message":"bad task id"}`)
	f.Add(401, `{"code":2,"message":"invalid user name or password"}`)
	f.Add(200, "error: report unavailable")
	f.Add(200, "\x1b]52;c;ZXZpbA==\x07\x1b[2J fake prompt $ ")
	f.Add(500, `{"code":1,"message":"\u001b[31mred\u202e"}`)
	f.Add(503, "\xff\xfe")
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
