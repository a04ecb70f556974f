package download

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// TestRetriesBoundTotalRequests: --retries N is one budget per item, for
// the requests' own retries (503) and the resumes of a body that breaks
// alike, so a download that keeps failing makes exactly N+1 requests.
func TestRetriesBoundTotalRequests(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 256<<10, 2)
	for _, retries := range []int{0, 1, 3, 6} {
		t.Run(strconv.Itoa(retries), func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// Every other request is a 503, the rest break mid-body.
				if n.Add(1)%2 == 0 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				w.Header().Set("Content-Type", "application/zip")
				w.Header().Set("Content-Length", strconv.Itoa(len(data)))
				w.WriteHeader(http.StatusOK)
				w.Write(data[:len(data)/2])
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			}))
			t.Cleanup(ts.Close)
			// The client's own default is much larger: only the item's
			// budget may bound the requests.
			client := testClient(t, func(o *httpx.Options) { o.Retries = 100 })
			opts, _ := testOptions(t, t.TempDir())
			opts.Client, opts.Retries = client, retries
			src := Source{ID: testID, DefaultName: "a.zip", Request: func(ctx context.Context) (*http.Request, error) {
				return http.NewRequestWithContext(ctx, http.MethodGet, ts.URL, nil)
			}}
			res := one(t, context.Background(), src, opts)
			if res.Err == nil || exit.Code(res.Err) != exit.Service {
				t.Fatalf("err %v (exit %d), want exit 6", res.Err, exit.Code(res.Err))
			}
			if got := n.Load(); got != int32(retries+1) {
				t.Errorf("--retries %d made %d requests, want %d", retries, got, retries+1)
			}
		})
	}
}

// TestResumeAfterProgressWaitsTheShortestTime: a relay that cuts every
// connection after some bytes makes progress on each resume, so every
// wait is the first (shortest) one; only breaks with nothing received in
// between make the backoff grow.
func TestResumeAfterProgressWaitsTheShortestTime(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 256<<10, 2)
	const chunk = 40 << 10
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := 0
		if rg := r.Header.Get("Range"); rg != "" {
			start, _ = strconv.Atoi(rg[len("bytes=") : len(rg)-1])
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Accept-Ranges", "bytes")
		end := min(start+chunk, len(data))
		if start > 0 {
			w.Header().Set("Content-Range", "bytes "+strconv.Itoa(start)+"-"+strconv.Itoa(len(data)-1)+"/"+strconv.Itoa(len(data)))
			w.Header().Set("Content-Length", strconv.Itoa(len(data)-start))
			w.WriteHeader(http.StatusPartialContent)
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.WriteHeader(http.StatusOK)
		}
		w.Write(data[start:end])
		if end < len(data) {
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
	}))
	t.Cleanup(ts.Close)
	var mu sync.Mutex
	var waits []time.Duration
	client := testClient(t, func(o *httpx.Options) {
		o.Backoff = httpx.Backoff{Base: time.Second, Max: time.Minute, Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			return nil
		}}
	})
	opts, _ := testOptions(t, t.TempDir())
	opts.Client, opts.Retries = client, 10
	src := Source{ID: testID, DefaultName: "a.zip", Request: func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, ts.URL, nil)
	}}
	if res := one(t, context.Background(), src, opts); res.Err != nil {
		t.Fatal(res.Err)
	}
	first := httpx.Backoff{Base: time.Second, Max: time.Minute}
	if len(waits) != 6 {
		t.Fatalf("%d waits for 6 resumes: %v", len(waits), waits)
	}
	for i, d := range waits {
		// Delay(1) with its jitter is at most the base; Delay(2) at least.
		if d > first.Base {
			t.Errorf("wait %d after a resume that made progress is %v: %v", i+1, d, waits)
		}
	}
}
