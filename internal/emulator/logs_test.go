package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func logsURL(base, id string) string { return base + "/v1/log-file?sub_job_id=" + id }

func logsAuth(r *http.Request) { r.Header.Set("X-Auth-Token", LogsToken) }

func TestLogsAnswers(t *testing.T) {
	_, base := serve(t, Options{})
	const paramMsg = "Verify request parameter failed. Check whether the request parameters are correct."
	tests := []struct {
		name, id    string
		setup       func(*http.Request)
		status      int
		ctype       string
		disposition string // "-" for none
		code        string // error_code, when the body is an error
		msg         string // error_msg, when it matters
	}{
		{name: "ok zip", id: SubJobOK, setup: logsAuth, status: 200, ctype: "application/zip", disposition: `attachment; filename="logs_` + SubJobOK + `.zip"`},
		{name: "ok octet-stream", id: SubJobOK2, setup: logsAuth, status: 200, ctype: "application/octet-stream", disposition: `attachment; filename="logs_` + SubJobOK2 + `.zip"`},
		{name: "ok no name", id: SubJobOK3, setup: logsAuth, status: 200, ctype: "application/octet-stream", disposition: "-"},
		{name: "evil name", id: SubJobEvilName, setup: logsAuth, status: 200, ctype: "application/octet-stream", disposition: `attachment; filename="../../etc/evil.zip"`},
		{name: "200 with error", id: SubJob200Error, setup: logsAuth, status: 200, ctype: "application/json;charset=UTF-8", code: "CC.00050001"},
		{name: "malformed", id: "short", setup: logsAuth, status: 400, code: "CC.00000001.400", msg: paramMsg},
		{name: "malformed chars", id: strings.Repeat("-", 32), setup: logsAuth, status: 400, code: "CC.00000001.400", msg: paramMsg},
		{name: "missing", id: "", setup: logsAuth, status: 400, code: "CC.00000001.400", msg: paramMsg},
		{name: "unknown", id: SubJobUnknown, setup: logsAuth, status: 400, code: "CC.00000001.400", msg: logsNotFoundMsg},
		{name: "expired token", id: SubJobOK, setup: withHeaders("X-Auth-Token", LogsExpiredToken), status: 401, code: "CC.00000003", msg: "Authentication information expired."},
		{name: "no token", id: SubJobOK, status: 401, code: "APIGW.0301"},
		{name: "wrong token", id: SubJobOK, setup: withHeaders("X-Auth-Token", "MIISwrong"), status: 401, code: "APIGW.0301"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "GET", logsURL(base, tt.id), "", tt.setup)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", a.status, tt.status, a.body)
			}
			if a.header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
			if tt.code != "" {
				if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Content-Type = %q", ct)
				}
				var body struct {
					Code string `json:"error_code"`
					Msg  string `json:"error_msg"`
				}
				decode(t, a.body, &body)
				if body.Code != tt.code || (tt.msg != "" && body.Msg != tt.msg) || body.Msg == "" {
					t.Errorf("body = %s, want code %s msg %q", a.body, tt.code, tt.msg)
				}
				return
			}
			if ct := a.header.Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", ct, tt.ctype)
			}
			cd := a.header.Get("Content-Disposition")
			if tt.disposition == "-" && cd != "" || tt.disposition != "-" && cd != tt.disposition {
				t.Errorf("Content-Disposition = %q, want %q", cd, tt.disposition)
			}
			if n := len(zipNames(t, a.body)); n != 3 {
				t.Errorf("%d entries, want 3", n)
			}
		})
	}
}

// The intermittent answers follow a fixed cycle so tests can count on it.
func TestLogsIntermittent(t *testing.T) {
	_, base := serve(t, Options{})
	cycle := func(id string, want []int, errCode string) {
		t.Helper()
		for i, w := range want {
			a := call(t, "GET", logsURL(base, id), "", logsAuth)
			isErr := strings.HasPrefix(a.header.Get("Content-Type"), "application/json")
			if a.status != w || isErr != (errCode != "" && i%len(want) != len(want)-1) {
				t.Fatalf("%s request %d: %d %s", id, i+1, a.status, a.body)
			}
			if isErr && !strings.Contains(string(a.body), errCode) {
				t.Errorf("%s request %d: body %s lacks %s", id, i+1, a.body, errCode)
			}
			if !isErr {
				zipNames(t, a.body)
			}
		}
	}
	cycle(SubJobBusy, []int{200, 200, 200}, "CC.00050012")
	cycle(SubJobBusy, []int{200, 200, 200}, "CC.00050012")
	cycle(SubJobNetBusy, []int{500, 200}, "CC.00000000")
	cycle(SubJobNetBusy, []int{500, 200}, "CC.00000000")
	cycle(SubJob503, []int{503, 503, 200}, "CC.00000000")
}

// A 100,000-character token (the documented maximum) arrives intact.
func TestLogsLongToken(t *testing.T) {
	token := "MIIS" + strings.Repeat("x", 100000-4)
	e, base := serve(t, Options{LogsToken: token})
	a := call(t, "GET", logsURL(base, SubJobOK), "", withHeaders("X-Auth-Token", token))
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	got := e.Received()
	if len(got) != 1 || got[0].Header.Get("X-Auth-Token") != token {
		t.Fatalf("token not logged intact (%d requests)", len(got))
	}
	if got[0].Header.Get("Authorization") != "" {
		t.Error("an Authorization header was sent")
	}
	if a := call(t, "GET", logsURL(base, SubJobOK), "", logsAuth); a.status != 401 {
		t.Errorf("the default token still works when another is set: %d", a.status)
	}
}

func TestLogsWrongMethod(t *testing.T) {
	_, base := serve(t, Options{})
	a := call(t, "POST", logsURL(base, SubJobOK), "", logsAuth)
	if a.status != 404 || !strings.Contains(string(a.body), "APIGW.0101") {
		t.Errorf("POST: %d %s", a.status, a.body)
	}
}
