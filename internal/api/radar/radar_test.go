package radar

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"radar.example":               "https://radar.example:9000",
		"radar.example:8443":          "https://radar.example:8443",
		"10.0.0.5":                    "https://10.0.0.5:9000",
		"[::1]":                       "https://[::1]:9000",
		"https://radar.example":       "https://radar.example",
		"http://127.0.0.1:8080/base/": "http://127.0.0.1:8080/base",
	} {
		u, err := BaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("BaseURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, in := range []string{"", "ftp://radar.example", "https://user:pw@radar.example"} {
		if _, err := BaseURL(in); exit.Code(err) != exit.Usage {
			t.Errorf("BaseURL(%q): %v, want a usage error", in, err)
		}
	}
}

func TestValidUUID(t *testing.T) {
	for _, ok := range []string{"868cf2e9-bd6d-4bac-96ba-2b08120d8cf9", "868CF2E9-BD6D-4BAC-96BA-2B08120D8CF9"} {
		if ValidUUID(ok) != nil {
			t.Errorf("%s refused", ok)
		}
	}
	for _, bad := range []string{"", "868cf2e9", "{868cf2e9-bd6d-4bac-96ba-2b08120d8cf9}", "868cf2e9bd6d4bac96ba2b08120d8cf9",
		"urn:uuid:868cf2e9-bd6d-4bac-96ba-2b08120d8cf9", "868cf2e9-bd6d-4bac-96ba-2b08120d8cfz"} {
		if ValidUUID(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestDecodeError: each status to its exit status and hint; the text
// as the service gave it, control characters escaped.
func TestDecodeError(t *testing.T) {
	tests := []struct {
		status   int
		path     string
		body     string
		after    string
		wantExit int
		wantMsg  string
		wantNext string
	}{
		{400, CreatePath, `{"error":"missing report id","error_code":400}`, "", exit.Rejected, "missing report id", "check --report-id"},
		{400, CreatePath, `{"error":"invalid interval format","error_code":400}`, "", exit.Rejected, "invalid interval format", "check --interval"},
		{400, CreatePath, `{"error":"Pgr-User-Id should be uuid format","error_code":400}`, "", exit.Rejected, "Pgr-User-Id should be uuid format", "set the user id"},
		{400, CreatePath, `{"error":"something new\u001b[2J","error_code":400}`, "", exit.Rejected, `something new\e[2J`, "fix what the message names"},
		{401, CreatePath, `{"error":"invalid api key","error_code":401}`, "", exit.Auth, "invalid api key", "check the user id"},
		{403, UpdatePath, `{"error":"Forbidden"}`, "", exit.Auth, "Forbidden", "and the API key"},
		{404, CreatePath, `{"error":"report not found","error_code":404}`, "", exit.NotFound, "report not found", "check --report-id"},
		{404, UpdatePath, `{"error":"task not found","error_code":404}`, "", exit.NotFound, "task not found", "check TASK_ID"},
		{429, CreatePath, `{"error":"Too Many Requests"}`, "7", exit.Rejected, "Too Many Requests", "try again in 7 s"},
		{503, CreatePath, `<html>busy</html>`, "", exit.Service, "<html>busy</html>", "try again in a minute"},
		{500, CreatePath, `{"error":"Internal Server Error","error_code":500}`, "", exit.Service, "Internal Server Error", "has not got a new periodic task"},
		{500, UpdatePath, `{"error":"Internal Server Error","error_code":500}`, "", exit.Service, "Internal Server Error", "try again later"},
		{502, CreatePath, ``, "", exit.Service, "", "whether Radar acted is unknown"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodPost, "https://radar.example:9000"+tt.path, nil)
		resp := &http.Response{StatusCode: tt.status, Header: http.Header{}, Request: req}
		if tt.after != "" {
			resp.Header.Set("Retry-After", tt.after)
		}
		e := DecodeError(resp, []byte(tt.body))
		if e.Exit != tt.wantExit || e.Message != tt.wantMsg || !strings.Contains(e.Next, tt.wantNext) {
			t.Errorf("%d %s %s: exit %d, message %q, next %q", tt.status, tt.path, tt.body, e.Exit, e.Message, e.Next)
		}
	}
}

func client(t *testing.T, url, apiKey string, retries int) *httpx.Client {
	t.Helper()
	base, err := BaseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c, err := httpx.New(httpx.Options{
		Service: Service.Name, Base: base, Retries: retries,
		Auth: Service.NewAuth("", apiKey), DecodeError: DecodeError,
		Backoff: httpx.Backoff{Sleep: httpx.NoSleep},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func create(t *testing.T, c *httpx.Client, reportID string) (*Result, error) {
	t.Helper()
	req, err := CreateRequest(context.Background(), c, emulator.RadarUserID, CreateBody{Interval: "0 6 * * 1", Instance: emulator.RadarInstanceID, ReportID: reportID})
	if err != nil {
		t.Fatal(err)
	}
	return Create(c, req, reportID)
}

func update(t *testing.T, c *httpx.Client, taskID string) (*Result, error) {
	t.Helper()
	req, err := UpdateRequest(context.Background(), c, emulator.RadarUserID, UpdateBody{ID: taskID, Interval: "0 7 * * 1-5", Instance: emulator.RadarInstanceID})
	if err != nil {
		t.Fatal(err)
	}
	return Update(c, req, taskID)
}

// TestCreateAgainstEmulator: the body, headers and answer of a create;
// the key only when set.
func TestCreateAgainstEmulator(t *testing.T) {
	srv := startEmulator(t, emulator.Options{RadarAPIKey: emulator.RadarDemoAPIKey})
	res, err := create(t, client(t, srv.URL, emulator.RadarDemoAPIKey, 3), emulator.RadarReportID)
	if err != nil {
		t.Fatal(err)
	}
	stored, ok := srv.ReportTask(res.Task.ID)
	if !ok || res.Status != http.StatusCreated || res.Task.Report == nil || res.Task.Report.Name != emulator.RadarReportName || stored.Interval != "0 6 * * 1" {
		t.Errorf("result %+v, stored %+v", res, stored)
	}
	got := srv.RadarRequests()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	r := got[0]
	wantBody := `{"interval":"0 6 * * 1","instance":"` + emulator.RadarInstanceID + `","report_id":"` + emulator.RadarReportID + `"}`
	if r.Method != http.MethodPost || r.Path != CreatePath || string(r.Body) != wantBody ||
		r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Pgr-User-Id") != emulator.RadarUserID ||
		r.Header.Get("PgrApiKey") != emulator.RadarDemoAPIKey {
		t.Errorf("received %s %s %s %v", r.Method, r.Path, r.Body, r.Header)
	}

	_, err = create(t, client(t, srv.URL, "", 3), emulator.RadarReportID)
	if exit.Code(err) != exit.Auth {
		t.Errorf("without a key: %v", err)
	}
	if r := srv.RadarRequests()[1]; len(r.Header.Values("PgrApiKey")) != 0 {
		t.Errorf("a PgrApiKey header was sent without a key: %v", r.Header)
	}
}

// TestCreateNeverResent: a create that may have reached the service is
// sent once, whatever went wrong.
func TestCreateNeverResent(t *testing.T) {
	for _, tt := range []struct {
		report   string
		wantExit int
		unknown  bool
	}{
		{emulator.RadarReport503, exit.Service, false},
		{emulator.RadarReport429, exit.Rejected, false},
		{emulator.RadarReportServerError, exit.Service, false},
		{emulator.RadarReportDrop, exit.Service, true},
	} {
		srv := startEmulator(t, emulator.Options{})
		_, err := create(t, client(t, srv.URL, "", 3), tt.report)
		if exit.Code(err) != tt.wantExit {
			t.Errorf("%s: exit %d (%v), want %d", tt.report, exit.Code(err), err, tt.wantExit)
		}
		if n := len(srv.RadarRequests()); n != 1 {
			t.Errorf("%s: %d requests, want 1", tt.report, n)
		}
		if unknown := strings.Contains(exit.Hint(err), "may have been created"); unknown != tt.unknown {
			t.Errorf("%s: hint %q", tt.report, exit.Hint(err))
		}
	}
}

// TestUpdateRetried: an update is retried through 503s and 429s; a task
// created earlier can be updated.
func TestUpdateRetried(t *testing.T) {
	srv := startEmulator(t, emulator.Options{})
	c := client(t, srv.URL, "", 3)
	for _, id := range []string{emulator.RadarTask503, emulator.RadarTask429} {
		before := len(srv.RadarRequests())
		res, err := update(t, c, id)
		if err != nil || res.Task.Interval != "0 7 * * 1-5" {
			t.Fatalf("%s: %v %+v", id, err, res)
		}
		if n := len(srv.RadarRequests()) - before; n != 3 {
			t.Errorf("%s: %d requests, want 3", id, n)
		}
	}
	created, err := create(t, c, emulator.RadarReportID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := update(t, c, strings.ToUpper(created.Task.ID))
	if err != nil || res.Task.ID != created.Task.ID {
		t.Fatalf("update of a created task: %v %+v", err, res)
	}
	if _, err := update(t, c, emulator.RadarTaskUnknown); exit.Code(err) != exit.NotFound {
		t.Errorf("unknown task: %v", err)
	}
	_, err = update(t, c, emulator.RadarTaskDrop)
	if exit.Code(err) != exit.Service || !strings.Contains(exit.Hint(err), "safe to repeat") {
		t.Errorf("drop: %v / %s", err, exit.Hint(err))
	}
}

// TestGatewayAndBadAnswers: a 502 or 504 leaves the outcome unknown; a
// 2xx that is not a task is an error, not a result.
func TestGatewayAndBadAnswers(t *testing.T) {
	status, body := http.StatusBadGateway, "bad gateway"
	var hits int
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	defer ts.Close()
	c := client(t, ts.URL, "", 3)
	for _, s := range []int{http.StatusBadGateway, http.StatusGatewayTimeout} {
		status, hits = s, 0
		_, err := create(t, c, emulator.RadarReportID)
		if exit.Code(err) != exit.Service || !strings.Contains(err.Error(), "outcome is unknown") || !strings.Contains(exit.Hint(err), "may have been created") || hits != 1 {
			t.Errorf("%d: %v / %s (%d requests)", s, err, exit.Hint(err), hits)
		}
	}
	status, body = http.StatusCreated, "<html>ok</html>"
	_, err := create(t, c, emulator.RadarReportID)
	var ae *httpx.APIError
	if exit.Code(err) != exit.Service || errors.As(err, &ae) || !strings.Contains(err.Error(), "not a task") {
		t.Errorf("non-task 201: %v", err)
	}
}

func startEmulator(t *testing.T, o emulator.Options) *emulator.Server {
	t.Helper()
	srv, err := emulator.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}
