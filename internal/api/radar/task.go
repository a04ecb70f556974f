package radar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

// CreateBody is report_tasks/create's body, exactly the three documented
// fields in the documented order.
type CreateBody struct {
	Interval string `json:"interval"`
	Instance string `json:"instance"`
	ReportID string `json:"report_id"`
}

// UpdateBody is report_tasks/update's body: {"id","interval","instance"}.
type UpdateBody struct {
	ID       string `json:"id"`
	Interval string `json:"interval"`
	Instance string `json:"instance"`
}

// Task is the part of the service's task model that diagctl shows. The
// whole body is kept in Result.Body for --json.
type Task struct {
	ID        string  `json:"id"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
	Interval  string  `json:"interval"`
	Instance  string  `json:"instance"`
	ReportID  string  `json:"report_id"`
	Report    *Report `json:"report"`
}

// Report is the task's report, of which diagctl shows the name.
type Report struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Result is a successful answer: the task and the body as the service
// sent it.
type Result struct {
	Status int
	Task   Task
	Body   []byte
}

// maxBody bounds a task answer; the vendor's report model is large
// (dashboards, widgets) but nowhere near this.
const maxBody = 16 << 20

// CreateRequest is POST {server}/cruddy/v2/report_tasks/create.
func CreateRequest(ctx context.Context, c *httpx.Client, userID string, b CreateBody) (*http.Request, error) {
	return newRequest(ctx, c, http.MethodPost, "create", userID, b)
}

// UpdateRequest is PUT {server}/cruddy/v2/report_tasks/update.
func UpdateRequest(ctx context.Context, c *httpx.Client, userID string, b UpdateBody) (*http.Request, error) {
	return newRequest(ctx, c, http.MethodPut, "update", userID, b)
}

func newRequest(ctx context.Context, c *httpx.Client, method, op, userID string, body any) (*http.Request, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, err
	}
	// The encoder's newline is not part of the documented body.
	data := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	u := c.URL("cruddy", "v2", "report_tasks", op)
	// bytes.Reader gives the request a GetBody, so a retry resends it.
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	// Set as written: the vendor spells it so, and header names are
	// case-insensitive to conforming servers anyway.
	req.Header[UserIDHeader] = []string{userID}
	return req, nil
}

// Create sends req (from CreateRequest) once: a POST that may have reached
// the service is never sent again, since a second one could create a
// second task. Only a failed dial is retried. When the outcome is unknown
// the error says the task may exist and what to check.
func Create(c *httpx.Client, req *http.Request, reportID string) (*Result, error) {
	res, err := send(c, req, httpx.NeverSentOnly)
	if err != nil && errors.Is(err, exit.ErrInterrupted) && httpx.MaybeSent(err) {
		// Ctrl-C after the POST left: still exit 130, but the task may exist.
		return nil, exit.Wrapf(err, exit.Interrupted, CreateUnknownHint(reportID),
			"report-task create interrupted: the outcome is unknown")
	}
	if err != nil && unknownOutcome(err) {
		return nil, exit.Wrapf(err, exit.Service, CreateUnknownHint(reportID),
			"report-task create: the outcome is unknown")
	}
	return res, err
}

// Update sends req (from UpdateRequest), retried like a GET: a PUT of the
// same body twice leaves the task as once.
func Update(c *httpx.Client, req *http.Request, taskID string) (*Result, error) {
	res, err := send(c, req, httpx.Idempotent)
	if err != nil && unknownOutcome(err) {
		return nil, exit.Wrapf(err, exit.Service, UpdateUnknownHint(taskID),
			"report-task update: the outcome is unknown")
	}
	return res, err
}

// CreateUnknownHint is what to do when a create may or may not have
// happened. Radar has no documented call that lists or reads tasks, so
// the check is in its web interface.
func CreateUnknownHint(reportID string) string {
	return "the task may have been created: before running the command again, open report " + reportID +
		" in Radar and check whether it already has a periodic task (Radar's API cannot list tasks); running it again could create a second task"
}

// UpdateUnknownHint: the same PUT again is safe.
func UpdateUnknownHint(taskID string) string {
	return "the change may have been applied to task " + taskID +
		": an update is safe to repeat, so run the same command again (or check the task's interval in Radar)"
}

// unknownOutcome: the request may have reached the service, and no answer
// says what became of it (a transport failure after sending, a 2xx whose
// body broke, a gateway's 502 or 504).
func unknownOutcome(err error) bool {
	var ae *httpx.APIError
	if errors.As(err, &ae) {
		return ae.Status == http.StatusBadGateway || ae.Status == http.StatusGatewayTimeout
	}
	// A NetError whose dial succeeded; an interrupt (the context's cause)
	// or a local error is not one.
	var ne *httpx.NetError
	return errors.As(err, &ne) && httpx.MaybeSent(err)
}

func send(c *httpx.Client, req *http.Request, retry httpx.Retry) (*Result, error) {
	resp, err := c.Send(req, httpx.Call{Retry: retry})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	res := &Result{Status: resp.StatusCode, Body: body}
	if len(body) > maxBody {
		return nil, badAnswer(req, resp.StatusCode, "the answer is larger than 16 MiB")
	}
	if err := json.Unmarshal(body, &res.Task); err != nil || res.Task.ID == "" {
		return nil, badAnswer(req, resp.StatusCode, "the answer is not a task: "+firstBytes(body))
	}
	return res, nil
}

// badAnswer: a success status with a body that is not a task. The service
// did what it was asked (it said so), but diagctl cannot show the result.
func badAnswer(req *http.Request, status int, what string) error {
	next := "the service reports success but its answer cannot be read; check the task in Radar"
	return exit.Errorf(exit.Service, next, "report-task: HTTP %d from %s %s: %s", status, req.Method, req.URL.Path, what)
}

func firstBytes(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	if len(b) == 0 {
		return "(empty)"
	}
	return fmt.Sprintf("%q", safetext.Bytes(b))
}
