package download

import (
	"context"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// A job is one source's download: prepare (the target, before any
// request), the transfer, then commit (sync, ZIP check, rename) and the
// optional extraction. The target checks are here too.

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
	ended    bool // endProgress ran
}

func (r *runner) one(ctx context.Context, src Source) (res Result) {
	j := &job{r: r, ctx: ctx, src: src, toStdout: r.opts.Output == "-"}
	defer func() {
		j.cleanup()
		j.endProgress()
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

	// --timeout bounds the item from its first request to the saved
	// file, its retries and resumes included (curl's --max-time); the
	// extraction that follows is not part of it.
	ictx, unbound := r.opts.Client.Bound(ctx)
	defer unbound()
	j.ctx = ictx
	j.t = &transfer{ctx: ictx, client: r.opts.Client, src: src, budget: httpx.NewBudget(r.opts.Retries), total: -1,
		onFirst: j.onFirst, openSink: j.openSink, pipe: newHashPipe(j.toStdout), wrote: r.opts.hooks.wrote}
	if r.opts.IO != nil {
		j.t.note = r.opts.IO.Info()
	}
	defer j.t.pipe.close()
	err := j.t.run()
	j.endProgress()
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
	j.ctx = ctx
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
		// Missing parent directories are created, as for -d.
		if err := os.MkdirAll(j.dir, 0o755); err != nil {
			return exit.Wrapf(err, exit.Failure, "check the -o path and its permissions", "cannot create directory %s for %s", j.dir, j.final)
		}
	default:
		j.dir = o.Dir
		if err := os.MkdirAll(j.dir, 0o755); err != nil {
			return exit.Wrapf(err, exit.Failure, "check the -d path and its permissions", "cannot create directory %s", j.dir)
		}
	}
	j.r.sweep(j.dir)
	return nil
}

// onFirst runs on the first answer's headers: progress, and the name.
func (j *job) onFirst(resp *http.Response) error {
	j.startProgress()
	if j.final == "" && !j.toStdout {
		name := FileName(resp.Header.Get("Content-Disposition"), j.src.DefaultName)
		final, err := j.r.claim(j.dir, name, j.src)
		if err != nil {
			return err
		}
		j.final = final
		if err := j.r.checkTarget(final); err != nil {
			return err
		}
	}
	if h := j.r.opts.hooks.named; h != nil {
		h(j.final)
	}
	return nil
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
	lim := j.r.opts.limits
	if lim == (zipLimits{}) {
		lim = defaultLimits
	}
	_, err := extract(j.ctx, j.final, j.t.got, dest, j.r.opts.Force, lim)
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
