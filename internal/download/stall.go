package download

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/diagctl/diagctl/internal/iostreams"
)

// A transfer that receives nothing for the stall limit (--stall-timeout,
// httpx's stall detector) fails. Before that, the person or the log
// should see that it is stuck, and how long before it is given up:
// after stallNoticeAfter(limit) of silence, the bar's line says so and
// counts down (at a terminal), or one line goes to stderr (elsewhere),
// and another when bytes flow again.

// stallNoticeAfter is how long a body may be silent before we say so:
// 10 s, or half the limit when that is shorter (a notice must come before
// the limit ends the transfer, and short limits make this testable).
func stallNoticeAfter(limit time.Duration) time.Duration {
	return min(10*time.Second, limit/2)
}

// stallWatch watches one answer's body while it is received.
type stallWatch struct {
	id    string
	limit time.Duration
	after time.Duration
	prog  *iostreams.Progress // drawn: the notice goes on its line
	note  io.Writer           // not drawn: a line here; nil says nothing
	last  atomic.Int64        // when the last byte came, UnixNano
	stop  chan struct{}
	done  sync.WaitGroup
}

// watchStall starts watching; it returns nil (and watching costs
// nothing) when there is nowhere to tell.
func watchStall(id string, limit time.Duration, prog *iostreams.Progress, note io.Writer) *stallWatch {
	if limit <= 0 || ((prog == nil || !prog.Drawing()) && note == nil) {
		return nil
	}
	w := &stallWatch{id: id, limit: limit, after: stallNoticeAfter(limit), prog: prog, note: note, stop: make(chan struct{})}
	w.last.Store(time.Now().UnixNano())
	w.done.Add(1)
	go w.loop()
	return w
}

// saw records that bytes arrived (one atomic store: the receive path).
func (w *stallWatch) saw() {
	if w != nil {
		w.last.Store(time.Now().UnixNano())
	}
}

// end stops watching and takes the notice off the bar's line.
func (w *stallWatch) end() {
	if w == nil {
		return
	}
	close(w.stop)
	w.done.Wait()
}

func (w *stallWatch) drawn() bool { return w.prog != nil && w.prog.Drawing() }

func (w *stallWatch) loop() {
	defer w.done.Done()
	// Checked a few times a second at most; the countdown moves by whole
	// seconds (or tenths under short limits).
	tick := time.NewTicker(min(time.Second, w.after/4+time.Millisecond))
	defer tick.Stop()
	stalled, shown := false, ""
	defer func() {
		if shown != "" {
			w.prog.SetStatus("")
		}
	}()
	for {
		select {
		case <-w.stop:
			return
		case now := <-tick.C:
			idle := now.Sub(time.Unix(0, w.last.Load()))
			switch {
			case idle >= w.after:
				left := w.limit - idle
				if w.drawn() {
					shown = fmt.Sprintf("stalled: nothing received for %s, giving up in %s", roundIdle(idle, w.limit), roundLeft(left, w.limit))
					w.prog.SetStatus(shown)
				} else if !stalled {
					fmt.Fprintf(w.note, "%s: nothing received for %s; the transfer is given up in %s unless data comes (--stall-timeout %s)\n",
						w.id, roundIdle(idle, w.limit), roundLeft(left, w.limit), w.limit)
				}
				stalled = true
			case stalled:
				stalled = false
				if shown != "" {
					w.prog.SetStatus("")
					shown = ""
				} else {
					fmt.Fprintf(w.note, "%s: receiving again\n", w.id)
				}
			}
		}
	}
}

// roundIdle and roundLeft show whole seconds, or tenths under a limit
// below 10 s; the time left is rounded up, so it never reads 0 s early.
func roundIdle(d, limit time.Duration) time.Duration { return d.Truncate(unit(limit)) }

func roundLeft(d, limit time.Duration) time.Duration {
	u := unit(limit)
	if d <= 0 {
		return 0
	}
	return (d + u - 1).Truncate(u)
}

func unit(limit time.Duration) time.Duration {
	if limit < 10*time.Second {
		return 100 * time.Millisecond
	}
	return time.Second
}
