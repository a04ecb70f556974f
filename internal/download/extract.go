package download

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// ZIP-bomb guard. The sizes are the ones the central directory declares;
// what an entry really inflates to is checked against its declared size
// while it is written.
var (
	maxEntries     = 1_000_000
	maxTotal       = uint64(64 << 30) // never unpack more than this
	ratioFreeTotal = uint64(1 << 30)  // up to this total, any ratio is fine
	maxRatio       = uint64(100)      // above it, total/archive size must stay under this
)

// extractError is an archive that extract refuses or cannot unpack.
func extractError(archive, format string, a ...any) error {
	return exit.Errorf(exit.Failure,
		"the archive is kept at "+archive+"; inspect it with unzip -l, or unpack it yourself",
		"cannot extract %s: %s", archive, fmt.Sprintf(format, a...))
}

type plannedEntry struct {
	f   *zip.File
	rel string // cleaned, slash-separated, relative to the destination
	dir bool
}

// extract unpacks the ZIP at archive into dest. Everything that can be
// refused from the central directory is refused before anything is
// written: names that are absolute or escape dest (zip-slip), symbolic
// links and other non-regular entries, duplicates, a declared total that
// looks like a ZIP bomb, and (without force) files that already exist.
// Files get mode 0644, directories 0755, whatever the archive says.
//
// Nothing is written through a symbolic link found in dest: a link where
// a directory is needed is refused, files are created with O_EXCL (which
// does not follow links) and, with force, an existing file or link is
// removed first, never written through. On a failure part-way (a CRC
// error, an entry larger than declared) the files and directories
// created so far are removed again; files replaced under force are not
// restored. It returns the number of regular files written.
func extract(ctx context.Context, archive string, archiveSize int64, dest string, force bool) (int, error) {
	zr, err := zip.OpenReader(archive)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return 0, extractError(archive, "%v", err)
	}
	defer zr.Close()

	plan, err := planExtract(zr.File, archiveSize)
	if err != nil {
		return 0, extractError(archive, "%v", err)
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return 0, exit.Wrapf(err, exit.Failure, "check the path and its permissions", "cannot create the --extract directory")
	}
	if err := precheckDest(dest, plan, force); err != nil {
		return 0, err
	}

	x := &extractor{ctx: ctx, archive: archive, dest: dest, force: force, buf: make([]byte, 256<<10)}
	files, err := x.run(plan)
	if err != nil {
		x.rollback()
		return 0, err
	}
	return files, nil
}

