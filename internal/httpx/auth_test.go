package httpx

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// A signing Auth sees the request (method, path, a replayable body) and
// is called again on every attempt, so each attempt carries its own
// signature.
func TestAuthSignsEveryAttempt(t *testing.T) {
	var mu sync.Mutex
	var got []string
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("X-Sig"))
		mu.Unlock()
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok")
	})
	var calls atomic.Int32
	auth := func(r *http.Request) error {
		body := ""
		if r.GetBody != nil {
			rc, err := r.GetBody()
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(rc)
			body = string(b)
		}
		r.Header.Set("X-Sig", r.Method+" "+r.URL.Path+" "+body+" #"+strconv.Itoa(int(calls.Add(1))))
		return nil
	}
	c, _ := newClient(t, Options{Auth: auth, Retries: 3})
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/v1/x", bytes.NewReader([]byte("payload")))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := []string{"PUT /v1/x payload #1", "PUT /v1/x payload #2", "PUT /v1/x payload #3"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("server saw %q, want %q", got, want)
	}
	if req.Header.Get("X-Sig") != "" {
		t.Error("Auth changed the caller's request")
	}
}

// An Auth that fails stops the request at once: nothing is sent and the
// error is not retried as if it were the network's.
func TestAuthErrorIsNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1) })
	boom := errors.New("cannot sign: no secret key")
	var calls atomic.Int32
	c, sl := newClient(t, Options{Auth: func(*http.Request) error { calls.Add(1); return boom }, Retries: 3})
	_, err := c.Do(get(t, srv.URL))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the Auth's error", err)
	}
	// One probe call for the trace's header list is not made without a
	// trace; the real call is made once.
	if calls.Load() != 1 || n.Load() != 0 || len(sl.all()) != 0 {
		t.Errorf("auth called %d times, server saw %d requests, %d waits", calls.Load(), n.Load(), len(sl.all()))
	}
}

// RedactHeader shows a secret header partly; a value it declines is
// redacted whole, and a header that is not secret never reaches it.
func TestTraceRedactHeader(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	auth := func(r *http.Request) error {
		r.Header.Set("Authorization", "SCHEME Key=public-id, Sig=secret-sig")
		r.Header.Set("X-Date", "20260101T000000Z")
		r.Header.Set("X-Other-Secret", "other-secret")
		return nil
	}
	var asked []string
	redact := func(name, v string) (string, bool) {
		asked = append(asked, name)
		switch name {
		case "Authorization":
			pub, _, _ := strings.Cut(v, ",")
			return pub + ", Sig=" + Redacted, true
		case "X-Date":
			return v, true
		}
		return "", false
	}
	var trace bytes.Buffer
	c, _ := newClient(t, Options{Auth: auth, Trace: &trace, RedactHeader: redact})
	req := get(t, srv.URL)
	req.Header.Set("Accept", "text/plain")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := trace.String()
	for _, want := range []string{"> Authorization: SCHEME Key=public-id, Sig=[redacted]", "> X-Date: 20260101T000000Z", "> X-Other-Secret: [redacted]", "> Accept: text/plain"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-sig") || strings.Contains(out, "other-secret") {
		t.Errorf("trace leaks a secret:\n%s", out)
	}
	for _, name := range asked {
		if name == "Accept" || name == "User-Agent" {
			t.Errorf("RedactHeader asked about %s, which is not secret", name)
		}
	}
}
