package iostreams

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress counts transferred bytes. Add is a single atomic add so that it
// never slows the receive path; a separate ticker redraws the bar.
type Progress struct {
	done    atomic.Int64
	total   atomic.Int64
	bar     *progressbar.ProgressBar
	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
	drawing sync.Mutex // a redraw and a Note never interleave
}

// redrawEvery bounds how often the bar is drawn, whatever the transfer rate.
const redrawEvery = 150 * time.Millisecond

// NewProgress starts a progress display for a transfer of total bytes
// (total <= 0: unknown, a spinner). When progress is not enabled it returns
// a counter that draws nothing, so callers never need to check.
func (s *IOStreams) NewProgress(total int64, description string) *Progress {
	p := &Progress{stop: make(chan struct{})}
	p.total.Store(total)
	if !s.ProgressEnabled() {
		return p
	}
	max := total
	if max <= 0 {
		max = -1
	}
	p.bar = progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(s.ErrOut),
		progressbar.OptionSetVisibility(true),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(redrawEvery),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
	)
	p.stopped.Add(1)
	go p.redraw()
	return p
}

// Add records n more bytes.
func (p *Progress) Add(n int64) { p.done.Add(n) }

// SetTotal changes the expected size once it is known.
func (p *Progress) SetTotal(n int64) {
	p.total.Store(n)
	if p.bar != nil && n > 0 {
		p.bar.ChangeMax64(n)
	}
}

// Done returns the bytes counted so far.
func (p *Progress) Done() int64 { return p.done.Load() }

func (p *Progress) redraw() {
	defer p.stopped.Done()
	t := time.NewTicker(redrawEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.drawing.Lock()
			_ = p.bar.Set64(p.done.Load())
			p.drawing.Unlock()
		case <-p.stop:
			return
		}
	}
}

// Finish stops drawing and clears the bar's line. Safe to call twice.
func (p *Progress) Finish() {
	p.once.Do(func() {
		close(p.stop)
		p.stopped.Wait()
		if p.bar != nil {
			_ = p.bar.Set64(p.done.Load())
			_ = p.bar.Finish()
			_ = p.bar.Clear()
		}
	})
}

// Note writes a line to w without mixing it into the bar: the bar's line is
// cleared first and redrawn at the next tick.
func (p *Progress) Note(w io.Writer, line string) {
	p.drawing.Lock()
	defer p.drawing.Unlock()
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	_, _ = io.WriteString(w, line)
}

// Describe changes the text before the bar (e.g. a count of files done).
func (p *Progress) Describe(description string) {
	if p.bar == nil {
		return
	}
	p.drawing.Lock()
	defer p.drawing.Unlock()
	p.bar.Describe(description)
}
