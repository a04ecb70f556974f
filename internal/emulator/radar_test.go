package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func radarBody(interval, instance, report string) string {
	return `{"interval":"` + interval + `","instance":"` + instance + `","report_id":"` + report + `"}`
}

func radarUser(r *http.Request) {
	r.Header.Set("Pgr-User-Id", RadarUserID)
	r.Header.Set("Content-Type", "application/json")
}

func TestRadarAnswers(t *testing.T) {
	e, base := serve(t, Options{})
	url := base + radarPath
	good := radarBody("* 0 1 1 1", RadarInstanceID, RadarReportID)
	tests := []struct {
		name, body string
		setup      func(*http.Request)
		status     int
		msg        string
	}{
		{"missing uid", good, nil, 400, "missing uid header"},
		{"uid not uuid", good, withHeaders("Pgr-User-Id", "alice"), 400, "Pgr-User-Id should be uuid format"},
		{"bad JSON", "{", radarUser, 400, "Bad Request"},
		{"wrong type", `{"interval":5}`, radarUser, 400, "Bad Request"},
		{"missing report", radarBody("* 0 1 1 1", RadarInstanceID, ""), radarUser, 400, "missing report id"},
		{"report not uuid", radarBody("* 0 1 1 1", RadarInstanceID, "weekly"), radarUser, 400, "report id should be uuid format"},
		{"missing instance", radarBody("* 0 1 1 1", "", RadarReportID), radarUser, 400, "missing instance for report generate task"},
		{"instance not uuid", radarBody("* 0 1 1 1", "main", RadarReportID), radarUser, 400, "instance id should be uuid format"},
		{"missing interval", radarBody("", RadarInstanceID, RadarReportID), radarUser, 400, "missing mandatory field: interval"},
		{"four fields", radarBody("0 1 1 1", RadarInstanceID, RadarReportID), radarUser, 400, "invalid interval format"},
		{"six fields", radarBody("0 0 1 1 1 *", RadarInstanceID, RadarReportID), radarUser, 400, "invalid interval format"},
		{"unknown report", radarBody("* 0 1 1 1", RadarInstanceID, TaskUnknown), radarUser, 404, "report not found"},
		{"server error", radarBody("* 0 1 1 1", RadarInstanceID, RadarReportServerError), radarUser, 500, "Internal Server Error"},
		{"lower-case header name", good, withHeaders("pgr-user-id", "0d7c3d3e-0a4f-4f55-8c1e-0f6f2d5b9a01"), 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "POST", url, tt.body, tt.setup)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", a.status, tt.status, a.body)
			}
			if tt.msg != "" {
				jsonEqual(t, a.body, `{"error":"`+tt.msg+`","error_code":`+itoa(tt.status)+`}`)
			}
		})
	}
	if n := len(e.ReportTasks()); n != 1 {
		t.Errorf("%d tasks stored, want 1 (only the 201)", n)
	}
}

func TestRadarCreate(t *testing.T) {
	e, base := serve(t, Options{})
	a := call(t, "POST", base+radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportID), radarUser)
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var task ReportTask
	decode(t, a.body, &task)
	if !isUUID(task.ID) || task.Interval != "0 6 * * 1" || task.Instance != RadarInstanceID || task.ReportID != RadarReportID ||
		task.CreatedAt == "" || task.UpdatedAt == "" || task.Report == nil || task.Report.Name != RadarReportName ||
		task.Report.Task == nil || task.Report.Task.ID != task.ID {
		t.Errorf("task = %s", a.body)
	}
	a2 := call(t, "POST", base+radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportID), radarUser)
	var task2 ReportTask
	decode(t, a2.body, &task2)
	if task2.ID == task.ID {
		t.Error("two POSTs gave the same task id")
	}
	if got := e.ReportTasks(); len(got) != 2 || got[0].ID != task.ID {
		t.Errorf("stored tasks = %+v", got)
	}
	posts := 0
	for _, r := range e.Received() {
		if r.Method == "POST" && r.Path == radarPath {
			posts++
			if !strings.Contains(string(r.Body), `"report_id"`) {
				t.Errorf("body not logged: %q", r.Body)
			}
		}
	}
	if posts != 2 {
		t.Errorf("%d POSTs logged, want 2", posts)
	}
}

func TestRadarAPIKey(t *testing.T) {
	_, base := serve(t, Options{RadarAPIKey: RadarDemoAPIKey})
	body := radarBody("0 6 * * 1", RadarInstanceID, RadarReportID)
	if a := call(t, "POST", base+radarPath, body, radarUser); a.status != 401 {
		t.Errorf("without key: %d %s", a.status, a.body)
	}
	a := call(t, "POST", base+radarPath, body, func(r *http.Request) {
		radarUser(r)
		r.Header.Set("PgrApiKey", RadarDemoAPIKey)
	})
	if a.status != 201 {
		t.Errorf("with key: %d %s", a.status, a.body)
	}
}

// RadarReportDrop creates the task, then the client gets no answer.
func TestRadarDrop(t *testing.T) {
	e, base := serve(t, Options{})
	req, _ := http.NewRequestWithContext(context.Background(), "POST", base+radarPath,
		strings.NewReader(radarBody("0 6 * * 1", RadarInstanceID, RadarReportDrop)))
	radarUser(req)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer: %d", resp.StatusCode)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") {
		t.Logf("error: %v", err)
	}
	if n := len(e.ReportTasks()); n != 1 {
		t.Errorf("%d tasks, want 1", n)
	}
}

func TestRadarMethod(t *testing.T) {
	_, base := serve(t, Options{})
	if a := call(t, "GET", base+radarPath, "", radarUser); a.status != 405 {
		t.Errorf("GET: %d", a.status)
	}
}
