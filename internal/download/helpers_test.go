package download

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

type zipEntry struct {
	name string
	body []byte
	mode os.FileMode // 0: regular 0644
}

// makeZip builds an archive in memory.
func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
		if e.mode != 0 {
			h.SetMode(e.mode)
		} else if !strings.HasSuffix(e.name, "/") {
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// randomZip is an archive of about size bytes (stored, random content),
// so that its bytes are not compressible and ranges matter.
func randomZip(t testing.TB, size int, files int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(size), uint64(files)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	per := size / files
	for i := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("dir/file-%03d.bin", i), Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, per)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// server serves one archive with the behaviours a test asks for.
type server struct {
	t           testing.TB
	data        []byte
	disposition string
	contentType string
	ranges      bool   // Accept-Ranges: bytes, ETag, honour Range
	etag        string // default "\"v1\""
	noLength    bool   // chunked: no Content-Length
	// breakAt: on each of the first `breaks` answers, send the body up
	// to this absolute offset, then drop the connection.
	breakAt []int64
	// stallAt: on the first answer, stop sending at this offset and
	// wait (until the request is cancelled).
	stallAt int64
	// ignoreRange: answer a ranged request with a full 200.
	ignoreRange bool
	status      int // non-zero: answer with this status and body errBody
	errBody     string
	// hold: the first answer waits on this channel after sending holdAt bytes.
	hold   chan struct{}
	holdAt int64
	sent   chan struct{} // closed when hold starts waiting

	mu       sync.Mutex
	requests []*http.Request
	answers  int
	ts       *httptest.Server
}

func (s *server) start() *server {
	if s.contentType == "" {
		s.contentType = "application/zip"
	}
	if s.etag == "" {
		s.etag = `"v1"`
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.handle))
	s.t.Cleanup(s.ts.Close)
	return s
}

func (s *server) requestsSeen() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.requests...)
}

func (s *server) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Clone(context.Background()))
	n := s.answers
	s.answers++
	s.mu.Unlock()

	if s.status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s.status)
		w.Write([]byte(s.errBody))
		return
	}
	h := w.Header()
	h.Set("Content-Type", s.contentType)
	if s.disposition != "" {
		h.Set("Content-Disposition", s.disposition)
	}
	start, end := int64(0), int64(len(s.data))
	status := http.StatusOK
	if s.ranges {
		h.Set("Accept-Ranges", "bytes")
		h.Set("ETag", s.etag)
		if rg := r.Header.Get("Range"); rg != "" && !s.ignoreRange && r.Header.Get("If-Range") == s.etag {
			v, ok := strings.CutPrefix(rg, "bytes=")
			a, err := strconv.ParseInt(strings.TrimSuffix(v, "-"), 10, 64)
			if !ok || err != nil || a >= end {
				w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
				return
			}
			start = a
			status = http.StatusPartialContent
			h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", a, end-1, end))
		}
	}
	if !s.noLength {
		h.Set("Content-Length", strconv.FormatInt(end-start, 10))
	}
	w.WriteHeader(status)
	stop := end
	if n < len(s.breakAt) && s.breakAt[n] > start {
		stop = s.breakAt[n]
	}
	if n == 0 && s.stallAt > 0 {
		w.Write(s.data[start:s.stallAt])
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		return
	}
	if n == 0 && s.hold != nil {
		w.Write(s.data[start:s.holdAt])
		w.(http.Flusher).Flush()
		close(s.sent)
		select {
		case <-s.hold:
		case <-r.Context().Done():
			return
		}
		start = s.holdAt
	}
	w.Write(s.data[start:stop])
	if stop < end {
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
}

func (s *server) source(id string) Source {
	return Source{
		ID:          id,
		DefaultName: "debug-report-" + id + ".zip",
		Request: func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, s.ts.URL+"/archive/"+id, nil)
		},
	}
}

func testClient(t testing.TB, mod ...func(*httpx.Options)) *httpx.Client {
	t.Helper()
	o := httpx.Options{Service: "test", Retries: 1, Backoff: httpx.Backoff{Sleep: httpx.NoSleep}}
	for _, m := range mod {
		m(&o)
	}
	c, err := httpx.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testOptions(t testing.TB, dir string) (Options, *bytes.Buffer) {
	ios, _, out, _ := iostreams.Test()
	return Options{Client: testClient(t), IO: ios, Dir: dir, Parallel: 4, Retries: 3}, out
}

// listDir returns the names in dir (sorted), to spot leftovers.
func listDir(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func noTemp(t testing.TB, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), tempPrefix) {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

func one(t testing.TB, ctx context.Context, src Source, opts Options) Result {
	t.Helper()
	res := Run(ctx, []Source{src}, opts)
	if len(res) != 1 {
		t.Fatalf("got %d results", len(res))
	}
	return res[0]
}

const testID = "6f1c2a3b-0000-4000-8000-000000000001"
