package iostreams

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Progress counts transferred bytes. Add is a single atomic add so that it
// never slows the receive path; a separate ticker redraws the bar, laid
// out afresh for the terminal's width each time (progressLine).
type Progress struct {
	done    atomic.Int64
	total   atomic.Int64
	label   string
	status  string // see SetStatus
	w       io.Writer
	width   func() int
	start   time.Time
	samples []sample // recent (time, bytes) pairs, for the rate
	frame   int
	drawn   bool // the bar's line holds something to clear
	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
	drawing sync.Mutex // a redraw and a Note never interleave
}

type sample struct {
	at   time.Time
	done int64
}

const (
	// redrawEvery bounds how often the bar is drawn, whatever the rate.
	redrawEvery = 150 * time.Millisecond
	// A rate is shown once the transfer has run rateAfter (the first
	// samples, taken while TCP and the disk warm up, read absurdly high),
	// measured over the last rateWindow.
	rateAfter  = time.Second
	rateWindow = 5 * time.Second
)

// NewProgress starts a progress display for a transfer of total bytes
// (total <= 0: unknown, a spinner), labelled label (keep it short: a file
// name or the distinctive end of an ID). When progress is not enabled it
// returns a counter that draws nothing, so callers never need to check.
func (s *IOStreams) NewProgress(total int64, label string) *Progress {
	p := &Progress{stop: make(chan struct{}), label: label}
	p.total.Store(total)
	if !s.ProgressEnabled() {
		return p
	}
	p.w, p.width, p.start = s.ErrOut, s.TerminalWidth, time.Now()
	// The first frame at once: a person sees that work has started even
	// when it ends before the first tick.
	p.draw(p.start)
	p.stopped.Add(1)
	go p.redraw()
	return p
}

// Add records n more bytes.
func (p *Progress) Add(n int64) { p.done.Add(n) }

// SetTotal changes the expected size once it is known.
func (p *Progress) SetTotal(n int64) { p.total.Store(n) }

// Done returns the bytes counted so far.
func (p *Progress) Done() int64 { return p.done.Load() }

func (p *Progress) redraw() {
	defer p.stopped.Done()
	t := time.NewTicker(redrawEvery)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			p.drawing.Lock()
			p.draw(now)
			p.drawing.Unlock()
		case <-p.stop:
			return
		}
	}
}

// draw writes the bar over its own line: carriage return, the line, and
// erase-to-end-of-line for whatever a longer previous line left.
func (p *Progress) draw(now time.Time) {
	done := p.done.Load()
	p.samples = append(p.samples, sample{now, done})
	for len(p.samples) > 2 && now.Sub(p.samples[1].at) >= rateWindow {
		p.samples = p.samples[1:]
	}
	var rate float64
	if first := p.samples[0]; now.Sub(p.start) >= rateAfter && now.Sub(first.at) > 0 {
		rate = float64(done-first.done) / now.Sub(first.at).Seconds()
	}
	p.frame++
	line := progressLine(progressState{
		label: p.label, done: done, total: p.total.Load(), rate: rate,
		spinner: p.frame, status: p.status,
	}, p.width())
	_, _ = io.WriteString(p.w, "\r"+line+"\x1b[K")
	p.drawn = true
}

func (p *Progress) clear() {
	if p.drawn {
		_, _ = io.WriteString(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// Finish stops drawing and clears the bar's line. Safe to call twice.
func (p *Progress) Finish() {
	p.once.Do(func() {
		close(p.stop)
		p.stopped.Wait()
		if p.w != nil {
			p.drawing.Lock()
			p.clear()
			p.drawing.Unlock()
		}
	})
}

// Note writes a line to w without mixing it into the bar: the bar's line is
// cleared first and redrawn at the next tick.
func (p *Progress) Note(w io.Writer, line string) {
	p.Pause(func() { _, _ = io.WriteString(w, line) })
}

// Pause runs f with the bar's line cleared and no redraw until f returns:
// f may write lines to stdout or stderr (the same terminal, often). The
// bar comes back at the next tick.
func (p *Progress) Pause(f func()) {
	p.drawing.Lock()
	defer p.drawing.Unlock()
	if p.w != nil {
		p.clear()
	}
	f()
}

// Drawing reports whether the display is drawn (stderr is a terminal and
// progress is on): callers then show news on the bar's line (SetStatus)
// rather than as lines of their own.
func (p *Progress) Drawing() bool { return p.w != nil }

// SetStatus shows s on the bar's line in place of the bar, rate and ETA,
// from the next redraw on, until SetStatus(""): news the person must see
// now, such as a stall. It is drawn at once.
func (p *Progress) SetStatus(s string) {
	p.drawing.Lock()
	defer p.drawing.Unlock()
	if p.status == s {
		return
	}
	p.status = s
	if p.w != nil && !p.finished() {
		p.draw(time.Now())
	}
}

func (p *Progress) finished() bool {
	select {
	case <-p.stop:
		return true
	default:
		return false
	}
}

// Describe changes the text before the bar (e.g. a count of files done).
func (p *Progress) Describe(description string) {
	p.drawing.Lock()
	defer p.drawing.Unlock()
	p.label = description
}
