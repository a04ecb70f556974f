package download

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

// What real servers and proxies do to an archive on its way.

func TestZipRecognisedByItsBytes(t *testing.T) {
	t.Parallel()
	data := makeZip(t, zipEntry{name: "a.txt", body: []byte("hello")}, zipEntry{name: "b.bin", body: bytes.Repeat([]byte{0, 0xff}, 5000)})
	for _, ct := range []string{"text/plain", "application/octet-stream", "text/html", "application/json"} {
		t.Run(ct, func(t *testing.T) {
			srv := (&server{t: t, data: data, contentType: ct}).start()
			dir := t.TempDir()
			opts, _ := testOptions(t, dir)
			res := one(t, context.Background(), srv.source(testID), opts)
			if res.Err != nil || res.SHA256 != sha(data) || res.Files != 2 {
				t.Fatalf("result %+v (err %v), want sha %s", res, res.Err, sha(data))
			}
			if got, _ := os.ReadFile(res.Path); !bytes.Equal(got, data) {
				t.Error("saved bytes differ")
			}
		})
	}
}

func TestErrorBodiesRefusedWhateverTheirLabel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, ct, body, want string }{
		{"json under application/zip", "application/zip", `{"error":"debug report is not ready"}`, "debug report is not ready"},
		{"html under application/zip", "application/zip", "<html><head><title>Login - Sandbox</title></head><body>...</body></html>", "Login - Sandbox"},
		{"text under application/zip", "application/zip", "Service temporarily unavailable", "Service temporarily unavailable"},
		{"binary that is not a ZIP", "application/zip", "\x1f\x8b\x08\x00\x1b]0;x\x07", "not a ZIP archive (Content-Type application/zip, starts with 1f 8b 08 00"},
		{"empty", "application/zip", "", "not a ZIP archive (Content-Type application/zip, empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := (&server{t: t, data: []byte(tt.body), contentType: tt.ct}).start()
			dir := t.TempDir()
			opts, _ := testOptions(t, dir)
			res := one(t, context.Background(), srv.source(testID), opts)
			if res.Err == nil || exit.Code(res.Err) != exit.Service || !strings.Contains(res.Err.Error(), tt.want) || !safetext.IsSafe(res.Err.Error()) {
				t.Fatalf("err %q (exit %d), want exit 6 (the service misbehaved) with %q, no control byte", res.Err, exit.Code(res.Err), tt.want)
			}
			if names := listDir(t, dir); len(names) != 0 {
				t.Errorf("left %v", names)
			}
		})
	}
}

func TestUnaskedGzipArchiveDecoded(t *testing.T) {
	t.Parallel()
	data := randomZip(t, 300_000, 3)
	var enc bytes.Buffer
	zw := gzip.NewWriter(&enc)
	zw.Write(data)
	zw.Close()
	gz := enc.Bytes()
	// Ranges advertised for the compressed bytes: a break restarts from
	// zero instead of resuming at a decoded offset.
	var breaks atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" {
			t.Errorf("asked for a range of a gzip-encoded answer: %s", r.Header.Get("Range"))
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Accept-Ranges", "bytes")
		w.Header().Set("ETag", `"gz"`)
		if breaks.Add(1) == 1 {
			w.Write(gz[:len(gz)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		w.Write(gz)
	}))
	t.Cleanup(ts.Close)
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	src := Source{ID: testID, DefaultName: "a.zip", Request: func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, ts.URL, nil)
	}}
	res := one(t, context.Background(), src, opts)
	if res.Err != nil || res.SHA256 != sha(data) || res.Bytes != int64(len(data)) {
		t.Fatalf("result %+v (err %v)", res, res.Err)
	}
}

func TestTimeoutBoundsResumes(t *testing.T) {
	t.Parallel()
	// The server sends 4 KiB, then drops the connection, on every answer;
	// each break resumes. --timeout 300ms ends the item however many
	// retries remain, and nothing is left behind.
	data := randomZip(t, 8<<20, 2)
	var breaks []int64
	for i := int64(1); i < 2000; i++ {
		breaks = append(breaks, i*4096)
	}
	srv := (&server{t: t, data: data, ranges: true, breakAt: breaks}).start()
	dir := t.TempDir()
	opts, _ := testOptions(t, dir)
	opts.Retries = 1_000_000
	opts.Client = testClient(t, func(o *httpx.Options) {
		o.Timeout = 300 * time.Millisecond
		o.Retries = 1_000_000
		o.Backoff = httpx.Backoff{Base: 10 * time.Millisecond, Max: 10 * time.Millisecond}
	})
	start := time.Now()
	res := one(t, context.Background(), srv.source(testID), opts)
	el := time.Since(start)
	var te *httpx.TimeoutError
	if !errors.As(res.Err, &te) || exit.Code(res.Err) != exit.Service || !strings.HasSuffix(*res.Error, "timed out after 300ms") || !strings.HasPrefix(exit.Hint(res.Err), "raise --timeout") {
		t.Fatalf("err %v (exit %d), hint %q", res.Err, exit.Code(res.Err), exit.Hint(res.Err))
	}
	if n := len(srv.requestsSeen()); n < 3 || el < 300*time.Millisecond || el > 5*time.Second {
		t.Errorf("%d requests in %v: want several resumes, ended by the 300ms limit", n, el)
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Errorf("left %v", names)
	}
}
