package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		v               string
		start, length   int64
		ok, satisfiable bool
	}{
		{"bytes=0-99", 0, 100, true, true},
		{"bytes=100-", 100, 900, true, true},
		{"bytes=-100", 900, 100, true, true},
		{"bytes=-5000", 0, 1000, true, true},
		{"bytes=990-5000", 990, 10, true, true},
		{"bytes=999-999", 999, 1, true, true},
		{"bytes=1000-", 0, 0, true, false},
		{"bytes=-0", 0, 0, true, false},
		{"bytes=5-1", 0, 0, false, false},
		{"bytes=0-1,5-6", 0, 0, false, false},
		{"items=0-1", 0, 0, false, false},
		{"bytes=x-1", 0, 0, false, false},
		{"bytes=", 0, 0, false, false},
	}
	for _, tt := range tests {
		s, n, ok, sat := parseRange(tt.v, 1000)
		if s != tt.start || n != tt.length || ok != tt.ok || sat != tt.satisfiable {
			t.Errorf("parseRange(%q) = %d, %d, %v, %v; want %d, %d, %v, %v", tt.v, s, n, ok, sat, tt.start, tt.length, tt.ok, tt.satisfiable)
		}
	}
}

func TestRangesAndIfRange(t *testing.T) {
	_, base := serve(t, Options{})
	url := sandboxURL(base, TaskDropOnce)
	full := call(t, "GET", url, "", withRange(sandboxAuth, "bytes=0-")).body
	size := int64(len(full))
	if size < 1<<20 {
		t.Fatalf("archive is %d bytes, want about 1 MiB", size)
	}
	zipNames(t, full)
	first := call(t, "GET", url, "", withRange(sandboxAuth, "bytes=0-"))
	etag, lastMod := first.header.Get("ETag"), first.header.Get("Last-Modified")

	tests := []struct {
		name, rng, ifRange string
		status             int
		from, to           int64 // expected bytes [from, to]
	}{
		{"middle", "bytes=1000-1999", "", 206, 1000, 1999},
		{"open end", "bytes=524288-", "", 206, 524288, size - 1},
		{"suffix", "bytes=-22", "", 206, size - 22, size - 1},
		{"if-range etag", "bytes=10-19", etag, 206, 10, 19},
		{"if-range date", "bytes=10-19", lastMod, 206, 10, 19},
		{"if-range stale etag", "bytes=10-19", `"other"`, 200, 0, size - 1},
		{"if-range weak etag", "bytes=10-19", "W/" + etag, 200, 0, size - 1},
		{"if-range old date", "bytes=10-19", "Mon, 02 Jan 2006 15:04:05 GMT", 200, 0, size - 1},
		{"several ranges", "bytes=0-1,3-4", "", 200, 0, size - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "GET", url, "", func(r *http.Request) {
				sandboxAuth(r)
				r.Header.Set("Range", tt.rng)
				if tt.ifRange != "" {
					r.Header.Set("If-Range", tt.ifRange)
				}
			})
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d", a.status, tt.status)
			}
			if !bytes.Equal(a.body, full[tt.from:tt.to+1]) {
				t.Errorf("body is not bytes %d-%d", tt.from, tt.to)
			}
			if cl := a.header.Get("Content-Length"); cl != strconv.FormatInt(tt.to-tt.from+1, 10) {
				t.Errorf("Content-Length = %s", cl)
			}
			wantCR := ""
			if tt.status == 206 {
				wantCR = fmt.Sprintf("bytes %d-%d/%d", tt.from, tt.to, size)
			}
			if cr := a.header.Get("Content-Range"); cr != wantCR {
				t.Errorf("Content-Range = %q, want %q", cr, wantCR)
			}
			if a.header.Get("Accept-Ranges") != "bytes" || a.header.Get("ETag") != etag {
				t.Errorf("Accept-Ranges %q ETag %q", a.header.Get("Accept-Ranges"), a.header.Get("ETag"))
			}
		})
	}

	a := call(t, "GET", url, "", withRange(sandboxAuth, fmt.Sprintf("bytes=%d-", size)))
	if a.status != 416 || a.header.Get("Content-Range") != fmt.Sprintf("bytes */%d", size) {
		t.Errorf("past the end: %d, Content-Range %q", a.status, a.header.Get("Content-Range"))
	}
}

func withRange(setup func(*http.Request), rng string) func(*http.Request) {
	return func(r *http.Request) {
		setup(r)
		r.Header.Set("Range", rng)
	}
}

// TaskDropOnce: every request from the start is cut after about half; a
// resumed request gets the rest, and the two halves make the archive.
func TestDropOnceResume(t *testing.T) {
	_, base := serve(t, Options{})
	for _, url := range []string{sandboxURL(base, TaskDropOnce), logsURL(base, SubJobDropOnce)} {
		auth := sandboxAuth
		if url != sandboxURL(base, TaskDropOnce) {
			auth = logsAuth
		}
		for i := 0; i < 2; i++ {
			a := call(t, "GET", url, "", auth)
			size, _ := strconv.Atoi(a.header.Get("Content-Length"))
			if !errors.Is(a.err, io.ErrUnexpectedEOF) {
				t.Fatalf("%s try %d: read error %v, want unexpected EOF", url, i+1, a.err)
			}
			if len(a.body) != size/2 {
				t.Errorf("received %d of %d bytes, want half", len(a.body), size)
			}
			if a.header.Get("Accept-Ranges") != "bytes" || a.header.Get("ETag") == "" || a.header.Get("Last-Modified") == "" {
				t.Errorf("validators missing: %v", a.header)
			}
			if i == 1 {
				rest := call(t, "GET", url, "", func(r *http.Request) {
					auth(r)
					r.Header.Set("Range", fmt.Sprintf("bytes=%d-", len(a.body)))
					r.Header.Set("If-Range", a.header.Get("ETag"))
				})
				if rest.status != 206 || rest.err != nil {
					t.Fatalf("resume: %d %v", rest.status, rest.err)
				}
				zipNames(t, append(a.body, rest.body...))
			}
		}
	}
}

