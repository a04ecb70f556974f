package download

import (
	"fmt"
	"sync"

	"github.com/diagctl/diagctl/internal/iostreams"
)

// aggregate is the progress of several parallel downloads: a spinner
// with bytes and rate until every download has announced its length,
// then a bar over the sum.
type aggregate struct {
	p       *iostreams.Progress
	mu      sync.Mutex
	pending int
	sum     int64
	unknown bool
}

// report is called once per source: with its length (-1 unknown), or 0
// when it failed before announcing one.
func (a *aggregate) report(n int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending--
	if n < 0 {
		a.unknown = true
	} else {
		a.sum += n
	}
	if a.pending == 0 && !a.unknown && a.sum > 0 {
		a.p.SetTotal(a.sum)
	}
}

// shortID labels a progress bar: the end of the ID, which tells IDs apart
// (the fixtures, and a run's tasks, often share their first characters).
func shortID(id string) string {
	if len(id) <= 12 {
		return id
	}
	return "…" + id[len(id)-8:]
}

// Progress is decided here, for the whole run: one aggregate display
// when downloads run in parallel, else one display per item, made when
// its first answer announces its length.

// startProgress makes the aggregate display when workers > 1; the
// function it returns finishes it.
func (r *runner) startProgress(sources, workers int) func() {
	if workers <= 1 {
		return func() {}
	}
	r.agg = &aggregate{p: r.opts.IO.NewProgress(-1, fmt.Sprintf("%d archives", sources)), pending: sources}
	return r.agg.p.Finish
}

// startProgress gives the job's transfer its display, on the first
// answer's headers.
func (j *job) startProgress() {
	t := j.t
	if agg := j.r.agg; agg != nil {
		j.reported = true
		agg.report(t.total)
		t.prog = agg.p
		return
	}
	t.perItem = true
	t.prog = j.r.opts.IO.NewProgress(t.total, shortID(j.src.ID))
}

// endProgress finishes the job's own display, or tells the aggregate
// that a job that failed before its first answer adds nothing to wait
// for. It runs once however often it is called.
func (j *job) endProgress() {
	if j.ended {
		return
	}
	j.ended = true
	switch {
	case j.t != nil && j.t.perItem && j.t.prog != nil:
		j.t.prog.Finish()
	case j.r.agg != nil && !j.reported:
		j.r.agg.report(0)
	}
}
