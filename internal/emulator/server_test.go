package emulator

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStartAndShutdown(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q", s.URL)
	}
	a := call(t, "GET", sandboxURL(s.URL, TaskOK), "", sandboxAuth)
	if a.status != 200 {
		t.Fatalf("status %d", a.status)
	}

	// A stalled download must not keep Shutdown waiting: the server
	// releases it.
	req, _ := http.NewRequest("GET", sandboxURL(s.URL, TaskStall), nil)
	sandboxAuth(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, resp.ContentLength/2)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Shutdown took %v", d)
	}
	if _, err := http.Get(s.URL); err == nil {
		t.Error("still serving after Shutdown")
	}
}

func TestReceived(t *testing.T) {
	e, base := serve(t, Options{})
	call(t, "GET", logsURL(base, SubJobOK), "", logsAuth)
	call(t, "POST", base+radarPath, radarBody("0 6 * * 1", RadarInstanceID, RadarReportID), radarUser)
	got := e.Received()
	if len(got) != 2 {
		t.Fatalf("%d requests logged, want 2", len(got))
	}
	if r := got[0]; r.Method != "GET" || r.Path != "/v1/log-file" || r.RawQuery != "sub_job_id="+SubJobOK ||
		r.Header.Get("X-Auth-Token") != LogsToken || r.Header.Get("Authorization") != "" || len(r.Body) != 0 || r.Host == "" || r.Time.IsZero() {
		t.Errorf("first = %+v", r)
	}
	if r := got[1]; r.Method != "POST" || r.Path != radarPath || !bytes.Contains(r.Body, []byte(RadarReportID)) {
		t.Errorf("second = %+v", r)
	}
	// The log is a copy: changing it changes nothing inside.
	got[0].Method = "x"
	if e.Received()[0].Method != "GET" {
		t.Error("Received shares its slice")
	}
}

func TestDescribe(t *testing.T) {
	e := New(Options{Fault: FaultSlow, RadarAPIKey: RadarDemoAPIKey, BigSize: 1 << 30})
	var b bytes.Buffer
	e.Describe(&b, "http://127.0.0.1:9999")
	out := b.String()
	for _, want := range []string{
		"http://127.0.0.1:9999", SandboxUser, SandboxPassword, TaskOK, TaskBig, TaskDropOnce, LogsToken, SubJob200Error,
		SymbolsPAT, SymbolsBearer, SymbolRequestOpen, KnownBlobID, RadarUserID, RadarReportID, RadarDemoAPIKey,
		SymbolsExpiredPAT, SymbolRequest429, SymbolRequestDrop, SymbolRequestPreview, SymbolRequestOpenName, "_apis/symbol/symsrv/",
		"export DIAGCTL_SANDBOX_SERVER=http://127.0.0.1:9999", "export DIAGCTL_LOGS_TOKEN=", "export DIAGCTL_SYMBOLS_TOKEN=",
		"export DIAGCTL_REPORT_TASK_API_KEY=" + RadarDemoAPIKey, "curl -u analyst:s3cret-pass", "Fault mode: slow", "1 GiB",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("description lacks %q", want)
		}
	}
	// The same text is served at / for a person with a browser.
	_, base := serve(t, Options{})
	if a := call(t, "GET", base+"/", "", nil); a.status != 200 || !strings.Contains(string(a.body), base) {
		t.Errorf("GET /: %d", a.status)
	}
}

// New must stay cheap: the CLI's start-up time is measured.
func TestNewIsCheap(t *testing.T) {
	allocs := testing.AllocsPerRun(10, func() { New(Options{}) })
	if allocs > 20 {
		t.Errorf("New makes %v allocations", allocs)
	}
}

func TestReceivedLimit(t *testing.T) {
	e, base := serve(t, Options{ReceivedLimit: 3})
	for i := range 10 {
		call(t, "GET", base+"/nowhere?i="+itoa(i), "", nil)
	}
	got := e.Received()
	if len(got) < 3 || len(got) >= 6 || got[len(got)-1].RawQuery != "i=9" {
		t.Errorf("%d requests kept, last %q", len(got), got[len(got)-1].RawQuery)
	}
}
