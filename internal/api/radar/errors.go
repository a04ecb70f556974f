package radar

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

// errorBody is Radar's {"error": "...", "error_code": 400}. The texts are
// not fixed (the vendor page says so): the status decides, the text is
// shown as the service gave it.
type errorBody struct {
	Error string `json:"error"`
}

const authHint = "check the user id (--user-id, DIAGCTL_REPORT_TASK_USER_ID or report-task.user-id) and the API key (DIAGCTL_REPORT_TASK_API_KEY, --api-key-stdin or report-task.api-key): Radar refused them"

// DecodeError maps Radar's error answers. Which call failed (create or
// update) is read from the request's path, since a 404 means a different
// thing to each.
func DecodeError(resp *http.Response, body []byte) *httpx.APIError {
	e := &httpx.APIError{}
	var b errorBody
	if json.Unmarshal(body, &b) == nil && b.Error != "" {
		e.Message = safetext.Escape(b.Error)
	} else if s := strings.TrimSpace(string(body)); s != "" {
		e.Message = safetext.Escape(clip(s))
	}
	update := resp.Request != nil && strings.HasSuffix(resp.Request.URL.Path, UpdatePath)
	switch s := resp.StatusCode; {
	case s == http.StatusBadRequest:
		e.Exit = exit.Rejected
		e.Next = badRequestHint(b.Error)
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		e.Exit = exit.Auth
		e.Next = authHint
	case s == http.StatusNotFound && update:
		e.Exit = exit.NotFound
		e.Next = "no task has this id: check TASK_ID (the id report-task create printed); Radar keeps the task under the report it schedules"
	case s == http.StatusNotFound:
		e.Exit = exit.NotFound
		e.Next = "no report has this id: check --report-id, and that --server is the Radar holding the report"
	case s == http.StatusTooManyRequests:
		e.Exit = exit.Rejected
		e.Next = "Radar is limiting requests: try again " + after(resp) + "; nothing was created or changed"
	case s == http.StatusServiceUnavailable:
		e.Exit = exit.Service
		e.Next = "Radar is unavailable: try again " + after(resp)
	case s == http.StatusBadGateway || s == http.StatusGatewayTimeout:
		// A gateway gave up on Radar: whether Radar acted is unknown.
		// Create and Update replace this with their own hint.
		e.Exit = exit.Service
		e.Next = "a gateway in front of Radar failed; whether Radar acted is unknown"
	case s >= 500:
		e.Exit = exit.Service
		e.Next = "Radar failed while handling the request; try again later, and ask Radar's administrator if it persists"
		if !update {
			e.Next += "; before running the command again, check in Radar that the report has not got a new periodic task"
		}
	}
	return e
}

// badRequestHint says what to fix for the 400 texts the vendor documents;
// any other text is shown as it is.
func badRequestHint(text string) string {
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, "uid header"), strings.Contains(t, "pgr-user-id"):
		return "set the user id (--user-id or DIAGCTL_REPORT_TASK_USER_ID) to the Radar user's UUID"
	case strings.Contains(t, "report id"):
		return "check --report-id: it is the report's UUID"
	case strings.Contains(t, "task id"):
		return "check TASK_ID: it is the task's UUID"
	case strings.Contains(t, "instance"):
		return "check --instance: it is the UUID of the instance that generates the report"
	case strings.Contains(t, "interval"):
		return "check --interval: Radar takes five cron fields (minute hour day-of-month month day-of-week)"
	}
	return "Radar refused the request as sent; fix what the message names and run the command again"
}

// after says when to come back, from Retry-After (seconds or a date).
func after(resp *http.Response) string {
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return fmt.Sprintf("in %d s (Retry-After: %d)", n, n)
	}
	if t, err := http.ParseTime(v); err == nil {
		return "after " + t.Local().Format(time.RFC3339) + " (Retry-After)"
	}
	return "in a minute"
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
