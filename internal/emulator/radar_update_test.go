package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func updateBody(id, interval, instance string) string {
	return `{"id":"` + id + `","interval":"` + interval + `","instance":"` + instance + `"}`
}

const otherInstance = "0b8e3c57-55f4-4e0c-9d43-6a1f2d9b7c21"

func TestRadarUpdate(t *testing.T) {
	e, base := serve(t, Options{})
	a := call(t, "PUT", base+radarUpdatePath, updateBody(RadarTaskID, "30 9 * * 1-5", otherInstance), radarUser)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != radarJSON {
		t.Errorf("Content-Type %q", ct)
	}
	var task ReportTask
	decode(t, a.body, &task)
	if task.ID != RadarTaskID || task.Interval != "30 9 * * 1-5" || task.Instance != otherInstance ||
		task.ReportID != RadarReportID || task.UpdatedAt == task.CreatedAt || task.Report == nil ||
		task.Report.Name != RadarReportName || task.Report.Task == nil ||
		task.Report.Task.Interval != "30 9 * * 1-5" || task.Report.Task.Instance != otherInstance {
		t.Errorf("task = %s", a.body)
	}
	if got, ok := e.ReportTask(RadarTaskID); !ok || got.Interval != "30 9 * * 1-5" {
		t.Errorf("stored task = %+v, %v", got, ok)
	}
	if n := len(e.ReportTasks()); n != 1 {
		t.Errorf("%d tasks held, want the one updated", n)
	}
}

// A created task can be updated; its id in any case.
func TestRadarUpdateCreated(t *testing.T) {
	e, base := serve(t, Options{})
	a := call(t, "POST", base+radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportID), radarUser)
	var created ReportTask
	decode(t, a.body, &created)
	upper := []byte(created.ID)
	for i, c := range upper {
		if 'a' <= c && c <= 'f' {
			upper[i] = c - 'a' + 'A'
		}
	}
	a = call(t, "PUT", base+radarUpdatePath, updateBody(string(upper), "0 7 * * 2", RadarInstanceID), radarUser)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var task ReportTask
	decode(t, a.body, &task)
	if task.ID != created.ID || task.Interval != "0 7 * * 2" || task.CreatedAt != created.CreatedAt {
		t.Errorf("task = %s", a.body)
	}
	if got := e.ReportTasks(); len(got) != 1 || got[0].Interval != "0 7 * * 2" {
		t.Errorf("stored = %+v", got)
	}
	if created.Report.Task.Interval != "0 6 * * 1" {
		t.Error("the update changed an answer already given")
	}
}

func TestRadarUpdateAnswers(t *testing.T) {
	e, base := serve(t, Options{})
	url := base + radarUpdatePath
	good := updateBody(RadarTaskID, "0 6 * * 1", RadarInstanceID)
	tests := []struct {
		name, body string
		setup      func(*http.Request)
		status     int
		msg        string
	}{
		{"missing uid", good, nil, 400, "missing uid header"},
		{"uid not uuid", good, withHeaders("Pgr-User-Id", "alice"), 400, "Pgr-User-Id should be uuid format"},
		{"bad JSON", "{", radarUser, 400, "Bad Request"},
		{"wrong type", `{"id":5}`, radarUser, 400, "Bad Request"},
		{"missing id", updateBody("", "0 6 * * 1", RadarInstanceID), radarUser, 400, "missing task id"},
		{"id not uuid", updateBody("task-1", "0 6 * * 1", RadarInstanceID), radarUser, 400, "task id should be uuid format"},
		{"missing instance", updateBody(RadarTaskID, "0 6 * * 1", ""), radarUser, 400, "missing instance for report generate task"},
		{"instance not uuid", updateBody(RadarTaskID, "0 6 * * 1", "main"), radarUser, 400, "instance id should be uuid format"},
		{"missing interval", updateBody(RadarTaskID, " ", RadarInstanceID), radarUser, 400, "missing mandatory field: interval"},
		{"six fields", updateBody(RadarTaskID, "0 0 6 * * 1", RadarInstanceID), radarUser, 400, "invalid interval format"},
		{"unknown task", updateBody(RadarTaskUnknown, "0 6 * * 1", RadarInstanceID), radarUser, 404, "task not found"},
		{"server error", updateBody(RadarTaskServerError, "0 6 * * 1", RadarInstanceID), radarUser, 500, "Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "PUT", url, tt.body, tt.setup)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d: %s", a.status, tt.status, a.body)
			}
			jsonEqual(t, a.body, `{"error":"`+tt.msg+`","error_code":`+itoa(tt.status)+`}`)
		})
	}
	if n := len(e.ReportTasks()); n != 0 {
		t.Errorf("%d tasks changed, want none", n)
	}
	if got, _ := e.ReportTask(RadarTaskServerError); got.Interval != RadarTaskInterval {
		t.Errorf("500 changed the task: %+v", got)
	}
}

func TestRadarUpdateAPIKey(t *testing.T) {
	_, base := serve(t, Options{RadarAPIKey: RadarDemoAPIKey})
	body := updateBody(RadarTaskID, "0 6 * * 1", RadarInstanceID)
	if a := call(t, "PUT", base+radarUpdatePath, body, radarUser); a.status != 401 {
		t.Errorf("without key: %d %s", a.status, a.body)
	}
	a := call(t, "PUT", base+radarUpdatePath, body, func(r *http.Request) {
		radarUser(r)
		r.Header.Set("PgrApiKey", RadarDemoAPIKey)
	})
	if a.status != 200 {
		t.Errorf("with key: %d %s", a.status, a.body)
	}
}

func TestRadarMethods(t *testing.T) {
	_, base := serve(t, Options{})
	for _, c := range []struct{ method, path, allow string }{
		{"POST", radarUpdatePath, "PUT"},
		{"GET", radarUpdatePath, "PUT"},
		{"PUT", radarPath, "POST"},
	} {
		a := call(t, c.method, base+c.path, updateBody(RadarTaskID, "0 6 * * 1", RadarInstanceID), radarUser)
		if a.status != 405 || a.header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q", c.method, c.path, a.status, a.header.Get("Allow"))
		}
	}
}

func TestRadarDescribe(t *testing.T) {
	var b strings.Builder
	New(Options{RadarFault: RadarFaultStall}).Describe(&b, "http://127.0.0.1:8080")
	out := b.String()
	want := []string{"PUT  " + radarUpdatePath, "Radar fault mode: stall"}
	for _, f := range radarReportFixtures {
		want = append(want, "report_id "+f.id+"  "+f.note)
	}
	for _, f := range radarTaskFixtures {
		want = append(want, "task id   "+f.id+"  "+f.note)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("Describe lacks %q", w)
		}
	}
}