// planExtract validates every entry from the central directory alone.
func planExtract(files []*zip.File, archiveSize int64) ([]plannedEntry, error) {
	if len(files) > maxEntries {
		return nil, fmt.Errorf("%d entries is more than the %d diagctl unpacks", len(files), maxEntries)
	}
	plan := make([]plannedEntry, 0, len(files))
	kind := map[string]bool{} // rel -> is a directory (explicit or implied)
	var total uint64
	for _, f := range files {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		q := fmt.Sprintf("%q", f.Name)
		mode := f.Mode()
		isDir := strings.HasSuffix(name, "/") || mode.IsDir()
		switch {
		case name == "" || strings.ContainsRune(name, 0):
			return nil, fmt.Errorf("entry %s has an invalid name", q)
		case mode&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("entry %s is a symbolic link; diagctl does not unpack links", q)
		case !isDir && !mode.IsRegular():
			return nil, fmt.Errorf("entry %s is not a regular file (%s)", q, mode.Type())
		case strings.HasPrefix(name, "/") || (len(name) >= 2 && name[1] == ':'):
			return nil, fmt.Errorf("entry %s has an absolute path", q)
		}
		rel := path.Clean(name)
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return nil, fmt.Errorf("entry %s would be written outside the destination (zip-slip)", q)
		}
		if rel == "." {
			if isDir {
				continue
			}
			return nil, fmt.Errorf("entry %s has an invalid name", q)
		}
		if !filepath.IsLocal(filepath.FromSlash(rel)) {
			return nil, fmt.Errorf("entry %s is not a safe local path on this system", q)
		}
		if was, seen := kind[rel]; seen {
			if !(was && isDir) {
				return nil, fmt.Errorf("entry %s appears twice (or is both a file and a directory)", q)
			}
			continue // a directory named again, or implied before
		}
		kind[rel] = isDir
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if was, seen := kind[d]; seen && !was {
				return nil, fmt.Errorf("entry %s is inside %q, which is a file", q, d)
			}
			kind[d] = true
		}
		if !isDir {
			total += f.UncompressedSize64
			if total < f.UncompressedSize64 || total > maxTotal {
				return nil, fmt.Errorf("it declares more than %d GiB of content (ZIP-bomb guard)", maxTotal>>30)
			}
		}
		plan = append(plan, plannedEntry{f: f, rel: rel, dir: isDir})
	}
	// A directory implied by a later entry may have been named as a file
	// earlier: kind[] then says directory, so look again.
	for _, e := range plan {
		if !e.dir && kind[e.rel] {
			return nil, fmt.Errorf("entry %q is both a file and a directory", e.f.Name)
		}
	}
	if archiveSize > 0 && total > ratioFreeTotal && total/maxRatio > uint64(archiveSize) {
		return nil, fmt.Errorf("it declares %d bytes of content in a %d-byte archive, more than %d times its size (ZIP-bomb guard)", total, archiveSize, maxRatio)
	}
	return plan, nil
}

// precheckDest refuses, before anything is written, links in the way
// and (without force) files that already exist.
func precheckDest(dest string, plan []plannedEntry, force bool) error {
	checked := map[string]bool{}
	checkDir := func(rel string) error {
		for d := rel; d != "." && !checked[d]; d = path.Dir(d) {
			checked[d] = true
			p := filepath.Join(dest, filepath.FromSlash(d))
			fi, err := os.Lstat(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return exit.Wrapf(err, exit.Failure, "check the directory's permissions", "cannot extract into %s", dest)
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				return exit.Errorf(exit.Failure, "remove the link, or extract into an empty directory",
					"cannot extract: %s is a symbolic link, and diagctl does not write through links", p)
			}
			if !fi.IsDir() {
				return exit.Errorf(exit.Failure, "remove it, or extract into an empty directory",
					"cannot extract: %s exists and is not a directory", p)
			}
		}
		return nil
	}
	for _, e := range plan {
		if e.dir {
			if err := checkDir(e.rel); err != nil {
				return err
			}
			continue
		}
		if err := checkDir(path.Dir(e.rel)); err != nil {
			return err
		}
		p := filepath.Join(dest, filepath.FromSlash(e.rel))
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return exit.Wrapf(err, exit.Failure, "check the directory's permissions", "cannot extract into %s", dest)
		case fi.IsDir():
			return exit.Errorf(exit.Failure, "remove it, or extract into an empty directory",
				"cannot extract: %s exists and is a directory", p)
		case !force:
			return exit.Errorf(exit.Failure, "to keep it, extract elsewhere with --extract DIR",
				"cannot extract: %s already exists; use --force to overwrite", p)
		}
	}
	return nil
}

type extractor struct {
	ctx     context.Context
	archive string
	dest    string
	force   bool
	buf     []byte
	files   []string // created, for rollback
	dirs    []string
}