// TaskDropNoRange ignores Range and cuts odd-numbered requests.
func TestDropNoRange(t *testing.T) {
	_, base := serve(t, Options{})
	url := sandboxURL(base, TaskDropNoRange)
	for i := 1; i <= 4; i++ {
		a := call(t, "GET", url, "", withRange(sandboxAuth, "bytes=100-"))
		if a.status != 200 || a.header.Get("Accept-Ranges") != "" || a.header.Get("Content-Range") != "" {
			t.Fatalf("request %d: %d, Accept-Ranges %q", i, a.status, a.header.Get("Accept-Ranges"))
		}
		if odd := i%2 == 1; odd != errors.Is(a.err, io.ErrUnexpectedEOF) {
			t.Fatalf("request %d: read error %v", i, a.err)
		}
		if i%2 == 0 {
			zipNames(t, a.body)
		}
	}
}

func TestTask503Cycle(t *testing.T) {
	_, base := serve(t, Options{})
	for i := 1; i <= 6; i++ {
		a := call(t, "GET", sandboxURL(base, Task503), "", sandboxAuth)
		if i%3 != 0 {
			if a.status != 503 || a.header.Get("Retry-After") != "1" {
				t.Fatalf("request %d: %d Retry-After %q", i, a.status, a.header.Get("Retry-After"))
			}
			jsonEqual(t, a.body, `{"code":3,"message":"service temporarily unavailable"}`)
			continue
		}
		if a.status != 200 {
			t.Fatalf("request %d: %d", i, a.status)
		}
		zipNames(t, a.body)
	}
}

func TestSlowRate(t *testing.T) {
	_, base := serve(t, Options{SlowRate: 8 << 20}) // 2 MiB at 8 MiB/s: ~250 ms
	start := time.Now()
	a := call(t, "GET", sandboxURL(base, TaskSlow), "", sandboxAuth)
	took := time.Since(start)
	if a.status != 200 || a.err != nil || len(a.body) < 2<<20 {
		t.Fatalf("%d, %d bytes, %v", a.status, len(a.body), a.err)
	}
	zipNames(t, a.body)
	if took < 200*time.Millisecond {
		t.Errorf("2 MiB at 8 MiB/s took %v", took)
	}
}

// TaskStall sends half and then holds the connection until the client
// gives up.
func TestStall(t *testing.T) {
	_, base := serve(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", sandboxURL(base, TaskStall), nil)
	sandboxAuth(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	size := resp.ContentLength
	got, err := io.ReadFull(resp.Body, make([]byte, size/2))
	if err != nil || int64(got) != size/2 {
		t.Fatalf("read %d of the first half: %v", got, err)
	}
	read := make(chan error, 1)
	go func() {
		_, err := resp.Body.Read(make([]byte, 1))
		read <- err
	}()
	select {
	case err := <-read:
		t.Fatalf("a byte or an end arrived after half: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	select {
	case <-read:
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling did not end the read")
	}
}

func TestRunFaults(t *testing.T) {
	t.Run("503", func(t *testing.T) {
		_, base := serve(t, Options{Fault: Fault503})
		for i := 1; i <= 3; i++ {
			a := call(t, "GET", logsURL(base, SubJobOK), "", logsAuth)
			if want := map[bool]int{true: 503, false: 200}[i%3 != 0]; a.status != want {
				t.Fatalf("request %d: %d, want %d", i, a.status, want)
			}
			if a.status == 503 && a.header.Get("Retry-After") != "1" {
				t.Error("503 without Retry-After: 1")
			}
		}
		// Errors other than archives are not affected.
		if a := call(t, "GET", sandboxURL(base, TaskDeleted), "", sandboxAuth); a.status != 404 {
			t.Errorf("deleted task: %d", a.status)
		}
	})
	t.Run("drop", func(t *testing.T) {
		_, base := serve(t, Options{Fault: FaultDrop})
		for i := 1; i <= 2; i++ {
			a := call(t, "GET", sandboxURL(base, TaskOK), "", sandboxAuth)
			if (i == 1) != errors.Is(a.err, io.ErrUnexpectedEOF) {
				t.Fatalf("request %d: %v", i, a.err)
			}
		}
	})
	t.Run("slow", func(t *testing.T) {
		_, base := serve(t, Options{Fault: FaultSlow, SlowRate: 4 << 10})
		start := time.Now()
		a := call(t, "GET", sandboxURL(base, TaskOK), "", sandboxAuth) // < 1 KiB at 4 KiB/s
		if a.err != nil || time.Since(start) < 50*time.Millisecond {
			t.Errorf("%v after %v", a.err, time.Since(start))
		}
	})
	t.Run("stall", func(t *testing.T) {
		_, base := serve(t, Options{Fault: FaultStall})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		a := callCtx(t, ctx, "GET", sandboxURL(base, TaskOK), "", sandboxAuth)
		if a.err == nil {
			t.Error("a stalled body ended normally")
		}
	})
}
