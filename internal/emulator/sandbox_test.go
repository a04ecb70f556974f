package emulator

import (
	"archive/zip"
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
)

func sandboxURL(base, id string) string {
	return base + "/api/v1/sandbox/tasks/" + id + "/debug_report"
}

func TestSandboxAnswers(t *testing.T) {
	_, base := serve(t, Options{})
	tests := []struct {
		name, id   string
		setup      func(*http.Request)
		status     int
		ctype      string
		body       string // JSON, or exact text for text/plain
		zipEntries int    // >0: a ZIP with this many entries
	}{
		{name: "ok", id: TaskOK, setup: sandboxAuth, status: 200, ctype: "application/zip", zipEntries: 3},
		{name: "ok upper-case id", id: strings.ToUpper(TaskOK2), setup: sandboxAuth, status: 200, ctype: "application/zip", zipEntries: 3},
		{name: "no debug report", id: TaskNoDebugReport, setup: sandboxAuth, status: 400, ctype: "application/json",
			body: `{"code":4,"message":"task artifacts disabled for this task"}`},
		{name: "deleted", id: TaskDeleted, setup: sandboxAuth, status: 404, ctype: "application/json",
			body: `{"code":7,"message":"task deleted","meta":"task has already been deleted"}`},
		{name: "unknown", id: TaskUnknown, setup: sandboxAuth, status: 400, ctype: "application/json",
			body: `{"code":6,"message":"task not found"}`},
		{name: "malformed", id: "not-a-guid", setup: sandboxAuth, status: 400, ctype: "application/json",
			body: `{"code":29,"message":"bad task id"}`},
		{name: "braced guid is malformed", id: "{" + TaskOK + "}", setup: sandboxAuth, status: 400, ctype: "application/json",
			body: `{"code":29,"message":"bad task id"}`},
		{name: "server error", id: TaskServerError, setup: sandboxAuth, status: 500, ctype: "application/json",
			body: `{"code":1,"message":"internal server error"}`},
		{name: "text 200", id: TaskTextOK200, setup: sandboxAuth, status: 200, ctype: "text/plain; charset=utf-8",
			body: "error: report unavailable"},
		{name: "no credentials", id: TaskOK, status: 401, ctype: "application/json",
			body: `{"code":2,"message":"invalid user name or password"}`},
		{name: "wrong password", id: TaskOK, setup: func(r *http.Request) { r.SetBasicAuth(SandboxUser, "nope") }, status: 401, ctype: "application/json",
			body: `{"code":2,"message":"invalid user name or password"}`},
		{name: "auth before id check", id: "bad", status: 401, ctype: "application/json",
			body: `{"code":2,"message":"invalid user name or password"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "GET", sandboxURL(base, tt.id), "", tt.setup)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", a.status, tt.status, a.body)
			}
			if ct := a.header.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			switch {
			case tt.zipEntries > 0:
				if n := len(zipNames(t, a.body)); n != tt.zipEntries {
					t.Errorf("%d entries, want %d", n, tt.zipEntries)
				}
				cd := a.header.Get("Content-Disposition")
				if want := `attachment; filename="debug_report_` + strings.ToLower(tt.id) + `.zip"`; cd != want {
					t.Errorf("Content-Disposition = %q, want %q", cd, want)
				}
				for _, h := range []string{"Accept-Ranges", "ETag", "Last-Modified", "Content-Length"} {
					if a.header.Get(h) == "" {
						t.Errorf("no %s header", h)
					}
				}
			case strings.HasPrefix(tt.ctype, "text/"):
				if string(a.body) != tt.body {
					t.Errorf("body = %q, want %q", a.body, tt.body)
				}
			default:
				jsonEqual(t, a.body, tt.body)
			}
			if tt.status == 401 && a.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestSandboxRoutes(t *testing.T) {
	_, base := serve(t, Options{})
	if a := call(t, "POST", sandboxURL(base, TaskOK), "", sandboxAuth); a.status != 405 || a.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d Allow %q", a.status, a.header.Get("Allow"))
	}
	for _, p := range []string{"/api/v1/sandbox/tasks/" + TaskOK, "/api/v1/sandbox/tasks/" + TaskOK + "/report", "/api/v1/sandbox/tasks//debug_report", "/nowhere"} {
		if a := call(t, "GET", base+p, "", sandboxAuth); a.status != 404 {
			t.Errorf("GET %s: %d, want 404", p, a.status)
		}
	}
	a := call(t, "HEAD", sandboxURL(base, TaskOK), "", sandboxAuth)
	if a.status != 200 || len(a.body) != 0 || a.header.Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q", a.status, len(a.body), a.header.Get("Content-Length"))
	}
}

func TestSandboxHostileArchives(t *testing.T) {
	_, base := serve(t, Options{})

	a := call(t, "GET", sandboxURL(base, TaskZipSlip), "", sandboxAuth)
	if names := zipNames(t, a.body); !contains(names, "../evil.txt") {
		t.Errorf("zip slip entries %q lack ../evil.txt", names)
	}

	a = call(t, "GET", sandboxURL(base, TaskSymlink), "", sandboxAuth)
	zr, err := zip.NewReader(bytes.NewReader(a.body), int64(len(a.body)))
	if err != nil {
		t.Fatal(err)
	}
	links := 0
	for _, f := range zr.File {
		if f.Mode()&os.ModeSymlink != 0 {
			links++
		}
	}
	if links != 1 {
		t.Errorf("%d symlink entries, want 1", links)
	}

	a = call(t, "GET", sandboxURL(base, TaskEvilName), "", sandboxAuth)
	if cd := a.header.Get("Content-Disposition"); cd != `attachment; filename="../../etc/evil.zip"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	zipNames(t, a.body)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
