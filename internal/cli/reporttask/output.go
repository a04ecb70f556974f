package reporttask

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/diagctl/diagctl/internal/api/radar"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/safetext"
	"github.com/diagctl/diagctl/internal/schedule"
)

// dryRun is --dry-run --json's document.
type dryRun struct {
	DryRun   bool              `json:"dry_run"`
	Method   string            `json:"method"`
	URL      string            `json:"url"`
	Headers  map[string]string `json:"headers"`
	Body     json.RawMessage   `json:"body"`
	Schedule explanation       `json:"schedule"`
}

// printDryRun shows the request as it would be sent, credentials
// redacted, and what its interval means; nothing is sent.
func (o *TaskOptions) printDryRun(c *httpx.Client, req *http.Request) error {
	body, err := requestBody(req)
	if err != nil {
		return err
	}
	headers := map[string]string{}
	for name, values := range req.Header {
		headers[name] = strings.Join(values, ", ")
	}
	for _, name := range c.AuthHeaders() {
		headers[name] = httpx.Redacted
	}
	e := explainInterval(o.Interval, o.now())
	fmt.Fprintln(o.IO.Info(), "dry run: nothing was sent")
	if o.JSON {
		return iostreams.WriteJSON(o.IO.Out, dryRun{DryRun: true, Method: req.Method, URL: req.URL.String(), Headers: headers, Body: body, Schedule: e})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", req.Method, req.URL)
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "%s: %s\n", name, headers[name])
	}
	fmt.Fprintf(&b, "\n%s\n\n", body)
	for _, line := range e.lines() {
		b.WriteString(line + "\n")
	}
	_, err = io.WriteString(o.IO.Out, b.String())
	return err
}

func requestBody(req *http.Request) ([]byte, error) {
	if req.GetBody == nil {
		return nil, nil
	}
	rc, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// printResult prints the task Radar returned: --json its body unchanged,
// else the id, report name, interval and next run times, every text from
// the server escaped.
func (o *TaskOptions) printResult(res *radar.Result, verb string) error {
	if o.JSON {
		body := res.Body
		if !bytes.HasSuffix(body, []byte("\n")) {
			body = append(body[:len(body):len(body)], '\n')
		}
		_, err := o.IO.Out.Write(body)
		return err
	}
	t := res.Task
	name := ""
	if t.Report != nil {
		name = t.Report.Name
	}
	tab := o.IO.NewTable()
	tab.Row("id", safetext.Escape(t.ID))
	tab.Row("report", safetext.Escape(name))
	tab.Row("interval", safetext.Escape(t.Interval))
	info := o.IO.Info()
	if s, err := schedule.Parse(t.Interval); err != nil {
		fmt.Fprintf(info, "note: no run times shown: %s\n", safetext.Escape(err.Error()))
	} else {
		if words, ok := s.Describe(); ok {
			tab.Row("schedule", words)
		}
		for _, r := range s.NextN(o.now(), runsShown) {
			tab.Row("next run", r.Format(time.RFC3339))
		}
		if s.EitherDay() {
			fmt.Fprintln(info, "note: "+schedule.EitherDayNote)
		}
	}
	fmt.Fprintf(info, "task %s %s\n", safetext.Escape(t.ID), verb)
	return tab.Print()
}