func (x *extractor) run(plan []plannedEntry) (int, error) {
	n := 0
	for _, e := range plan {
		if err := context.Cause(x.ctx); x.ctx.Err() != nil {
			return 0, err
		}
		if e.dir {
			if err := x.mkdirs(e.rel); err != nil {
				return 0, err
			}
			continue
		}
		if err := x.mkdirs(path.Dir(e.rel)); err != nil {
			return 0, err
		}
		if err := x.file(e); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// mkdirs creates rel's components one by one, refusing a symbolic link
// (it may have appeared since the precheck).
func (x *extractor) mkdirs(rel string) error {
	if rel == "." {
		return nil
	}
	cur := x.dest
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		err := os.Mkdir(cur, 0o755)
		if err == nil {
			x.dirs = append(x.dirs, cur)
			continue
		}
		fi, lerr := os.Lstat(cur)
		if lerr != nil || !fi.IsDir() { // also a symlink to a directory
			return exit.Wrapf(err, exit.Failure, "extract into an empty directory", "cannot create directory %s", cur)
		}
	}
	return nil
}

func (x *extractor) file(e plannedEntry) error {
	p := filepath.Join(x.dest, filepath.FromSlash(e.rel))
	if x.force {
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			if err := os.Remove(p); err != nil { // the link or file itself
				return exit.Wrapf(err, exit.Failure, "check the directory's permissions", "cannot replace %s", p)
			}
		}
	}
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "extract into an empty directory, or use --force", "cannot create %s", p)
	}
	x.files = append(x.files, p)
	err = x.copy(out, e.f, p)
	if cerr := out.Close(); err == nil && cerr != nil {
		err = exit.Wrapf(cerr, exit.Failure, "check free space in "+x.dest, "cannot write %s", p)
	}
	if err != nil {
		return err
	}
	if m := e.f.Modified; !m.IsZero() {
		_ = os.Chtimes(p, m, m)
	}
	return nil
}

// copy inflates one entry, at most its declared size, then reads once
// more: archive/zip checks the CRC when the entry ends, and refuses a
// byte beyond the declared size.
func (x *extractor) copy(out *os.File, f *zip.File, p string) error {
	rc, err := f.Open()
	if err != nil {
		return extractError(x.archive, "entry %q: %v", f.Name, err)
	}
	defer rc.Close()
	limit := int64(f.UncompressedSize64)
	if limit < 0 {
		limit = 0
	}
	src := &ctxReader{ctx: x.ctx, r: io.LimitReader(rc, limit)}
	dst := &errWriter{w: out}
	_, err = io.CopyBuffer(dst, src, x.buf)
	switch {
	case dst.err != nil:
		return exit.Wrapf(dst.err, exit.Failure, "check free space in "+x.dest, "cannot write %s", p)
	case src.cerr != nil:
		return src.cerr
	case err != nil:
		return extractError(x.archive, "entry %q is damaged: %v", f.Name, err)
	}
	for range 100 { // a Read may return 0, nil
		n, err := rc.Read(x.buf[:1])
		switch {
		case n > 0 || errors.Is(err, zip.ErrFormat):
			return extractError(x.archive, "entry %q holds more than the %d bytes it declares (ZIP-bomb guard)", f.Name, limit)
		case err == io.EOF:
			return nil
		case err != nil:
			return extractError(x.archive, "entry %q is damaged: %v", f.Name, err)
		}
	}
	return extractError(x.archive, "entry %q does not end", f.Name)
}

// rollback removes what this extraction created.
func (x *extractor) rollback() {
	for i := len(x.files) - 1; i >= 0; i-- {
		_ = os.Remove(x.files[i])
	}
	for i := len(x.dirs) - 1; i >= 0; i-- {
		_ = os.Remove(x.dirs[i]) // only if empty
	}
}

type ctxReader struct {
	ctx  context.Context
	r    io.Reader
	cerr error
}

func (r *ctxReader) Read(p []byte) (int, error) {
	if r.ctx.Err() != nil {
		r.cerr = context.Cause(r.ctx)
		return 0, r.cerr
	}
	return r.r.Read(p)
}

// errWriter tells write errors from read errors after io.CopyBuffer.
type errWriter struct {
	w   io.Writer
	err error
}

func (w *errWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil {
		w.err = err
	}
	return n, err
}
