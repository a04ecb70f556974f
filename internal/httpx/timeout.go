package httpx

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
)

// TimeoutError is --timeout running out: the limit of one item's whole
// operation (every request, retry, wait and resume, as curl's
// --max-time), not of one attempt.
type TimeoutError struct {
	Service string
	Limit   time.Duration
	// Err is the request the limit cut short (a *NetError), nil when it
	// ran out between requests: MaybeSent and errors.As see it.
	Err error
}

func (e *TimeoutError) Error() string {
	s := "timed out after " + e.Limit.String()
	var ne *NetError
	if errors.As(e.Err, &ne) {
		s = ne.Op + ": " + s
	}
	if e.Service != "" {
		s = e.Service + ": " + s
	}
	return s
}

func (e *TimeoutError) Hint() string {
	return "raise --timeout (it bounds each item from its first request to the saved result, retries and resumes included)"
}

func (e *TimeoutError) ExitCode() int { return exit.Service }

// Unwrap lets errors.Is(err, context.DeadlineExceeded) hold, and finds
// the request it cut short.
func (e *TimeoutError) Unwrap() []error {
	if e.Err == nil {
		return []error{context.DeadlineExceeded}
	}
	return []error{context.DeadlineExceeded, e.Err}
}

// during is the timeout as the cause of err, a request's failure: the
// request is kept in it. Any other cause is returned as it is.
func (c *Client) during(cause error, op string, u *url.URL, err error) error {
	te, ok := cause.(*TimeoutError)
	if !ok {
		return cause
	}
	cp := *te
	cp.Err = c.classify(op, u, err)
	return &cp
}

type boundKey struct{}

// Bound limits ctx by --timeout for one item: every request sent with
// the returned context, their retries and the waits between them, and
// whatever the caller does meanwhile (a download's resumes) end when the
// limit is reached, with a *TimeoutError as the context's cause. Without
// --timeout it returns ctx as it is. Send bounds each call by itself
// unless its request's context is already bounded.
func (c *Client) Bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.opts.Timeout <= 0 || ctx.Value(boundKey{}) != nil {
		return ctx, func() {}
	}
	ctx = context.WithValue(ctx, boundKey{}, true)
	return context.WithTimeoutCause(ctx, c.opts.Timeout, &TimeoutError{Service: c.opts.Service, Limit: c.opts.Timeout})
}
