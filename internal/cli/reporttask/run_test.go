package reporttask

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin wherever the tests run

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// berlinNow is the clock of these tests: two days before the spring
// change in Europe/Berlin, so that "30 2 * * *" skips 29 March.
func berlinNow(t *testing.T) func() time.Time {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return func() time.Time { return time.Date(2026, 3, 27, 12, 0, 0, 0, loc) }
}

type fixture struct {
	f        *cmdutil.Factory
	out, err *bytes.Buffer
	ios      *iostreams.IOStreams
}

// newFixture is a Factory aimed at url with the emulator's user id and
// the given extra environment.
func newFixture(t *testing.T, url string, env map[string]string) fixture {
	ios, _, out, errOut := iostreams.Test()
	e := map[string]string{"DIAGCTL_REPORT_TASK_SERVER": url, "DIAGCTL_REPORT_TASK_USER_ID": emulator.RadarUserID}
	for k, v := range env {
		e[k] = v
	}
	return fixture{f: cmdutiltest.NewFactory(t, ios, e), out: out, err: errOut, ios: ios}
}

func (fx fixture) create(t *testing.T, interval, reportID string) *CreateOptions {
	o := &CreateOptions{TaskOptions: newTaskOptions(fx.f), ReportID: reportID}
	o.Interval, o.Instance, o.Now = interval, emulator.RadarInstanceID, berlinNow(t)
	return o
}

func (fx fixture) update(t *testing.T, interval, taskID string) *UpdateOptions {
	o := &UpdateOptions{TaskOptions: newTaskOptions(fx.f), TaskID: taskID}
	o.Interval, o.Instance, o.Now = interval, emulator.RadarInstanceID, berlinNow(t)
	return o
}

// TestRunCreate: the result lines, with run times across the DST change
// in local (Berlin) time.
func TestRunCreate(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	fx := newFixture(t, srv.URL, nil)
	if err := runCreate(fx.create(t, "30 2 * * *", emulator.RadarReportID)); err != nil {
		t.Fatal(err)
	}
	tasks := srv.ReportTasks()
	if len(tasks) != 1 {
		t.Fatalf("tasks %+v", tasks)
	}
	want := "id\t" + tasks[0].ID + "\n" +
		"report\tWeekly incident summary\n" +
		"interval\t30 2 * * *\n" +
		"schedule\tat 02:30 every day\n" +
		"next run\t2026-03-28T02:30:00+01:00\n" +
		"next run\t2026-03-30T02:30:00+02:00\n" +
		"next run\t2026-03-31T02:30:00+02:00\n"
	if fx.out.String() != want {
		t.Errorf("stdout\n%s\nwant\n%s", fx.out, want)
	}
	if !strings.Contains(fx.err.String(), "task "+tasks[0].ID+" created") {
		t.Errorf("stderr %q", fx.err)
	}
}

// teeServer serves the emulator and keeps the last answer's body.
type teeServer struct {
	*httptest.Server
	emu  *emulator.Emulator
	mu   sync.Mutex
	last []byte
}

type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) { w.buf.Write(p); return w.ResponseWriter.Write(p) }

func newTeeServer(t *testing.T) *teeServer {
	ts := &teeServer{emu: emulator.New(emulator.Options{})}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &teeWriter{ResponseWriter: w}
		ts.emu.ServeHTTP(tw, r)
		ts.mu.Lock()
		ts.last = tw.buf.Bytes()
		ts.mu.Unlock()
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestRunJSONIsTheServiceBody: --json prints the answer byte for byte.
func TestRunJSONIsTheServiceBody(t *testing.T) {
	t.Parallel()
	ts := newTeeServer(t)
	fx := newFixture(t, ts.URL, nil)
	o := fx.create(t, "0 6 * * 1", emulator.RadarReportID)
	o.JSON = true
	if err := runCreate(o); err != nil {
		t.Fatal(err)
	}
	if len(ts.last) == 0 || !bytes.Equal(fx.out.Bytes(), ts.last) {
		t.Errorf("create: stdout\n%s\nservice sent\n%s", fx.out, ts.last)
	}
	fx.out.Reset()
	u := fx.update(t, "0 7 * * 1-5", emulator.RadarTaskID)
	u.JSON = true
	if err := runUpdate(u); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fx.out.Bytes(), ts.last) || !bytes.Contains(ts.last, []byte(`"interval":"0 7 * * 1-5"`)) {
		t.Errorf("update: stdout\n%s\nservice sent\n%s", fx.out, ts.last)
	}
}

// TestRunDryRun: the request as it would go, the key redacted, the
// explanation; nothing reaches the service.
func TestRunDryRun(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	fx := newFixture(t, srv.URL, map[string]string{"DIAGCTL_REPORT_TASK_API_KEY": "very-secret-key"})
	o := fx.update(t, "0 9 13 * 5", emulator.RadarTaskID)
	o.DryRun = true
	if err := runUpdate(o); err != nil {
		t.Fatal(err)
	}
	want := "PUT " + srv.URL + "/cruddy/v2/report_tasks/update\n" +
		"Accept: application/json\n" +
		"Content-Type: application/json\n" +
		"Pgr-User-Id: " + emulator.RadarUserID + "\n" +
		"PgrApiKey: [redacted]\n" +
		"\n" +
		`{"id":"` + emulator.RadarTaskID + `","interval":"0 9 13 * 5","instance":"` + emulator.RadarInstanceID + `"}` + "\n\n" +
		`interval "0 9 13 * 5": at 09:00 on day 13 of every month and on every Friday` + "\n" +
		"note: " + "day-of-month and day-of-week are both restricted, so the task runs on a day that matches either of them (as in Vixie cron), not only on days that match both" + "\n" +
		"next runs (local time): 2026-04-03T09:00:00+02:00, 2026-04-10T09:00:00+02:00, 2026-04-13T09:00:00+02:00\n"
	if fx.out.String() != want {
		t.Errorf("stdout\n%s\nwant\n%s", fx.out, want)
	}
	if strings.Contains(fx.out.String()+fx.err.String(), "very-secret-key") {
		t.Error("the API key was printed")
	}
	if n := len(srv.Received()); n != 0 {
		t.Errorf("the emulator received %d requests", n)
	}
}

