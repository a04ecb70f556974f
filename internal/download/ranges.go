package download

import (
	"net/http"
	"strconv"
	"strings"
)

// What an answer says about resuming, as pure functions of its headers
// (table-tested and fuzzed).

// acceptsRanges: Accept-Ranges lists "bytes".
func acceptsRanges(h http.Header) bool {
	for _, v := range h.Values("Accept-Ranges") {
		for _, tok := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), "bytes") {
				return true
			}
		}
	}
	return false
}

// validator is what If-Range can name the archive's version with: a
// strong ETag, else Last-Modified; "" when there is neither (a weak ETag
// cannot be used).
func validator(h http.Header) string {
	if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		return et
	}
	return h.Get("Last-Modified")
}

// contentRange is a parsed "bytes FIRST-LAST/SIZE"; size is -1 for "*".
type contentRange struct{ first, last, size int64 }

// parseContentRange parses a 206's Content-Range. It refuses anything but
// a satisfied byte range whose numbers are consistent (first <= last,
// last < size when the size is known).
func parseContentRange(v string) (contentRange, bool) {
	spec, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return contentRange{}, false
	}
	rng, size, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if !ok {
		return contentRange{}, false
	}
	first, last, ok := strings.Cut(rng, "-")
	if !ok {
		return contentRange{}, false
	}
	a, err1 := strconv.ParseInt(first, 10, 64)
	b, err2 := strconv.ParseInt(last, 10, 64)
	if err1 != nil || err2 != nil || a < 0 || b < a {
		return contentRange{}, false
	}
	cr := contentRange{first: a, last: b, size: -1}
	if size != "*" {
		c, err := strconv.ParseInt(size, 10, 64)
		if err != nil || c <= b {
			return contentRange{}, false
		}
		cr.size = c
	}
	return cr, true
}
