package download

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/safetext"
)

// brokenError is a transfer that broke mid-body: it may be resumed.
type brokenError struct{ err error }

func (e *brokenError) Error() string { return e.err.Error() }
func (e *brokenError) Unwrap() error { return e.err }

// notZipError: the answer's first bytes are not a ZIP's. It says what
// they are (their label, their first bytes in hex), never the bytes
// themselves: they may be binary, or escape sequences.
func notZipError(resp *http.Response, head []byte) error {
	what := ""
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		what = "Content-Type " + safetext.Escape(ct) + ", "
	}
	if len(head) == 0 {
		what += "empty"
	} else {
		what += "starts with " + strings.TrimSpace(fmt.Sprintf("% x", head))
	}
	// The service answered 200 with something else than the archive: it
	// misbehaved (exit 6), as for an error body sent with 200.
	return exit.Errorf(exit.Service,
		"check the ID and the server; run with -v to see the answer's headers",
		"the server's answer is not a ZIP archive (%s; nothing was saved)", what)
}

// transfer moves one archive from the server into a sink, resuming or
// restarting when the body breaks, and hashing on the side.
type transfer struct {
	ctx    context.Context
	client *httpx.Client
	src    Source
	// budget is the item's retries, shared by the requests' own retries
	// and the resumes: --retries N means at most N+1 requests.
	budget *httpx.Budget
	// gotAtBreak is t.got at the last break; quietBreaks counts the
	// breaks since the last one after which bytes arrived (the backoff).
	gotAtBreak  int64
	quietBreaks int

	// onFirst is called with the first answer's headers, before its body
	// is read: the file is named and checked for existence there, and the
	// progress display made.
	onFirst func(resp *http.Response) error
	// openSink is called once, when the first bytes look like a ZIP.
	openSink func() (sink, error)

	prog      *iostreams.Progress
	perItem   bool // prog is this transfer's own (not the aggregate)
	out       sink
	pipe      *hashPipe
	got       int64 // bytes written to the sink (and sent to the hash)
	counted   int64 // bytes added to prog
	total     int64 // expected length of the whole archive; -1 unknown
	ranges    bool  // server accepts byte ranges
	validator string
	wrote     func(got int64) // test hook: bytes went to the sink
	// note tells the user about a break and what happens next (stderr,
	// silent with --quiet); nil says nothing.
	note io.Writer
	// stall tells the user that the body being received has sent nothing
	// for a while (nil when not watching).
	stall *stallWatch
}

