// Package sandbox is the Kaspersky Research Sandbox client: the debug
// report request and the mapping of the sandbox's error bodies.
package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// Vendor error codes (FACTS.md section 1).
const (
	CodeArtifactsDisabled = 4
	CodeTaskNotFound      = 6
	CodeTaskDeleted       = 7
	CodeBadTaskID         = 29
)

// ValidTaskID accepts a GUID, with or without braces, as the sandbox does.
func ValidTaskID(id string) error {
	if _, err := uuid.Parse(id); err != nil || len(strings.Trim(id, "{}")) != 36 {
		return exit.UsageErrorf("a task ID is a GUID such as 3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b", "a task ID is a GUID")
	}
	return nil
}

// DebugReportRequest is GET /api/v1/sandbox/tasks/{id}/debug_report on
// the client's server.
func DebugReportRequest(ctx context.Context, c *httpx.Client, taskID string) (*http.Request, error) {
	u := c.URL("api", "v1", "sandbox", "tasks", url.PathEscape(strings.Trim(taskID, "{}")), "debug_report")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/zip, application/json")
	return req, nil
}

// Service is the sandbox as the shared layers see it: HTTP Basic with
// sandbox.user and sandbox.password, at sandbox.server.
var Service = api.Service{
	Name:    "sandbox",
	Auth:    api.Basic,
	UserKey: "sandbox.user",
	Secret: api.Secret{
		Key:       "sandbox.password",
		StdinFlag: "password-stdin",
		StdinHelp: "read the password from the first line of stdin",
		Prompt:    func(user, host string) string { return "Password for " + user + "@" + host + ": " },
	},
	DecodeError: DecodeError,
	BaseURL: func(s api.Settings) (*url.URL, error) {
		server, err := s.Require("sandbox.server")
		if err != nil {
			return nil, err
		}
		return httpx.BaseURL(server, "sandbox server")
	},
}

// errorBody is {"code": int, "message": str, "meta": str?}; code is
// documented as a string in one place and sent as a number in examples.
type errorBody struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
	Meta    string          `json:"meta"`
}

// DecodeError maps the sandbox's error answers to messages, hints and exit
// statuses.
func DecodeError(resp *http.Response, body []byte) *httpx.APIError {
	e := &httpx.APIError{}
	var b errorBody
	if json.Unmarshal(body, &b) == nil && (b.Message != "" || len(b.Code) > 0) {
		e.Code = strings.Trim(string(b.Code), `"`)
		e.Message = b.Message
		if b.Meta != "" && b.Meta != b.Message {
			e.Message += " (" + b.Meta + ")"
		}
	}
	switch e.Code {
	case fmt.Sprint(CodeArtifactsDisabled):
		e.Exit = exit.Rejected
		e.Next = "the task was created without debug_report=true, so it has no debug report: re-run the task with debug_report=true, then download again"
	case fmt.Sprint(CodeTaskNotFound):
		e.Exit = exit.NotFound
		e.Next = "check the task ID and that it belongs to this sandbox server"
	case fmt.Sprint(CodeTaskDeleted):
		e.Exit = exit.NotFound
		e.Next = "the task was deleted; re-submit the object with debug_report=true to get a new report"
	case fmt.Sprint(CodeBadTaskID):
		e.Exit = exit.Rejected
		e.Next = "the server refused the task ID's format; check it is the task's GUID"
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		e.Next = "check the user and password (--user / DIAGCTL_SANDBOX_USER, DIAGCTL_SANDBOX_PASSWORD or --password-stdin)"
	case http.StatusForbidden:
		e.Next = "this user may not read the task's artifacts; ask the sandbox administrator"
	case http.StatusNotFound:
		if e.Next == "" {
			e.Next = "check the task ID, and that --server points at the sandbox (not another service)"
		}
	}
	if e.Message == "" && resp.StatusCode < 400 {
		e.Message = "the answer is not a ZIP archive: " + firstLine(body)
		e.Next = "the sandbox sent text instead of the report; check the task in the sandbox's web console"
	}
	return e
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
