package httpx

import (
	"context"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
)

// TimeoutError is --timeout running out: the limit of one item's whole
// operation (every request, retry, wait and resume, as curl's
// --max-time), not of one attempt.
type TimeoutError struct {
	Service string
	Limit   time.Duration
}

func (e *TimeoutError) Error() string {
	s := "timed out after " + e.Limit.String()
	if e.Service != "" {
		s = e.Service + ": " + s
	}
	return s
}

func (e *TimeoutError) Hint() string {
	return "raise --timeout (it bounds each item from its first request to the saved result, retries and resumes included)"
}

func (e *TimeoutError) ExitCode() int { return exit.Service }

// Unwrap lets errors.Is(err, context.DeadlineExceeded) hold.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

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