// TestRunLocalChecks: every local refusal is exit 2 with nothing sent.
func TestRunLocalChecks(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	for name, tt := range map[string]struct {
		env    map[string]string
		mod    func(o *CreateOptions)
		inHint string
	}{
		"bad instance":   {mod: func(o *CreateOptions) { o.Instance = "x" }, inHint: "8-4-4-4-12"},
		"bad report":     {mod: func(o *CreateOptions) { o.ReportID = emulator.RadarReportID + "0" }, inHint: "8-4-4-4-12"},
		"bad interval":   {mod: func(o *CreateOptions) { o.Interval = "@hourly" }, inHint: `"0 * * * *"`},
		"no user id":     {env: map[string]string{"DIAGCTL_REPORT_TASK_USER_ID": ""}, inHint: "DIAGCTL_REPORT_TASK_USER_ID"},
		"bad user id":    {env: map[string]string{"DIAGCTL_REPORT_TASK_USER_ID": "alice"}, inHint: "UUID"},
		"no server":      {env: map[string]string{"DIAGCTL_REPORT_TASK_SERVER": ""}, inHint: "DIAGCTL_REPORT_TASK_SERVER"},
		"empty key pipe": {mod: func(o *CreateOptions) { o.APIKeyStdin = true }, inHint: "pipe the secret"},
	} {
		fx := newFixture(t, srv.URL, tt.env)
		o := fx.create(t, "0 6 * * 1", emulator.RadarReportID)
		if tt.mod != nil {
			tt.mod(o)
		}
		err := runCreate(o)
		if exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), tt.inHint) {
			t.Errorf("%s: %v (exit %d, hint %q)", name, err, exit.Code(err), exit.Hint(err))
		}
	}
	if n := len(srv.Received()); n != 0 {
		t.Errorf("the emulator received %d requests", n)
	}
}

// TestRunCreateDialRetried: a refused connection is retried; the
// service then sees exactly one request.
func TestRunCreateDialRetried(t *testing.T) {
	t.Parallel()
	gate, err := cmdutiltest.NewDialGate()
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(emulator.Options{})
	hs := &http.Server{Handler: emu}
	t.Cleanup(func() { hs.Close(); gate.Close() })
	fx := newFixture(t, gate.URL, nil)
	var opened bool
	fx.f.Backoff.Sleep = func(ctx context.Context, _ time.Duration) error {
		if !opened {
			opened = true
			ln, err := gate.Open()
			if err != nil {
				return err
			}
			go hs.Serve(ln)
		}
		return nil
	}
	if err := runCreate(fx.create(t, "0 6 * * 1", emulator.RadarReportID)); err != nil {
		t.Fatal(err)
	}
	if !opened || len(emu.RadarRequests()) != 1 || len(emu.ReportTasks()) != 1 {
		t.Errorf("opened %v, requests %d, tasks %d", opened, len(emu.RadarRequests()), len(emu.ReportTasks()))
	}
}

// TestRunEscapesServerText: a report name or interval with control
// characters is printed escaped (it cannot retitle the terminal or fake
// a line), while --json keeps the body exact.
func TestRunEscapesServerText(t *testing.T) {
	t.Parallel()
	body := `{"id":"` + emulator.RadarTaskID + `","interval":"0 6 * * 1\u001b[2J","instance":"` + emulator.RadarInstanceID +
		`","report_id":"` + emulator.RadarReportID + `","report":{"name":"evil\u001b]0;pwned\u0007\nid\tfake"}}`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(body))
	}))
	defer ts.Close()
	fx := newFixture(t, ts.URL, nil)
	if err := runCreate(fx.create(t, "0 6 * * 1", emulator.RadarReportID)); err != nil {
		t.Fatal(err)
	}
	out := fx.out.String()
	if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `report`+"\t"+`evil\e]0;pwned\x07\nid`+"\t"+`fake`) ||
		!strings.Contains(out, "interval\t0 6 * * 1\\e[2J\n") || strings.Count(out, "\n") != 3 {
		t.Errorf("stdout %q", out)
	}
	fx.out.Reset()
	o := fx.create(t, "0 6 * * 1", emulator.RadarReportID)
	o.JSON = true
	if err := runCreate(o); err != nil {
		t.Fatal(err)
	}
	if fx.out.String() != body+"\n" {
		t.Errorf("--json %q", fx.out)
	}
}

// TestRunExplainsOnATerminal: with stderr a terminal the interval is
// explained before the request; in a pipe it is not.
func TestRunExplainsOnATerminal(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	for _, tty := range []bool{true, false} {
		fx := newFixture(t, srv.URL, nil)
		fx.ios.SetTTY(false, false, tty)
		if err := runCreate(fx.create(t, "0 3 * * 1", emulator.RadarReportID)); err != nil {
			t.Fatal(err)
		}
		explained := strings.Contains(fx.err.String(), `interval "0 3 * * 1": at 03:00 on Monday`+"\n"+
			"next runs (local time): 2026-03-30T03:00:00+02:00, 2026-04-06T03:00:00+02:00, 2026-04-13T03:00:00+02:00\n")
		if explained != tty {
			t.Errorf("tty %v: stderr %q", tty, fx.err)
		}
	}
}
