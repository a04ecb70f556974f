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
//   - A directory given with -d is created when missing; the directory of
//     an -o path must exist.
//   - Extraction refuses to overwrite an existing file without Force, and
//     never writes through a symbolic link (see extract).
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
	"strings"
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
	Retries  int    // retries per item: request retries and resumes together (--retries)
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

// job is one source's download.
type job struct {
	r        *runner
	ctx      context.Context
	src      Source
	toStdout bool
	dir      string // where the temporary file goes
	final    string // the archive's path ("" until named)
	t        *transfer
	tmp      *os.File // the temporary file, until renamed
	fsink    *fileSink
	reported bool // the aggregate progress knows this job's length
}

func (r *runner) one(ctx context.Context, src Source) (res Result) {
	j := &job{r: r, ctx: ctx, src: src, toStdout: r.opts.Output == "-"}
	defer func() {
		j.cleanup()
		if r.agg != nil && !j.reported {
			r.agg.report(0)
		}
		res.ID = src.ID
		if res.Err != nil {
			msg := res.Err.Error()
			res.Error = &msg
		}
	}()
	if ctx.Err() != nil {
		return Result{Err: context.Cause(ctx)}
	}
	if src.Request == nil {
		return Result{Err: errors.New("no request for this source (a bug in diagctl)")}
	}
	if err := j.prepare(); err != nil {
		return Result{Err: err}
	}

	j.t = &transfer{ctx: ctx, client: r.opts.Client, src: src, budget: httpx.NewBudget(r.opts.Retries), total: -1,
		onFirst: j.onFirst, openSink: j.openSink, pipe: newHashPipe(j.toStdout)}
	if r.opts.IO != nil {
		j.t.note = r.opts.IO.Info()
	}
	defer j.t.pipe.close()
	err := j.t.run()
	if j.t.perItem && j.t.prog != nil {
		j.t.prog.Finish()
	}
	if err != nil {
		return Result{Err: err}
	}
	sum := hex.EncodeToString(j.t.pipe.sum())

	if j.toStdout {
		files, err := filesFromTail(j.t.pipe.tail.buf, j.t.got)
		if err != nil {
			return Result{Err: exit.Wrapf(err, exit.Failure, "discard the output and try again", "the archive written to stdout is not a valid ZIP")}
		}
		return Result{Path: "-", Bytes: j.t.got, SHA256: sum, Files: files}
	}
	files, err := j.commitFile()
	if err != nil {
		return Result{Err: err}
	}
	res = Result{Path: j.final, Bytes: j.t.got, SHA256: sum, Files: files}
	if r.opts.Extract != "" {
		res.Err = j.extract()
	}
	return res
}

// prepare settles where the file goes and, with -o, refuses an existing
// file before any request is made. (A name that comes from the server is
// checked as soon as its headers arrive, before the body is read.)
func (j *job) prepare() error {
	o := j.r.opts
	// (-o - to a terminal is refused with the other flag checks, before
	// the engine runs: downloadcmd.Flags.IDs.)
	switch {
	case j.toStdout:
	case o.Output != "":
		j.final = o.Output
		j.dir = filepath.Dir(j.final)
		if err := j.r.checkTarget(j.final); err != nil {
			return err
		}
		if fi, err := os.Stat(j.dir); err != nil || !fi.IsDir() {
			if err == nil {
				err = fmt.Errorf("%s is not a directory", j.dir)
			}
			return exit.Wrapf(err, exit.Failure, "create the directory first, or give another -o path", "cannot write %s", j.final)
		}
	default:
		j.dir = o.Dir
		if err := os.MkdirAll(j.dir, 0o755); err != nil {
			return exit.Wrapf(err, exit.Failure, "check the -d path and its permissions", "cannot create directory %s", j.dir)
		}
	}
	return nil
}

// onFirst runs on the first answer's headers: progress, and the name.
func (j *job) onFirst(resp *http.Response) error {
	t := j.t
	if agg := j.r.agg; agg != nil {
		j.reported = true
		agg.report(t.total)
		t.prog = agg.p
	} else {
		t.perItem = true
		t.prog = j.r.opts.IO.NewProgress(t.total, shortID(j.src.ID))
	}
	if j.final != "" || j.toStdout {
		return nil
	}
	name := FileName(resp.Header.Get("Content-Disposition"), j.src.DefaultName)
	final, err := j.r.claim(j.dir, name, j.src)
	if err != nil {
		return err
	}
	j.final = final
	return j.r.checkTarget(final)
}

// openSink runs once the first bytes look like a ZIP.
func (j *job) openSink() (sink, error) {
	if j.toStdout {
		return &streamSink{w: j.r.opts.IO.Out}, nil
	}
	f, err := createTemp(j.dir)
	if err != nil {
		return nil, exit.Wrapf(err, exit.Failure, "check free space and permissions in "+j.dir, "cannot write %s", j.final)
	}
	j.tmp = f
	j.fsink = &fileSink{f: f, name: j.final, wb: newWriteback(f)}
	return j.fsink, nil
}

// commitFile makes the complete temporary file durable, checks that it
// is a ZIP and gives it its final name. It returns the number of entries.
func (j *job) commitFile() (int, error) {
	j.fsink.close()
	if err := j.tmp.Sync(); err != nil {
		return 0, exit.Wrapf(err, exit.Failure, "check free space in "+j.dir, "cannot write %s", j.final)
	}
	files, err := checkZip(j.tmp, j.t.got)
	if err != nil {
		return 0, exit.Wrapf(err, exit.Failure, "try again; if it keeps failing, the archive on the server is damaged", "the archive from the server is damaged (nothing was saved)")
	}
	if j.ctx.Err() != nil {
		return 0, context.Cause(j.ctx)
	}
	if err := j.tmp.Close(); err != nil {
		return 0, exit.Wrapf(err, exit.Failure, "check free space in "+j.dir, "cannot write %s", j.final)
	}
	if err := commit(j.tmp.Name(), j.final, j.r.opts.Force); err != nil {
		if errors.Is(err, errExists) {
			return 0, existsError(j.final)
		}
		return 0, exit.Wrapf(err, exit.Failure, "check permissions in "+j.dir, "cannot write %s", j.final)
	}
	j.tmp = nil
	syncDir(j.dir)
	return files, nil
}

// extract unpacks the saved archive; the archive stays whatever happens.
func (j *job) extract() error {
	dest := j.r.opts.Extract
	if j.r.multi {
		// IDs are validated by the commands; never let one be a path.
		if !filepath.IsLocal(j.src.ID) || strings.ContainsAny(j.src.ID, `/\`) {
			return exit.Errorf(exit.Failure, "", "cannot extract: the ID %q cannot name a directory", j.src.ID)
		}
		dest = filepath.Join(dest, j.src.ID)
	}
	_, err := extract(j.ctx, j.final, j.t.got, dest, j.r.opts.Force)
	return err
}

// cleanup removes the temporary file unless it became the archive.
func (j *job) cleanup() {
	if j.fsink != nil {
		j.fsink.close()
	}
	if j.tmp != nil {
		j.tmp.Close()
		os.Remove(j.tmp.Name())
		j.tmp = nil
	}
}

// checkTarget refuses an existing final path unless --force.
func (r *runner) checkTarget(final string) error {
	fi, err := os.Lstat(final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return exit.Wrapf(err, exit.Failure, "check the path and its permissions", "cannot write %s", final)
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
