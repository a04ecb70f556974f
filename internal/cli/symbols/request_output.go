package symbols

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"time"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/safetext"
)

// writeRaw prints the service's JSON answer unchanged, ending in a newline.
func writeRaw(w io.Writer, raw []byte) error {
	if !bytes.HasSuffix(raw, []byte("\n")) {
		raw = append(raw[:len(raw):len(raw)], '\n')
	}
	_, err := w.Write(raw)
	return err
}

// expiry is a request's expiration date as RFC 3339, or the service's
// text escaped when it does not parse.
func expiry(r *symapi.Request) string {
	if t, ok := r.Expires(); ok {
		return t.Format(time.RFC3339)
	}
	if r.ExpirationDate == "" {
		return "(not given)"
	}
	return safetext.Escape(r.ExpirationDate)
}

// printRequest is show's table: one field a row.
func printRequest(ios *iostreams.IOStreams, r *symapi.Request) error {
	tab := ios.NewTable()
	tab.Row("id", safetext.Escape(r.ID))
	tab.Row("name", safetext.Escape(r.Name))
	if r.Description != "" {
		tab.Row("description", safetext.Escape(r.Description))
	}
	tab.Row("status", safetext.Escape(r.Status))
	tab.Row("expires", expiry(r))
	tab.Row("size", strconv.FormatInt(r.Size, 10))
	return tab.Print()
}

// readError gives a failed show or seal its context; the service's own
// answer (with its hint) is passed on as it is.
func readError(err error, verb string) error {
	var ae *httpx.APIError
	var ne *httpx.NetError
	var c exit.Coder
	if errors.As(err, &ae) || errors.As(err, &ne) || errors.As(err, &c) {
		return err
	}
	return exit.Wrapf(err, exit.Service, "the service's answer cannot be read: try again, or look at it with -v", "symbols request %s", verb)
}
