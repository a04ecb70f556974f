package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// Per-run fault modes (Options.Fault), applied to every archive download
// whose ID has no fault of its own.
const (
	FaultNone  = ""
	FaultSlow  = "slow"  // every body at Options.SlowRate
	FaultDrop  = "drop"  // odd-numbered requests per archive cut after half the body
	Fault503   = "503"   // 503 + Retry-After: 1 on 2 of every 3 requests per archive
	FaultStall = "stall" // every body stops after half and the connection is held
)

// FaultModes lists the valid Options.Fault values (for flags and completion).
var FaultModes = []string{FaultNone, FaultSlow, FaultDrop, Fault503, FaultStall}

// ValidFault reports whether s is a fault mode the emulator knows.
func ValidFault(s string) bool {
	for _, m := range FaultModes {
		if s == m {
			return true
		}
	}
	return false
}

// plan is how one archive answer misbehaves.
type plan struct {
	cutHalf   bool // close the connection after half the body
	stallHalf bool // send half the body, then hold the connection silently
	rate      int  // bytes per second; 0 is as fast as possible
}

// faultFor decides the plan for one archive request of fixture kind k;
// unavailable means answer 503 instead. key identifies the archive for
// the counters behind the intermittent faults.
func (e *Emulator) faultFor(key string, k kind, r *http.Request) (p plan, unavailable bool) {
	key = "archive " + key // apart from counters the services keep themselves
	switch k {
	case kind503:
		return p, e.next(key)%3 != 0
	case kindDropOnce:
		// Only a request that starts from the beginning is cut: a client
		// that resumes with Range gets the rest intact.
		p.cutHalf = r.Header.Get("Range") == ""
	case kindDropNoRange:
		p.cutHalf = e.next(key)%2 == 1
	case kindSlow:
		p.rate = e.opts.SlowRate
	case kindStall:
		p.stallHalf = true
	default:
		switch e.opts.Fault {
		case FaultSlow:
			p.rate = e.opts.SlowRate
		case FaultDrop:
			p.cutHalf = e.next(key)%2 == 1
		case Fault503:
			return p, e.next(key)%3 != 0
		case FaultStall:
			p.stallHalf = true
		}
	}
	return p, false
}

// writer wraps w so the body of n bytes follows the plan.
func (p plan) writer(w http.ResponseWriter, r *http.Request, n int64) io.Writer {
	if !p.cutHalf && !p.stallHalf && p.rate <= 0 {
		return w // the fast path: large writes go straight to the socket
	}
	fw := &faultWriter{w: w, rc: http.NewResponseController(w), ctx: r.Context(), limit: -1, rate: p.rate, start: time.Now()}
	if p.cutHalf || p.stallHalf {
		fw.limit, fw.cut = n/2, p.cutHalf
	}
	return fw
}

var errDropped = errors.New("emulator: connection dropped on purpose")

// faultWriter throttles a body, or stops it at limit and then either drops
// the connection or holds it open without a byte more.
type faultWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	ctx     context.Context
	written int64
	limit   int64 // -1: no limit
	cut     bool  // at limit: close (true) or stall (false)
	rate    int
	start   time.Time
}

func (f *faultWriter) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		chunk := p
		if f.limit >= 0 {
			remain := f.limit - f.written
			if remain <= 0 {
				return total, f.trip()
			}
			if int64(len(chunk)) > remain {
				chunk = chunk[:remain]
			}
		}
		if f.rate > 0 {
			// Twenty pieces a second: smooth enough for a progress bar.
			if piece := f.rate/20 + 1; len(chunk) > piece {
				chunk = chunk[:piece]
			}
			if err := f.pace(); err != nil {
				return total, err
			}
		}
		n, err := f.w.Write(chunk)
		total += n
		f.written += int64(n)
		p = p[n:]
		if err != nil {
			return total, err
		}
		if f.rate > 0 {
			_ = f.rc.Flush()
		}
	}
	return total, nil
}

// pace sleeps until the bytes written so far are due at the set rate.
func (f *faultWriter) pace() error {
	due := f.start.Add(time.Duration(float64(f.written) / float64(f.rate) * float64(time.Second)))
	d := time.Until(due)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-f.ctx.Done():
		return f.ctx.Err()
	}
}

// trip ends the body at the limit. What was written is flushed first so
// the client really receives half the body before the fault.
func (f *faultWriter) trip() error {
	_ = f.rc.Flush()
	if !f.cut {
		// Hold the connection until the client gives up or the server
		// shuts down (Server cancels every request's context on Close).
		<-f.ctx.Done()
		return f.ctx.Err()
	}
	dropConn(f.rc)
	return errDropped
}

// dropConn closes the connection under a response. With a ResponseWriter
// that cannot be hijacked (a test recorder, HTTP/2) the body simply ends
// short, which the caller sees as a truncated answer.
func dropConn(rc *http.ResponseController) {
	conn, _, err := rc.Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}
