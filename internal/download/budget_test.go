package download

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

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
