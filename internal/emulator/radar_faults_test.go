package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// radarSend makes one Radar request and returns the answer, or the
// transport error for a fault that sends none.
func radarSend(t *testing.T, ctx context.Context, method, url, body string) (answer, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	radarUser(req)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, rerr := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, err: rerr}, nil
}

// The refusals come twice in every three requests per id, say when to
// try again, do nothing, and each request is logged once.
func TestRadarRefusals(t *testing.T) {
	create := func(report string) (string, string, string) {
		return "POST", radarPath, radarBody("0 6 * * 1", RadarInstanceID, report)
	}
	update := func(task string) (string, string, string) {
		return "PUT", radarUpdatePath, updateBody(task, "0 7 * * 2", RadarInstanceID)
	}
	tests := []struct {
		name               string
		method, path, body string
		status             int
		retryAfter, text   string
		success            int
	}{
		{"create 503", "", "", "", 503, "1", "Service Unavailable", 201},
		{"create 429", "", "", "", 429, "2", "Too Many Requests", 201},
		{"update 503", "", "", "", 503, "1", "Service Unavailable", 200},
		{"update 429", "", "", "", 429, "2", "Too Many Requests", 200},
	}
	tests[0].method, tests[0].path, tests[0].body = create(RadarReport503)
	tests[1].method, tests[1].path, tests[1].body = create(RadarReport429)
	tests[2].method, tests[2].path, tests[2].body = update(RadarTask503)
	tests[3].method, tests[3].path, tests[3].body = update(RadarTask429)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, base := serve(t, Options{})
			for i := 1; i <= 3; i++ {
				a := call(t, tt.method, base+tt.path, tt.body, radarUser)
				if n := len(e.RadarRequests()); n != i {
					t.Fatalf("after request %d the log holds %d", i, n)
				}
				if i == 3 {
					if a.status != tt.success {
						t.Fatalf("third request: %d %s", a.status, a.body)
					}
					break
				}
				if a.status != tt.status || a.header.Get("Retry-After") != tt.retryAfter {
					t.Fatalf("request %d: %d Retry-After %q", i, a.status, a.header.Get("Retry-After"))
				}
				jsonEqual(t, a.body, `{"error":"`+tt.text+`","error_code":`+itoa(tt.status)+`}`)
				if tt.method == "POST" && len(e.ReportTasks()) != 0 {
					t.Fatalf("a refused create stored a task")
				}
				if tt.method == "PUT" && len(e.ReportTasks()) != 0 {
					t.Fatalf("a refused update changed the task")
				}
			}
			if n := len(e.ReportTasks()); n != 1 {
				t.Errorf("%d tasks after the request that got through", n)
			}
		})
	}
}

// Drop: the work is done, the answer never comes, one request is logged.
func TestRadarDropOneRequest(t *testing.T) {
	for _, c := range []struct{ name, method, path, body, id string }{
		{"create", "POST", radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportDrop), ""},
		{"update", "PUT", radarUpdatePath, updateBody(RadarTaskDrop, "0 7 * * 2", RadarInstanceID), RadarTaskDrop},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, base := serve(t, Options{})
			if a, err := radarSend(t, context.Background(), c.method, base+c.path, c.body); err == nil {
				t.Fatalf("got an answer: %d %s", a.status, a.body)
			}
			if n := len(e.RadarRequests()); n != 1 {
				t.Errorf("%d requests logged, want 1", n)
			}
			tasks := e.ReportTasks()
			if len(tasks) != 1 {
				t.Fatalf("%d tasks, want 1: the work is done before the drop", len(tasks))
			}
			if c.id != "" && (tasks[0].ID != c.id || tasks[0].Interval != "0 7 * * 2") {
				t.Errorf("task = %+v", tasks[0])
			}
		})
	}
}