// run transfers the archive. On success every byte is in the sink and
// sent to the hash; the caller finishes both.
func (t *transfer) run() error {
	req, err := t.src.Request(t.ctx)
	if err != nil {
		return err
	}
	resp, err := t.client.Send(req, httpx.Call{Binary: true, Budget: t.budget, IsFile: isZipStart})
	if err != nil {
		return t.cause(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return unexpectedStatus(resp)
	}
	t.learn(resp)
	if err := t.onFirst(resp); err != nil {
		resp.Body.Close()
		return err
	}
	for {
		err := t.receive(resp)
		if err == nil {
			return nil
		}
		if t.ctx.Err() != nil {
			return context.Cause(t.ctx)
		}
		var broken *brokenError
		if !errors.As(err, &broken) {
			return err
		}
		retry, ok := t.budget.Take()
		if !ok {
			return t.gaveUp(broken.err, retry)
		}
		t.tell(broken.err, retry)
		// The wait grows only while breaks come with nothing received in
		// between: a resume that made progress waits the shortest time
		// again (a relay that cuts every connection after 64 KiB would
		// otherwise spend minutes waiting). --retries still bounds them.
		if t.got > t.gotAtBreak {
			t.quietBreaks = 0
		}
		t.quietBreaks++
		t.gotAtBreak = t.got
		if err := t.client.Backoff().Wait(t.ctx, t.quietBreaks, 0); err != nil {
			return err
		}
		if resp, err = t.reopen(); err != nil {
			if errors.Is(err, errCannotRestart) {
				return exit.Wrapf(broken.err, exit.Service, "try again, or save to a file (-o FILE or -d DIR) so that a broken transfer can restart", "the transfer to stdout broke after %s and the server cannot resume it", HumanBytes(t.got))
			}
			return t.cause(err)
		}
	}
}

// tell says that the transfer broke and whether it resumes or restarts.
func (t *transfer) tell(err error, retry int) {
	if t.note == nil {
		return
	}
	next := "restarting from the beginning"
	if t.got > 0 && t.ranges && t.validator != "" {
		next = "resuming at byte " + strconv.FormatInt(t.got, 10)
	}
	var ne *httpx.NetError
	if errors.As(err, &ne) {
		err = ne.Err // the ID already says which request
	}
	line := fmt.Sprintf("%s: the transfer broke after %s (%s); %s (retry %d of %d)\n",
		safetext.Escape(t.src.ID), HumanBytes(t.got), safetext.Escape(err.Error()), next, retry, t.budget.Max())
	if t.prog != nil {
		t.prog.Note(t.note, line)
		return
	}
	io.WriteString(t.note, line)
}

// cause prefers the context's cause (Ctrl-C) over the error it produced.
func (t *transfer) cause(err error) error {
	if t.ctx.Err() != nil {
		return context.Cause(t.ctx)
	}
	return err
}

func (t *transfer) gaveUp(err error, retries int) error {
	next := "try again, or raise --retries; check the network path to the server"
	if errors.Is(err, httpx.ErrStalled) {
		next = "the server stopped sending; try again later, or raise --retries or --stall-timeout"
	}
	of := ""
	if t.total >= 0 {
		of = " of " + HumanBytes(t.total)
	}
	return exit.Wrapf(err, exit.Service, next, "the transfer broke after %s%s (%d retries)", HumanBytes(t.got), of, retries)
}

func unexpectedStatus(resp *http.Response) error {
	return exit.Errorf(exit.Service, "try again; run with -v to see the answer",
		"unexpected answer %q from the server", resp.Status)
}

// learn records what an answer from byte zero says about the archive.
func (t *transfer) learn(resp *http.Response) {
	t.total = resp.ContentLength
	// Ranges of a body the server compressed unasked (httpx decoded it)
	// count compressed bytes: such a transfer restarts instead.
	t.ranges = acceptsRanges(resp.Header) && !resp.Uncompressed
	t.validator = validator(resp.Header)
	if t.perItem && t.prog != nil {
		t.prog.SetTotal(t.total)
	}
}

// reopen asks again after a break: for the rest of the archive when the
// server supports ranges (and names the version with a validator), else
// for all of it.
func (t *transfer) reopen() (*http.Response, error) {
	resume := t.got > 0 && t.ranges && t.validator != ""
	if t.got > 0 && !resume {
		if err := t.restart(); err != nil {
			return nil, err
		}
	}
	req, err := t.src.Request(t.ctx)
	if err != nil {
		return nil, err
	}
	var resp *http.Response
	if resume {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(t.got, 10)+"-")
		req.Header.Set("If-Range", t.validator)
		// Not DoBinary: its error-body sniffing would take a partial
		// body that happens to start with '{' for a JSON error. A 200
		// here is still checked for the ZIP signature by receive.
		resp, err = t.client.Send(req, httpx.Call{Budget: t.budget})
	} else {
		resp, err = t.client.Send(req, httpx.Call{Binary: true, Budget: t.budget, IsFile: isZipStart})
	}
	if err != nil {
		return nil, err
	}
	switch {
	case resume && resp.StatusCode == http.StatusPartialContent:
		if err := t.checkRange(resp); err != nil {
			resp.Body.Close()
			return nil, err
		}
		return resp, nil
	case resp.StatusCode == http.StatusOK:
		// A full answer: the archive changed, or ranges are not honoured.
		if t.got > 0 {
			if err := t.restart(); err != nil {
				resp.Body.Close()
				return nil, err
			}
		}
		t.learn(resp)
		return resp, nil
	default:
		resp.Body.Close()
		return nil, unexpectedStatus(resp)
	}
}

