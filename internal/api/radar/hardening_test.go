package radar

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// endless writes 64 KiB pieces until the client stops reading, and
// counts what went out.
func endless(status int, sent *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		piece := []byte(`{"a":"` + strings.Repeat("x", 64<<10) + `",`)
		for {
			n, err := w.Write(piece)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}
}

// TestCreateBoundedBodies: an answer that never ends, as a success or as
// an error, is read only up to its bound; the create is sent once and
// the error says so.
func TestCreateBoundedBodies(t *testing.T) {
	for _, status := range []int{http.StatusCreated, http.StatusInternalServerError, http.StatusBadRequest} {
		var sent atomic.Int64
		var hits atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			endless(status, &sent)(w, r)
		}))
		_, err := create(t, client(t, ts.URL, "", 3), emulator.RadarReportID)
		ts.Close() // waits for the handler: the client has stopped reading
		if err == nil {
			t.Fatalf("%d with an endless body: no error", status)
		}
		if c := exit.Code(err); c != exit.Service && c != exit.Rejected {
			t.Errorf("%d: exit %d (%v)", status, c, err)
		}
		if hits.Load() != 1 {
			t.Errorf("%d: %d requests, want 1", status, hits.Load())
		}
		// What the client read is bounded (maxBody for a task); what the
		// server managed to write beyond it is what the sockets buffer.
		if got := sent.Load(); got > maxBody+64<<20 {
			t.Errorf("%d: the server wrote %d bytes: the read is not bounded", status, got)
		}
	}
}

// TestCreateRedirectElsewhere: a redirect to another host never carries
// the API key or user id there, and the create is not sent twice to the
// service.
func TestCreateRedirectElsewhere(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		http.Error(w, "not here", http.StatusNotFound)
	}))
	defer other.Close()
	var hits atomic.Int32
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer origin.Close()
	_, err := create(t, client(t, origin.URL, "secret-api-key-1234", 3), emulator.RadarReportID)
	if err == nil {
		t.Fatal("a redirect to a 404 elsewhere succeeded")
	}
	if hits.Load() != 1 {
		t.Errorf("origin got %d requests, want 1", hits.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("followed to the other host: %d requests; error: %v", len(seen), err)
	for _, h := range seen {
		for k, v := range h {
			if strings.Contains(strings.Join(v, " "), "secret-api-key-1234") {
				t.Errorf("the API key went to the other host in %s", k)
			}
		}
	}
}

// TestCreateStalled: an answer that never comes ends at the time limit;
// the task may exist, and the error says so instead of sending again.
func TestCreateStalled(t *testing.T) {
	srv := startEmulator(t, emulator.Options{})
	base, err := BaseURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := httpx.New(httpx.Options{
		Service: Service.Name, Base: base, Retries: 3, Timeout: 300 * time.Millisecond,
		Auth: Service.NewAuth("", ""), DecodeError: DecodeError,
		Backoff: httpx.Backoff{Sleep: httpx.NoSleep},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = create(t, c, emulator.RadarReportStall)
	if exit.Code(err) != exit.Service || !strings.Contains(exit.Hint(err), "may have been created") {
		t.Errorf("stall: exit %d, %v / %s", exit.Code(err), err, exit.Hint(err))
	}
	if n := len(srv.RadarRequests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