// Stall: the work is done and nothing is sent until the client gives up.
func TestRadarStall(t *testing.T) {
	for _, c := range []struct{ name, method, path, body string }{
		{"create", "POST", radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportStall)},
		{"update", "PUT", radarUpdatePath, updateBody(RadarTaskStall, "0 7 * * 2", RadarInstanceID)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := New(Options{})
			ts := httptest.NewServer(e)
			defer ts.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			_, err := radarSend(t, ctx, c.method, ts.URL+c.path, c.body)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want the client's deadline", err)
			}
			// Close waits for the handler, which the client's going away
			// releases: after it, what the handler did is all there is.
			ts.Close()
			if n := len(e.RadarRequests()); n != 1 {
				t.Errorf("%d requests logged", n)
			}
			if n := len(e.ReportTasks()); n != 1 {
				t.Errorf("%d tasks, want 1", n)
			}
		})
	}
}

// A stalled answer ends without an answer when the server lets go of it
// (Server.Close cancels every request's context): net/http must not get
// to send an empty 200 for it.
func TestRadarStallReleased(t *testing.T) {
	e := New(Options{})
	arrived := make(chan context.CancelFunc, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		arrived <- cancel
		e.ServeHTTP(w, r.WithContext(ctx))
	}))
	defer ts.Close()
	done := make(chan error, 1)
	go func() {
		_, err := radarSend(t, context.Background(), "POST", ts.URL+radarPath,
			radarBody("0 6 * * 1", RadarInstanceID, RadarReportStall))
		done <- err
	}()
	release := <-arrived
	release()
	if err := <-done; err == nil {
		t.Fatal("a released stall sent an answer")
	}
}

func TestRadarSlow(t *testing.T) {
	e, base := serve(t, Options{})
	start := time.Now()
	a := call(t, "PUT", base+radarUpdatePath, updateBody(RadarTaskSlow, "0 7 * * 2", RadarInstanceID), radarUser)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if d := time.Since(start); d < RadarSlowDelay {
		t.Errorf("answered after %v, want at least %v", d, RadarSlowDelay)
	}
	if got, _ := e.ReportTask(RadarTaskSlow); got.Interval != "0 7 * * 2" {
		t.Errorf("task = %+v", got)
	}
}

// Options.RadarFault applies to ids without a fault of their own.
func TestRadarFaultMode(t *testing.T) {
	e, base := serve(t, Options{RadarFault: RadarFault503})
	a := call(t, "POST", base+radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportID), radarUser)
	if a.status != 503 || a.header.Get("Retry-After") != "1" {
		t.Errorf("known report: %d %s", a.status, a.body)
	}
	a = call(t, "POST", base+radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportServerError), radarUser)
	if a.status != 500 {
		t.Errorf("a report with its own fault: %d %s", a.status, a.body)
	}
	a = call(t, "POST", base+radarPath, radarBody("0 6 * * 1", RadarInstanceID, "not-a-uuid"), radarUser)
	if a.status != 400 {
		t.Errorf("a bad request is still refused first: %d %s", a.status, a.body)
	}
	if len(e.ReportTasks()) != 0 {
		t.Error("tasks created")
	}

	e, base = serve(t, Options{RadarFault: RadarFaultDrop})
	if a, err := radarSend(t, context.Background(), "PUT", base+radarUpdatePath,
		updateBody(RadarTaskID, "0 7 * * 2", RadarInstanceID)); err == nil {
		t.Errorf("drop mode answered: %d", a.status)
	}
	if got, _ := e.ReportTask(RadarTaskID); got.Interval != "0 7 * * 2" {
		t.Errorf("drop mode did not update: %+v", got)
	}
}

func TestValidRadarFault(t *testing.T) {
	for _, m := range RadarFaultModes {
		if !ValidRadarFault(m) {
			t.Errorf("%q refused", m)
		}
	}
	for _, m := range []string{"none", "500", "Drop", "slow "} {
		if ValidRadarFault(m) {
			t.Errorf("%q accepted", m)
		}
	}
}
