package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Pangeo Radar:
//
//	POST /cruddy/v2/report_tasks/create  {"interval","instance","report_id"} -> 201 task
//	PUT  /cruddy/v2/report_tasks/update  {"id","interval","instance"}        -> 200 task
//
// Both take Pgr-User-Id: <uuid> and, when Options.RadarAPIKey is set,
// PgrApiKey. Errors are JSON {"error": str, "error_code": int} with the
// texts of the vendor page, checked in the order the page lists them.
// The page documents only create; update's texts for its id field
// ("missing task id", "task id should be uuid format", 404 "task not
// found") are the emulator's, by analogy. Clients match on the status.
//
// Tasks live as long as the emulator: those created, and the fixture
// tasks of radar_fixtures.go, which exist from the start.

const (
	radarPath       = "/cruddy/v2/report_tasks/create"
	radarUpdatePath = "/cruddy/v2/report_tasks/update"
)

// ReportTask is a periodic report task as the service returns it.
type ReportTask struct {
	ID        string       `json:"id"`
	CreatedAt string       `json:"created_at"`
	UpdatedAt string       `json:"updated_at"`
	Interval  string       `json:"interval"`
	Instance  string       `json:"instance"`
	ReportID  string       `json:"report_id"`
	Report    *radarReport `json:"report,omitempty"`
}

// radarReport is the part of the report model a client may show; the
// vendor's model has much more (dashboards, widgets) that nobody reads.
type radarReport struct {
	ID        string         `json:"id"`
	CreatedAt string         `json:"created_at"`
	UpdatedAt string         `json:"updated_at"`
	Name      string         `json:"name"`
	Config    map[string]any `json:"config"`
	Settings  map[string]any `json:"settings"`
	IsSystem  bool           `json:"is_system"`
	Task      *radarTaskRef  `json:"task,omitempty"`
}

// radarTaskRef is the report's own view of its task.
type radarTaskRef struct {
	ID        string `json:"id"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Interval  string `json:"interval"`
	Instance  string `json:"instance"`
}

type radarError struct {
	Error string `json:"error"`
	Code  int    `json:"error_code"`
}

const radarJSON = "application/json; charset=utf-8"

func radarErr(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, radarJSON, radarError{Error: msg, Code: status})
}

// serveRadar answers both Radar paths.
func (e *Emulator) serveRadar(w http.ResponseWriter, r *http.Request) {
	method := http.MethodPost
	if r.URL.Path == radarUpdatePath {
		method = http.MethodPut
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		radarErr(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if !e.radarAuth(w, r) {
		return
	}
	if method == http.MethodPut {
		e.updateTask(w, r)
		return
	}
	e.createTaskAnswer(w, r)
}

// radarAuth checks the API key and the user id header, answering if
// either is wrong.
func (e *Emulator) radarAuth(w http.ResponseWriter, r *http.Request) bool {
	if e.opts.RadarAPIKey != "" &&
		subtle.ConstantTimeCompare([]byte(r.Header.Get("PgrApiKey")), []byte(e.opts.RadarAPIKey)) != 1 {
		radarErr(w, http.StatusUnauthorized, "invalid api key")
		return false
	}
	switch uid := r.Header.Get("Pgr-User-Id"); {
	case uid == "":
		radarErr(w, http.StatusBadRequest, "missing uid header")
		return false
	case !isUUID(uid):
		radarErr(w, http.StatusBadRequest, "Pgr-User-Id should be uuid format")
		return false
	}
	return true
}

func (e *Emulator) createTaskAnswer(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Interval string `json:"interval"`
		Instance string `json:"instance"`
		ReportID string `json:"report_id"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &in); err != nil {
		radarErr(w, http.StatusBadRequest, "Bad Request")
		return
	}
	if msg := validateRadar(in.Interval, in.Instance, in.ReportID); msg != "" {
		radarErr(w, http.StatusBadRequest, msg)
		return
	}
	reportID := strings.ToLower(in.ReportID)
	fault := e.radarFaultFor(radarReportFixtures, reportID)
	if e.refuse(w, fault, "create "+reportID) {
		return
	}
	if _, known := radarLookup(radarReportFixtures, reportID); !known {
		deliver(w, r, fault, http.StatusNotFound, radarError{Error: "report not found", Code: http.StatusNotFound})
		return
	}
	task := e.createTask(in.Interval, strings.ToLower(in.Instance), reportID)
	deliver(w, r, fault, http.StatusCreated, task)
}

