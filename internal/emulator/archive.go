package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// content is an archive's bytes: held in memory, or generated.
type content interface {
	Size() int64
	WriteRange(w io.Writer, off, n int64) error
}

type bytesContent []byte

func (b bytesContent) Size() int64 { return int64(len(b)) }
func (b bytesContent) WriteRange(w io.Writer, off, n int64) error {
	_, err := w.Write(b[off : off+n])
	return err
}

// archive is a downloadable file and how it is offered.
type archive struct {
	body        content
	contentType string
	filename    string // Content-Disposition file name; "" sends none
	ranges      bool   // Accept-Ranges, Range, If-Range, ETag, Last-Modified
	etag        string
	modTime     time.Time
}

func newArchive(data []byte, contentType, filename string) *archive {
	sum := sha256.Sum256(data)
	return &archive{
		body:        bytesContent(data),
		contentType: contentType,
		filename:    filename,
		ranges:      true,
		etag:        `"` + hex.EncodeToString(sum[:8]) + `"`,
		modTime:     fixtureTime(),
	}
}

// lazyArchive builds an archive once, on first request, outside the
// emulator's lock so a 2 MiB build does not hold up other requests.
type lazyArchive struct {
	once sync.Once
	a    *archive
}

func (e *Emulator) archive(key string, build func() *archive) *archive {
	e.mu.Lock()
	l := e.archives[key]
	if l == nil {
		l = &lazyArchive{}
		e.archives[key] = l
	}
	e.mu.Unlock()
	l.once.Do(func() { l.a = build() })
	return l.a
}

// bigArchive is the generated archive of Options.BigSize bytes; its layout
// and CRC are worked out once per emulator.
func (e *Emulator) bigArchive(filename string) *archive {
	e.bigOnce.Do(func() { e.big = newBigZip(e.opts.BigSize) })
	return &archive{
		body:        e.big,
		contentType: "application/zip",
		filename:    filename,
		ranges:      true,
		etag:        fmt.Sprintf(`"big-%x"`, e.big.size),
		modTime:     fixtureTime(),
	}
}

// serveArchive answers a download: headers, an optional single range, and
// the body through the fault plan p.
func serveArchive(w http.ResponseWriter, r *http.Request, a *archive, p plan) {
	size := a.body.Size()
	off, n, partial := int64(0), size, false
	if a.ranges && r.Header.Get("Range") != "" && ifRangeHolds(r, a) {
		start, length, ok, satisfiable := parseRange(r.Header.Get("Range"), size)
		switch {
		case ok && !satisfiable:
			w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", size))
			http.Error(w, "requested range not satisfiable", http.StatusRequestedRangeNotSatisfiable)
			return
		case ok:
			off, n, partial = start, length, true
		}
	}

	h := w.Header()
	h.Set("Content-Type", a.contentType)
	if a.filename != "" {
		h.Set("Content-Disposition", `attachment; filename="`+a.filename+`"`)
	}
	if a.ranges {
		h.Set("Accept-Ranges", "bytes")
		h.Set("ETag", a.etag)
		h.Set("Last-Modified", a.modTime.UTC().Format(http.TimeFormat))
	}
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	status := http.StatusOK
	if partial {
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, size))
		status = http.StatusPartialContent
	}
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	_ = a.body.WriteRange(p.writer(w, r, n), off, n)
}

// ifRangeHolds reports whether a Range may be honoured: without If-Range
// always; with it only if it names the current ETag (strongly) or exactly
// the Last-Modified date. Otherwise the whole file is sent, as RFC 9110
// says, so a client resuming a changed file starts over.
func ifRangeHolds(r *http.Request, a *archive) bool {
	ir := strings.TrimSpace(r.Header.Get("If-Range"))
	if ir == "" {
		return true
	}
	if strings.HasPrefix(ir, `"`) || strings.HasPrefix(ir, "W/") {
		return ir == a.etag // a weak tag never matches
	}
	t, err := http.ParseTime(ir)
	return err == nil && t.Equal(a.modTime.Truncate(time.Second))
}

// parseRange reads a single "bytes=" range. ok is false when the header is
// malformed or asks for several ranges (the file is then sent whole, which
// servers may do); satisfiable is false when the range starts past the end.
func parseRange(v string, size int64) (start, length int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(v, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, false
	}
	if first == "" { // suffix: the last N bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		n = min(n, size)
		return size - n, n, true, true
	}
	s, err := strconv.ParseInt(first, 10, 64)
	if err != nil || s < 0 {
		return 0, 0, false, false
	}
	end := size - 1
	if last != "" {
		e, err := strconv.ParseInt(last, 10, 64)
		if err != nil || e < s {
			return 0, 0, false, false
		}
		end = min(e, size-1)
	}
	if s >= size {
		return 0, 0, true, false
	}
	return s, end - s + 1, true, true
}
