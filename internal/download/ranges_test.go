package download

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseContentRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want contentRange
		ok   bool
	}{
		{"bytes 0-99/100", contentRange{0, 99, 100}, true},
		{"bytes 600000-1048575/1048576", contentRange{600000, 1048575, 1048576}, true},
		{"bytes 5-9/*", contentRange{5, 9, -1}, true},
		{"bytes  5-9/10", contentRange{5, 9, 10}, true},
		{"bytes 5-9/9", contentRange{}, false},  // last beyond the size
		{"bytes 9-5/10", contentRange{}, false}, // backwards
		{"bytes -5-9/10", contentRange{}, false},
		{"bytes */100", contentRange{}, false}, // unsatisfied range
		{"items 0-1/2", contentRange{}, false},
		{"bytes 0-1", contentRange{}, false},
		{"bytes 0-x/2", contentRange{}, false},
		{"", contentRange{}, false},
	}
	for _, tt := range tests {
		got, ok := parseContentRange(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseContentRange(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-99/100", "bytes 5-9/*", "bytes 9-5/10", "bytes */1", "bytes 0-9223372036854775807/*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cr, ok := parseContentRange(s)
		if !ok {
			return
		}
		if cr.first < 0 || cr.last < cr.first || (cr.size >= 0 && cr.last >= cr.size) || cr.size < -1 {
			t.Fatalf("parseContentRange(%q) accepted %+v", s, cr)
		}
	})
}

func TestValidatorAndRanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		h      http.Header
		valid  string
		ranges bool
	}{
		{http.Header{"Etag": {`"v1"`}, "Accept-Ranges": {"bytes"}}, `"v1"`, true},
		{http.Header{"Etag": {`W/"v1"`}, "Last-Modified": {"Wed, 21 Oct 2015 07:28:00 GMT"}}, "Wed, 21 Oct 2015 07:28:00 GMT", false},
		{http.Header{"Etag": {`W/"v1"`}}, "", false},
		{http.Header{"Accept-Ranges": {"none"}}, "", false},
		{http.Header{"Accept-Ranges": {"none, Bytes"}}, "", true},
		{http.Header{}, "", false},
	}
	for _, tt := range tests {
		if v := validator(tt.h); v != tt.valid {
			t.Errorf("validator(%v) = %q, want %q", tt.h, v, tt.valid)
		}
		if r := acceptsRanges(tt.h); r != tt.ranges {
			t.Errorf("acceptsRanges(%v) = %v, want %v", tt.h, r, tt.ranges)
		}
	}
}

// FuzzPlanExtract: whatever the central directory says, a plan that is
// accepted only names local paths, each once.
func FuzzPlanExtract(f *testing.F) {
	f.Add(makeZip(f, zipEntry{name: "a/"}, zipEntry{name: "a/b.txt", body: []byte("b")}))
	f.Add(makeZip(f, zipEntry{name: "../evil.txt", body: []byte("x")}))
	f.Add(makeZip(f, zipEntry{name: `c:\x`, body: []byte("x")}, zipEntry{name: "./a/../b"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		plan, err := planExtract(zr.File, int64(len(data)), defaultLimits)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range plan {
			if !filepath.IsLocal(filepath.FromSlash(e.rel)) || strings.HasPrefix(e.rel, "../") || e.rel == ".." {
				t.Fatalf("planned %q, not a local path", e.rel)
			}
			if seen[e.rel] && !e.dir {
				t.Fatalf("planned %q twice", e.rel)
			}
			seen[e.rel] = true
		}
	})
}
