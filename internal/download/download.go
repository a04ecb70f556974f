// Package download is the download engine shared by `sandbox
// debug-report` and `logs download`: it streams archives to a temporary
// file in the target directory while hashing them on the side, resumes
// or restarts broken transfers, checks that what arrived is a ZIP, moves
// it to its final name only when complete, and optionally unpacks it
// safely. See DESIGN.md, "Downloads".
//
// Choices worth knowing:
//   - With -o the existing-file check happens before any request. A name
//     that comes from the server (Content-Disposition) is only known from
//     the answer, so that check happens on its headers, before any body
//     byte is read. The final rename never clobbers without Force (a hard
//     link that fails if the name exists, then removal of the temporary
//     name), so a file that appears meanwhile is kept.
//   - Two IDs for which the server sends the same file name in one run:
//     the second is saved under its DefaultName.
//   - Files is the number of files in the archive (directory entries are
//     not counted). For -o - it is read from the central directory in the
//     last 64 KiB of the stream, which is kept while streaming (from the
//     end record's entry count, directories included, when the directory
//     is larger); a stream that does not end like a ZIP is an error,
//     though its bytes have gone to stdout already.
//   - The temporary file is created with mode 0666 less the umask (not
//     os.CreateTemp's 0600), so the archive gets the mode curl -o would
//     give it.
//   - A directory given with -d, and the missing parent directories of an
//     -o path, are created.
//   - Temporary files that a killed run left in the target directory are
//     removed, with a note, once their writer is surely gone (stale.go).
//   - Extraction refuses to overwrite an existing file without Force, and
//     never writes through a symbolic link (see extract).
package download

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// Source is one archive to fetch.
type Source struct {
	ID          string
	DefaultName string // used when the server sends no usable Content-Disposition name, e.g. "debug-report-<ID>.zip"
	// Request builds a fresh GET for the archive; Run adds Range/If-Range itself when resuming.
	Request func(ctx context.Context) (*http.Request, error)
}

// Options are the download flags and dependencies.
type Options struct {
	Client   *httpx.Client
	IO       *iostreams.IOStreams
	Output   string // -o: a path, or "-" for stdout; only valid with one Source (caller checks)
	Dir      string // -d: default "."
	Force    bool
	Extract  string // --extract DIR; "" none. With several sources: DIR/<ID>/
	Parallel int    // default 4
	Retries  int    // retries per item: request retries and resumes together (--retries)
	// Done, when set, is called with each source's index and result as
	// soon as that source finishes, one call at a time, with the progress
	// bar's line cleared: results are printed as they come, not when the
	// slowest download ends.
	Done func(i int, r Result)

	hooks  hooks     // tests act at exact points of a job instead of sleeping
	limits zipLimits // --extract's ZIP-bomb guard; zero means defaultLimits
}

// hooks are called, when set, at points of a job that tests synchronise
// on. Production code leaves them nil.
type hooks struct {
	named func(final string) // the answer's headers arrived and the final path passed its check; no body byte read yet
	wrote func(got int64)    // bytes went to the sink; got in all
}

// Result is the outcome for one source.
type Result struct {
	ID     string  `json:"id"`
	Path   string  `json:"path"`
	Bytes  int64   `json:"bytes"`
	SHA256 string  `json:"sha256"`
	Files  int     `json:"files"` // files in the archive; directory entries not counted
	Error  *string `json:"error"` // null on success
	Err    error   `json:"-"`     // typed error (exit status via exit.Code)
}

// Run downloads every source, Parallel at a time, and returns one Result
// per source in the order of sources. One failure does not stop the
// others; when ctx is cancelled every unfinished source fails with
// context.Cause(ctx) and leaves no temporary file behind.
func Run(ctx context.Context, sources []Source, opts Options) []Result {
	if opts.Dir == "" {
		opts.Dir = "."
	}
	if opts.Parallel < 1 {
		opts.Parallel = 4
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	}
	results := make([]Result, len(sources))
	if len(sources) == 0 {
		return results
	}
	r := &runner{opts: opts, multi: len(sources) > 1, claimed: map[string]string{}, swept: map[string]bool{}}
	workers := min(opts.Parallel, len(sources))
	defer r.startProgress(len(sources), workers)()
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				results[i] = r.one(ctx, sources[i])
				r.finished(i, results[i])
			}
		})
	}
	for i := range sources {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

type runner struct {
	opts  Options
	multi bool
	agg   *aggregate // one progress display for parallel downloads; nil otherwise

	mu      sync.Mutex
	claimed map[string]string // final path -> ID, within this run

	doneMu sync.Mutex // Options.Done is called one result at a time

	swept map[string]bool // directories already swept for leftovers (under mu)
}

// sweep removes, once per directory and run, the temporary files that
// killed runs left there (stale.go), with a note on stderr.
func (r *runner) sweep(dir string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.swept[dir] {
		return
	}
	r.swept[dir] = true
	var note io.Writer
	if r.opts.IO != nil {
		note = r.opts.IO.Info()
	}
	if r.agg != nil {
		var b strings.Builder
		sweepStale(dir, &b)
		if b.Len() > 0 && note != nil {
			r.agg.p.Note(note, b.String())
		}
		return
	}
	sweepStale(dir, note)
}

// finished hands one result to Options.Done, with the aggregate bar's
// line cleared so that a result line never mixes into it (a job's own
// bar is finished before its result exists).
func (r *runner) finished(i int, res Result) {
	if r.opts.Done == nil {
		return
	}
	r.doneMu.Lock()
	defer r.doneMu.Unlock()
	if r.agg != nil {
		r.agg.p.Pause(func() { r.opts.Done(i, res) })
		return
	}
	r.opts.Done(i, res)
}