// restart throws away what was received: an empty sink, a fresh hash,
// the progress back by as much.
func (t *transfer) restart() error {
	if err := t.out.truncate(); err != nil {
		return err
	}
	t.pipe.reset()
	t.prog.Add(-t.counted)
	t.counted, t.got = 0, 0
	return nil
}

// checkRange accepts a 206 only when it continues exactly where we are,
// for the same total length.
func (t *transfer) checkRange(resp *http.Response) error {
	v := resp.Header.Get("Content-Range")
	cr, ok := parseContentRange(v)
	switch {
	case !ok, cr.first != t.got,
		resp.ContentLength >= 0 && resp.ContentLength != cr.last-cr.first+1,
		cr.size >= 0 && (cr.last != cr.size-1 || (t.total >= 0 && cr.size != t.total)),
		cr.size < 0 && t.total >= 0 && cr.last != t.total-1:
		return exit.Errorf(exit.Service, "try again",
			"the server answered the request to resume at byte %d with the wrong range (Content-Range %q)", t.got, v)
	}
	if cr.size >= 0 {
		t.total = cr.size
	}
	return nil
}

// receive copies one answer's body into the sink. An answer that starts
// at byte zero is first checked for the ZIP signature, before the sink
// exists. A body that ends early or fails is a brokenError.
func (t *transfer) receive(resp *http.Response) error {
	defer resp.Body.Close()
	body := resp.Body
	t.stall = watchStall(t.src.ID, t.client.StallTimeout(), t.prog, t.note)
	defer t.stall.end()
	var pending []byte
	if t.got == 0 {
		var sig [4]byte
		n, err := t.fill(body, sig[:], len(sig))
		if n < len(sig) {
			if err == io.EOF {
				return notZipError(resp, sig[:n])
			}
			return &brokenError{err}
		}
		if !isZipStart(sig[:]) {
			return notZipError(resp, sig[:])
		}
		if t.out == nil {
			if t.out, err = t.openSink(); err != nil {
				return err
			}
		}
		pending = sig[:]
	}
	for {
		buf := t.pipe.get()
		n := copy(buf, pending)
		pending = nil
		m, rerr := t.fill(body, buf[n:], max(len(buf)/2-n, 1))
		n += m
		if n > 0 {
			if err := t.out.write(buf[:n]); err != nil {
				t.pipe.put(buf)
				return err
			}
			t.got += int64(n)
			t.pipe.send(buf[:n])
			if t.wrote != nil {
				t.wrote(t.got)
			}
		} else {
			t.pipe.put(buf)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return &brokenError{rerr}
		}
	}
	if t.total >= 0 && t.got < t.total {
		return &brokenError{fmt.Errorf("the body ended after %d of %d bytes: %w", t.got, t.total, io.ErrUnexpectedEOF)}
	}
	if t.total >= 0 && t.got > t.total {
		return exit.Errorf(exit.Service, "try again", "the server sent %d bytes, more than the %d it announced", t.got, t.total)
	}
	return nil
}

// fill reads into buf until it holds at least atLeast bytes, or the body
// fails or ends (io.EOF), counting progress as bytes arrive. The receive
// loop asks for half a buffer: a read into less room than the HTTP
// reader's own buffer (256 KiB) costs an extra copy through it, and a
// half-full buffer is as good for the file and the hash.
func (t *transfer) fill(r io.Reader, buf []byte, atLeast int) (int, error) {
	n := 0
	for n < atLeast {
		m, err := r.Read(buf[n:])
		if m > 0 {
			n += m
			t.counted += int64(m)
			t.prog.Add(int64(m))
			t.stall.saw()
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// HumanBytes is a short IEC size, e.g. "1.5 MiB".
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
