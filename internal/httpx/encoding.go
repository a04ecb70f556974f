package httpx

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/safetext"
)

// decodeContentEncoding handles a Content-Encoding nobody asked for.
// diagctl sends no Accept-Encoding (an archive must arrive as it is: its
// length, ranges and hash are of its bytes), yet misconfigured servers
// and proxies compress anyway. A gzip body is decoded, and the answer
// marked Uncompressed, as Go's transport does for one it asked for: its
// length is then unknown and byte ranges no longer apply to it. Any
// other encoding is returned as an error, for a caller that wants a file
// to refuse it instead of saving an encoded archive. A request that set
// its own Accept-Encoding gets its answer untouched.
func decodeContentEncoding(req *http.Request, resp *http.Response) *APIError {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if enc == "" || enc == "identity" || req.Header.Get("Accept-Encoding") != "" {
		return nil
	}
	if (enc == "gzip" || enc == "x-gzip") && resp.StatusCode != http.StatusPartialContent {
		resp.Body = &gzipBody{rc: resp.Body}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
		return nil
	}
	return &APIError{
		Status:  resp.StatusCode,
		Message: fmt.Sprintf("the answer is encoded with Content-Encoding: %s, which diagctl did not ask for (nothing was saved)", safetext.Escape(enc)),
		Next:    "turn off compression for this path on the server or on the proxy in front of it (nginx: gzip off; brotli off)",
		Exit:    exit.Failure,
	}
}

// gzipBody decodes a gzip body, starting at the first Read (reading the
// gzip header must not block the caller before it reads).
type gzipBody struct {
	rc io.ReadCloser
	zr *gzip.Reader
}

func (b *gzipBody) Read(p []byte) (int, error) {
	if b.zr == nil {
		zr, err := gzip.NewReader(b.rc)
		if err != nil {
			return 0, b.wrap(err)
		}
		b.zr = zr
	}
	n, err := b.zr.Read(p)
	return n, b.wrap(err)
}

// wrap keeps the transport's errors (a stall, a timeout) as they are and
// names gzip's own.
func (b *gzipBody) wrap(err error) error {
	switch err {
	case nil, io.EOF:
		return err
	case gzip.ErrHeader, gzip.ErrChecksum:
		return fmt.Errorf("the gzip-encoded answer is corrupt: %w", err)
	}
	if err == io.ErrUnexpectedEOF {
		return fmt.Errorf("the gzip-encoded answer ended early: %w", err)
	}
	return err
}

func (b *gzipBody) Close() error { return b.rc.Close() }
