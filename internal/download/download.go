// Package download is the download engine shared by `sandbox
// debug-report` and `logs download`: it streams archives to a temporary
// file in the target directory while hashing them on the side, resumes
// or restarts broken transfers, checks that what arrived is a ZIP, moves
// it to its final name only when complete, and optionally unpacks it
// safely. See DESIGN.md, "Downloads".
package download

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/diagctl/diagctl/internal/exit"
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
	Retries  int    // how many times a broken transfer is resumed/restarted
}

// Result is the outcome for one source.
type Result struct {
	ID     string  `json:"id"`
	Path   string  `json:"path"`
	Bytes  int64   `json:"bytes"`
	SHA256 string  `json:"sha256"`
	Files  int     `json:"files"`
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
	r := &runner{opts: opts, multi: len(sources) > 1, claimed: map[string]string{}}
	workers := min(opts.Parallel, len(sources))
	if workers > 1 {
		r.agg = &aggregate{p: opts.IO.NewProgress(-1, fmt.Sprintf("%d archives", len(sources))), pending: len(sources)}
		defer r.agg.p.Finish()
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				results[i] = r.one(ctx, sources[i])
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
}

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

func (r *runner) one(ctx context.Context, src Source) (res Result) {
	res.ID = src.ID
	reported := false
	defer func() {
		if r.agg != nil && !reported {
			r.agg.report(0)
		}
		if res.Err != nil {
			msg := res.Err.Error()
			res.Error = &msg
		}
	}()
	if ctx.Err() != nil {
		res.Err = context.Cause(ctx)
		return res
	}
	o := r.opts
	if src.Request == nil {
		res.Err = errors.New("no request for this source (a bug in diagctl)")
		return res
	}

	toStdout := o.Output == "-"
	var dir, final string
	switch {
	case toStdout:
		if o.IO.IsStdoutTTY() {
			res.Err = exit.UsageErrorf("redirect stdout to a file or a pipe, or use -o FILE",
				"refusing to write a binary archive to the terminal")
			return res
		}
	case o.Output != "":
		final = o.Output
		dir = filepath.Dir(final)
		if err := r.checkTarget(final); err != nil {
			res.Err = err
			return res
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			if err == nil {
				err = fmt.Errorf("%s is not a directory", dir)
			}
			res.Err = exit.Wrap(err, exit.Failure, "cannot write "+final, "create the directory first, or give another -o path")
			return res
		}
	default:
		dir = o.Dir
		if err := os.MkdirAll(dir, 0o755); err != nil {
			res.Err = exit.Wrap(err, exit.Failure, "cannot create directory "+dir, "check the -d path and its permissions")
			return res
		}
	}

	t := &transfer{ctx: ctx, client: o.Client, src: src, retries: o.Retries, total: -1}
	t.pipe = newHashPipe(toStdout)
	defer t.pipe.close()

	var tmp *os.File
	cleanup := func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			tmp = nil
		}
	}
	defer cleanup() // on every failure; a success has set tmp to nil

	t.onFirst = func(resp *http.Response) error {
		if r.agg != nil {
			reported = true
			r.agg.report(t.total)
			t.prog = r.agg.p
		} else {
			t.perItem = true
			t.prog = o.IO.NewProgress(t.total, shortID(src.ID))
		}
		if toStdout || o.Output != "" {
			return nil
		}
		var err error
		final, err = r.claim(dir, FileName(resp.Header.Get("Content-Disposition"), src.DefaultName), src)
		if err != nil {
			return err
		}
		return r.checkTarget(final)
	}
	t.openSink = func() (sink, error) {
		if toStdout {
			return &streamSink{w: o.IO.Out}, nil
		}
		f, err := createTemp(dir)
		if err != nil {
			return nil, exit.Wrap(err, exit.Failure, "cannot write "+final, "check free space and permissions in "+dir)
		}
		tmp = f
		return &fileSink{f: f, name: final}, nil
	}

	err := t.run()
	debugStage("transfer")
	if t.perItem && t.prog != nil {
		t.prog.Finish()
	}
	if err != nil {
		res.Err = err
		return res
	}
	sum := hex.EncodeToString(t.pipe.sum())

	if toStdout {
		n, err := countFromTail(t.pipe.tail.buf, t.got)
		if err != nil {
			res.Err = exit.Wrap(err, exit.Failure, "the archive written to stdout is not a valid ZIP", "discard the output and try again")
			return res
		}
		res.Path, res.Bytes, res.SHA256, res.Files = "-", t.got, sum, n
		return res
	}

	// Complete: make it durable, check it is a ZIP, then give it its name.
	if err := tmp.Sync(); err != nil {
		res.Err = exit.Wrap(err, exit.Failure, "cannot write "+final, "check free space in "+dir)
		return res
	}
	debugStage("sync")
	files, err := checkZip(tmp, t.got)
	debugStage("check")
	if err != nil {
		res.Err = exit.Wrap(err, exit.Failure, "the archive from the server is damaged (nothing was saved)",
			"try again; if it keeps failing, the archive on the server is damaged")
		return res
	}
	if err := ctx.Err(); err != nil {
		res.Err = context.Cause(ctx)
		return res
	}
	if err := tmp.Close(); err != nil {
		res.Err = exit.Wrap(err, exit.Failure, "cannot write "+final, "check free space in "+dir)
		return res
	}
	if err := commit(tmp.Name(), final, o.Force); err != nil {
		if errors.Is(err, errExists) {
			res.Err = existsError(final)
		} else {
			res.Err = exit.Wrap(err, exit.Failure, "cannot write "+final, "check permissions in "+dir)
		}
		return res
	}
	tmp = nil
	syncDir(dir)
	debugStage("commit")
	res.Path, res.Bytes, res.SHA256, res.Files = final, t.got, sum, files

	if o.Extract != "" {
		dest := o.Extract
		if r.multi {
			dest = filepath.Join(dest, src.ID)
		}
		if _, err := extract(ctx, final, t.got, dest, o.Force); err != nil {
			res.Err = err
		}
	}
	return res
}

// checkTarget refuses an existing final path unless --force.
func (r *runner) checkTarget(final string) error {
	fi, err := os.Lstat(final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return exit.Wrap(err, exit.Failure, "cannot write "+final, "check the path and its permissions")
	case fi.IsDir():
		return exit.Errorf(exit.Failure, "give a file name with -o FILE, or a directory with -d DIR",
			"%s is a directory", final)
	case !r.opts.Force:
		return existsError(final)
	}
	return nil
}

func existsError(path string) error {
	return exit.Errorf(exit.Failure, "to keep it, save the archive elsewhere with -o FILE or -d DIR",
		"%s already exists; use --force to overwrite", path)
}

// claim reserves a final path for src within this run, so that two IDs
// for which the server sends the same file name do not overwrite each
// other: the second one falls back to its DefaultName.
func (r *runner) claim(dir, name string, src Source) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	final := filepath.Join(dir, name)
	if other, taken := r.claimed[final]; taken && other != src.ID {
		final = filepath.Join(dir, SafeName(src.DefaultName, src.ID+".zip"))
		if other, taken := r.claimed[final]; taken && other != src.ID {
			return "", exit.Errorf(exit.Failure, "download these IDs one at a time, with -o FILE",
				"the file name %s is already used by %s in this run", name, other)
		}
	}
	r.claimed[final] = src.ID
	return final, nil
}

// shortID keeps progress descriptions short.
func shortID(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:8] + "…"
}

func dirOf(path string) string { return filepath.Dir(path) }

var debugStage = func(string) {}
