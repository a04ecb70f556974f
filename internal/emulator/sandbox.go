package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// Kaspersky Research Sandbox:
//
//	GET /api/v1/sandbox/tasks/{task_id}/debug_report    (HTTP Basic)
//
// Errors are JSON {"code": int, "message": str, "meta": str?}. The codes 4,
// 6, 7 and 29 are the vendor's; the codes of the 401 (2), 405 and 500 (1)
// and 503 (3) bodies are not documented and are the emulator's own.

type sandboxError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Meta    string `json:"meta,omitempty"`
}

func sandboxErr(w http.ResponseWriter, status, code int, msg, meta string) {
	writeJSON(w, status, "application/json", sandboxError{Code: code, Message: msg, Meta: meta})
}

func (e *Emulator) serveSandbox(w http.ResponseWriter, r *http.Request) {
	rest, _ := strings.CutPrefix(r.URL.Path, "/api/v1/sandbox/tasks/")
	id, ok := strings.CutSuffix(rest, "/debug_report")
	if !ok || rest == r.URL.Path || strings.Contains(id, "/") || id == "" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		sandboxErr(w, http.StatusMethodNotAllowed, 1, "method not allowed", "")
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(SandboxUser)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(SandboxPassword)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="Kaspersky Research Sandbox"`)
		sandboxErr(w, http.StatusUnauthorized, 2, "invalid user name or password", "")
		return
	}
	if !isUUID(id) {
		sandboxErr(w, http.StatusBadRequest, 29, "bad task id", "")
		return
	}
	id = strings.ToLower(id) // a GUID is a number: its case does not matter
	if size, fk, serial, ok := familyMember(id); ok {
		e.serveFamily(w, r, id, size, fk, serial)
		return
	}
	key := "sandbox/" + id
	k := lookup(sandboxFixtures, id)
	switch k {
	case kindUnknown:
		sandboxErr(w, http.StatusBadRequest, 6, "task not found", "")
		return
	case kindNoReport:
		sandboxErr(w, http.StatusBadRequest, 4, "task artifacts disabled for this task", "")
		return
	case kindDeleted:
		sandboxErr(w, http.StatusNotFound, 7, "task deleted", "task has already been deleted")
		return
	case kindServerError:
		sandboxErr(w, http.StatusInternalServerError, 1, "internal server error", "")
		return
	case kindTextOK200:
		// The vendor page: "on error the archive is empty but for a text
		// file with the message"; some builds send the text itself, as 200.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("error: report unavailable"))
		return
	}

	p, unavailable := e.faultFor(key, k, r)
	if unavailable {
		w.Header().Set("Retry-After", "1")
		sandboxErr(w, http.StatusServiceUnavailable, 3, "service temporarily unavailable", "")
		return
	}
	filename := "debug_report_" + id + ".zip"
	var a *archive
	switch k {
	case kindBig:
		a = e.bigArchive(filename)
	case kindEvilName:
		a = e.archive(key, func() *archive {
			return newArchive(fixtureZip("sandbox", id, k), "application/zip", "../../etc/evil.zip")
		})
	default:
		a = e.archive(key, func() *archive {
			a := newArchive(fixtureZip("sandbox", id, k), "application/zip", filename)
			a.ranges = k != kindDropNoRange
			return a
		})
	}
	serveArchive(w, r, a, p)
}
