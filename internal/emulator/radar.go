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
//	POST /cruddy/v2/report_tasks/create    (Pgr-User-Id: <uuid>, PgrApiKey optional)
//
// Errors are JSON {"error": str, "error_code": int} with the texts of the
// vendor page, checked in the order the page lists them.

const radarPath = "/cruddy/v2/report_tasks/create"

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

func (e *Emulator) serveRadar(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		radarErr(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if e.opts.RadarAPIKey != "" &&
		subtle.ConstantTimeCompare([]byte(r.Header.Get("PgrApiKey")), []byte(e.opts.RadarAPIKey)) != 1 {
		radarErr(w, http.StatusUnauthorized, "invalid api key")
		return
	}
	switch uid := r.Header.Get("Pgr-User-Id"); {
	case uid == "":
		radarErr(w, http.StatusBadRequest, "missing uid header")
		return
	case !isUUID(uid):
		radarErr(w, http.StatusBadRequest, "Pgr-User-Id should be uuid format")
		return
	}
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
	switch reportID {
	case RadarReportID, RadarReportDrop:
	case RadarReportServerError:
		radarErr(w, http.StatusInternalServerError, "Internal Server Error")
		return
	default:
		radarErr(w, http.StatusNotFound, "report not found")
		return
	}
	task := e.createTask(in.Interval, strings.ToLower(in.Instance), reportID)
	if reportID == RadarReportDrop {
		// The task exists but the answer never arrives: the case where a
		// client must not blindly retry a POST.
		dropConn(http.NewResponseController(w))
		return
	}
	writeJSON(w, http.StatusCreated, radarJSON, task)
}

// validateRadar returns the vendor's text for the first bad field.
func validateRadar(interval, instance, reportID string) string {
	switch {
	case reportID == "":
		return "missing report id"
	case !isUUID(reportID):
		return "report id should be uuid format"
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

func (e *Emulator) createTask(interval, instance, reportID string) ReportTask {
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	created := fixtureTime().Format("2006-01-02T15:04:05.000000Z")
	t := ReportTask{
		ID: uuid.NewString(), CreatedAt: now, UpdatedAt: now,
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
	e.mu.Lock()
	e.tasks = append(e.tasks, t)
	e.mu.Unlock()
	return t
}

// ReportTasks returns the report tasks created so far, oldest first.
func (e *Emulator) ReportTasks() []ReportTask {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ReportTask(nil), e.tasks...)
}