func (e *Emulator) updateTask(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ID       string `json:"id"`
		Interval string `json:"interval"`
		Instance string `json:"instance"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &in); err != nil {
		radarErr(w, http.StatusBadRequest, "Bad Request")
		return
	}
	if msg := validateUpdate(in.ID, in.Interval, in.Instance); msg != "" {
		radarErr(w, http.StatusBadRequest, msg)
		return
	}
	id := strings.ToLower(in.ID)
	fault := e.radarFaultFor(radarTaskFixtures, id)
	if e.refuse(w, fault, "update "+id) {
		return
	}
	task, ok := e.changeTask(id, in.Interval, strings.ToLower(in.Instance))
	if !ok {
		deliver(w, r, fault, http.StatusNotFound, radarError{Error: "task not found", Code: http.StatusNotFound})
		return
	}
	deliver(w, r, fault, http.StatusOK, task)
}

// validateRadar returns the vendor's text for the first bad field.
func validateRadar(interval, instance, reportID string) string {
	switch {
	case reportID == "":
		return "missing report id"
	case !isUUID(reportID):
		return "report id should be uuid format"
	}
	return validateInstanceInterval(instance, interval)
}

// validateUpdate checks an update body: the id, then what create checks.
func validateUpdate(id, interval, instance string) string {
	switch {
	case id == "":
		return "missing task id"
	case !isUUID(id):
		return "task id should be uuid format"
	}
	return validateInstanceInterval(instance, interval)
}

func validateInstanceInterval(instance, interval string) string {
	switch {
	case instance == "":
		return "missing instance for report generate task"
	case !isUUID(instance):
		return "instance id should be uuid format"
	case strings.TrimSpace(interval) == "":
		return "missing mandatory field: interval"
	case len(strings.Fields(interval)) != 5:
		// The service's own check is only this loose: five fields.
		return "invalid interval format"
	}
	return ""
}

const radarTime = "2006-01-02T15:04:05.000000Z"

func (e *Emulator) createTask(interval, instance, reportID string) ReportTask {
	now := time.Now().UTC().Format(radarTime)
	t := newTask(uuid.NewString(), now, interval, instance, reportID)
	e.mu.Lock()
	e.tasks = append(e.tasks, t)
	e.mu.Unlock()
	return t
}

// newTask is a task model with its whole report, as the service returns it.
func newTask(id, now, interval, instance, reportID string) ReportTask {
	created := fixtureTime().Format(radarTime)
	t := ReportTask{
		ID: id, CreatedAt: now, UpdatedAt: now,
		Interval: interval, Instance: instance, ReportID: reportID,
	}
	t.Report = &radarReport{
		ID: reportID, CreatedAt: created, UpdatedAt: now, Name: RadarReportName,
		Config: map[string]any{"pages": []any{[]any{map[string]any{}}}},
		Settings: map[string]any{
			"general": map[string]any{"period": []string{"now-7d", "now"}, "name_mask": "weekly-incidents-{date}"},
			"style":   map[string]any{"font": "OpenSans-Regular"},
		},
		Task: &radarTaskRef{ID: t.ID, CreatedAt: now, UpdatedAt: now, Interval: interval, Instance: instance},
	}
	return t
}

// changeTask applies an update to a stored task or a fixture task (which
// is stored on its first update); false if there is no such task.
func (e *Emulator) changeTask(id, interval, instance string) (ReportTask, bool) {
	now := time.Now().UTC().Format(radarTime)
	e.mu.Lock()
	defer e.mu.Unlock()
	i := e.taskIndex(id)
	if i < 0 {
		if _, fixture := radarLookup(radarTaskFixtures, id); !fixture {
			return ReportTask{}, false
		}
		created := fixtureTime().Format(radarTime)
		e.tasks = append(e.tasks, newTask(id, created, RadarTaskInterval, RadarInstanceID, RadarReportID))
		i = len(e.tasks) - 1
	}
	t := e.tasks[i]
	t.Interval, t.Instance, t.UpdatedAt = interval, instance, now
	// The report and its view of the task are copied, not shared with
	// answers already given.
	rep := *t.Report
	ref := *rep.Task
	ref.Interval, ref.Instance, ref.UpdatedAt = interval, instance, now
	rep.Task = &ref
	t.Report = &rep
	e.tasks[i] = t
	return t, true
}

// taskIndex finds a stored task; e.mu must be held.
func (e *Emulator) taskIndex(id string) int {
	for i, t := range e.tasks {
		if t.ID == id {
			return i
		}
	}
	return -1
}

// ReportTasks returns the report tasks the emulator holds, oldest first:
// those created, and fixture tasks once they have been updated.
func (e *Emulator) ReportTasks() []ReportTask {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ReportTask(nil), e.tasks...)
}

// ReportTask returns the task with id as it stands now: a created one,
// or a fixture task (updated or not).
func (e *Emulator) ReportTask(id string) (ReportTask, bool) {
	id = strings.ToLower(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	if i := e.taskIndex(id); i >= 0 {
		return e.tasks[i], true
	}
	if _, fixture := radarLookup(radarTaskFixtures, id); fixture {
		created := fixtureTime().Format(radarTime)
		return newTask(id, created, RadarTaskInterval, RadarInstanceID, RadarReportID), true
	}
	return ReportTask{}, false
}

// RadarRequests returns the requests received on the two Radar paths,
// oldest first, whatever became of them: a test that must see exactly one
// attempt counts them.
func (e *Emulator) RadarRequests() []Request {
	var out []Request
	for _, r := range e.Received() {
		if r.Path == radarPath || r.Path == radarUpdatePath {
			out = append(out, r)
		}
	}
	return out
}
