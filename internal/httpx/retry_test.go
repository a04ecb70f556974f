package httpx

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRetryPolicy: each request's policy decides what is sent again.
func TestRetryPolicy(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		policy   Retry
		status   int
		wantReqs int32
	}{
		{"GET by method retries 503", "GET", ByMethod, 503, 4},
		{"POST by method does not retry 503", "POST", ByMethod, 503, 1},
		{"POST by method does not retry 429", "POST", ByMethod, 429, 1},
		{"POST Also429 retries 429", "POST", Also429, 429, 4},
		{"POST Also429 does not retry 503", "POST", Also429, 503, 1},
		{"POST NeverSentOnly does not retry 429", "POST", NeverSentOnly, 429, 1},
		{"GET NeverSentOnly does not retry 503", "GET", NeverSentOnly, 503, 1},
		{"POST Idempotent retries 503", "POST", Idempotent, 503, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n, _ := failing(t, tt.status, 10, nil)
			c, _ := newClient(t, Options{Retries: 3})
			req, _ := http.NewRequest(tt.method, srv.URL, strings.NewReader("{}"))
			_, err := c.Send(req, Call{Retry: tt.policy})
			if err == nil || n.Load() != tt.wantReqs {
				t.Errorf("%d requests (err %v), want %d", n.Load(), err, tt.wantReqs)
			}
			if !MaybeSent(err) {
				t.Errorf("an answer from the service must count as sent: %v", err)
			}
		})
	}
}

// TestPOSTNotRetriedOnceMaybeSent: a POST whose connection breaks after
// the request went out is reported, never sent twice, and the error says
// it may have been sent.
func TestPOSTNotRetriedOnceMaybeSent(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.ReadAll(r.Body)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	for _, policy := range []Retry{ByMethod, NeverSentOnly, Also429} {
		n.Store(0)
		c, s := newClient(t, Options{Retries: 3})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/tasks", strings.NewReader(`{"a":1}`))
		_, err := c.Send(req, Call{Retry: policy})
		var ne *NetError
		if !errors.As(err, &ne) || n.Load() != 1 || len(s.all()) != 0 {
			t.Errorf("policy %d: err %v, %d requests, %d waits; want one request", policy, err, n.Load(), len(s.all()))
		}
		if !MaybeSent(err) {
			t.Errorf("policy %d: MaybeSent = false after the request went out", policy)
		}
	}
}

// TestPOSTRetriedAfterDialFailure: a dial failure proves nothing was
// sent, so a POST is sent again; the retry reaches a server that listens
// on the port by then.
func TestPOSTRetriedAfterDialFailure(t *testing.T) {
	addr := closedPort(t)
	var got atomic.Int32
	c, s := newClient(t, Options{Retries: 2})
	c.opts.Backoff.Sleep = func(ctx context.Context, d time.Duration) error {
		s.sleep(ctx, d)
		if got.Load() > 0 || len(s.all()) > 1 {
			return nil
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("port %s taken meanwhile: %v", addr, err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Add(1)
			w.WriteHeader(http.StatusCreated)
		})}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
		return nil
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/tasks", strings.NewReader(`{}`))
	resp, err := c.Send(req, Call{Retry: NeverSentOnly})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got.Load() != 1 || resp.StatusCode != http.StatusCreated || len(s.all()) != 1 {
		t.Errorf("%d requests served, status %d, %d waits", got.Load(), resp.StatusCode, len(s.all()))
	}

	// When every dial fails, the error says nothing was sent.
	c2, _ := newClient(t, Options{Retries: 1})
	req, _ = http.NewRequest(http.MethodPost, "http://"+closedPort(t)+"/tasks", strings.NewReader(`{}`))
	_, err = c2.Send(req, Call{})
	if err == nil || MaybeSent(err) {
		t.Errorf("err %v: MaybeSent should be false after dial failures", err)
	}
}

// TestBudgetShared: requests that share a budget share its retries.
func TestBudgetShared(t *testing.T) {
	t.Parallel()
	srv, n, _ := failing(t, 503, 100, nil)
	c, s := newClient(t, Options{Retries: 3})
	b := c.NewBudget()
	for range 3 {
		c.Send(get(t, srv.URL), Call{Budget: b})
	}
	// The first request uses all three retries; the others none.
	if n.Load() != 6 || len(s.all()) != 3 || b.Used() != 3 {
		t.Errorf("%d requests, %d waits, %d used; want 6, 3, 3", n.Load(), len(s.all()), b.Used())
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second}
	for n := 1; n <= 8; n++ {
		d := b.Delay(n, 0)
		hi := min(100*time.Millisecond<<(n-1), time.Second)
		if d < hi/2 || d > hi {
			t.Errorf("Delay(%d) = %v, want in [%v, %v]", n, d, hi/2, hi)
		}
	}
	if d := b.Delay(1, 5*time.Second); d != 5*time.Second {
		t.Errorf("Retry-After not honoured: %v", d)
	}
	if d := (Backoff{}).Delay(100, 0); d > 30*time.Second || d < 15*time.Second {
		t.Errorf("default cap: %v", d)
	}
}
