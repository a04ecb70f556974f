package symbols

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/symkey"
	"github.com/diagctl/diagctl/internal/vsohash"
)

// KeysOptions holds `symbols keys`' flags and dependencies.
type KeysOptions struct {
	IO      *iostreams.IOStreams
	Context context.Context
	JSON    bool
	Verbose bool

	Paths        []string
	Parallel     int
	IncludeOther bool
}

// NewCmdKeys builds `diagctl symbols keys`.
func NewCmdKeys(f *cmdutil.Factory, runF func(*KeysOptions) error) *cobra.Command {
	opts := &KeysOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "keys FILE|DIR...",
		Short: "Print the client key, blob identifier and size of symbol files (offline)",
		Long: `Print the client key, blob identifier and size of symbol files, offline.

A file's kind comes from its content, never its name: PE (.exe, .dll, .sys),
Windows PDB (MSF 7.0), Portable PDB, ELF (binary, or debug file with
.debug_info: the _.debug key) and Mach-O (binary, or dSYM: the _.dwarf key;
a universal file gives one row per architecture). The blob identifier is the
VSO hash of the whole file that the symbol service stores it under.

Directories are walked; their files come sorted by path. Symbolic links
inside them are followed only to regular files inside the same tree. Files
of no symbol kind are counted on stderr, or keyed by SHA-1 with
--include-other; symbol files without a key (ELF core files, binaries
without a build id) are counted too, with the reason under -v.

Output: FILE, KIND, CLIENT KEY, BLOB IDENTIFIER, SIZE (tab-separated; aligned
under a header on a terminal). --json prints an array of
{"file","kind","clientKey","blobIdentifier":{"identifierValue"},"size"},
whose fields are those of a DebugEntry.

A corrupt or unreadable file is reported on stderr with its problem; the
other files are still keyed and the exit status is 1. A path that does not
exist stops the command before anything is read (exit 2).

` + exit.StatusHelp,
		Example: `  diagctl symbols keys build/out/
  diagctl symbols keys --json bin/app.exe bin/app.pdb | jq '.[].clientKey'`,
		Args: cmdutil.RangeArgs(1, -1, "at least one FILE or DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Parallel < 1 {
				return exit.FlagErrorf("--parallel must be 1 or more, got %d", opts.Parallel)
			}
			opts.Paths = args
			opts.Context = cmd.Context()
			opts.JSON = f.Globals.JSON
			opts.Verbose = f.Globals.Verbose
			if runF != nil {
				return runF(opts)
			}
			return runKeys(opts)
		},
	}
	cmd.Flags().IntVar(&opts.Parallel, "parallel", runtime.NumCPU(), "files read at once")
	cmd.Flags().BoolVar(&opts.IncludeOther, "include-other", false, "key files of no symbol kind by SHA-1 (<name>/sha1-<hex>/<name>)")
	return cmd
}

// outcome is what became of one input.
type outcome struct {
	rows []Row
	err  error
	// skip says why a file has no row: unknown (no symbol kind) or a
	// symbol file without a key.
	skip    string
	unknown bool
}

// Below this much work a bar would only flicker (variables for tests).
var (
	progressMinBytes int64 = 256 << 20
	progressMinFiles       = 2000
)

func runKeys(opts *KeysOptions) error {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	inputs, err := collect(opts.Paths)
	if err != nil {
		return err
	}
	var total int64
	for _, in := range inputs {
		if in.err == nil && in.skip == "" {
			if st, err := os.Stat(in.path); err == nil {
				total += st.Size()
			}
		}
	}
	var progress *iostreams.Progress
	if total >= progressMinBytes || len(inputs) >= progressMinFiles {
		progress = opts.IO.NewProgress(total, "keying 0/"+strconv.Itoa(len(inputs))+" files")
		defer progress.Finish()
	}
	k := &keyer{
		ctx:          ctx,
		includeOther: opts.IncludeOther,
		// One 2 MiB buffer per core, shared by every file: a big file
		// uses all cores, many small ones one core each, and memory
		// stays the same either way.
		buffers:  vsohash.NewBufferPool(runtime.GOMAXPROCS(0)),
		progress: progress,
	}
	outcomes := make([]outcome, len(inputs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var done atomic.Int64
	for range min(opts.Parallel, max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				outcomes[i] = k.key(inputs[i])
				if progress != nil {
					progress.Describe(fmt.Sprintf("keying %d/%d files", done.Add(1), len(inputs)))
				}
			}
		}()
	}
feed:
	for i := range inputs {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if progress != nil {
		progress.Finish()
	}
	if cause := context.Cause(ctx); cause != nil {
		if errors.Is(cause, exit.ErrInterrupted) {
			return exit.ErrInterrupted
		}
		return cause
	}
	return report(opts, inputs, outcomes)
}

// report prints the rows on stdout, then errors, skips and counts on
// stderr, and gives the exit status.
func report(opts *KeysOptions, inputs []input, outcomes []outcome) error {
	var rows []Row
	for _, o := range outcomes {
		rows = append(rows, o.rows...)
	}
	if err := writeRows(opts.IO, opts.JSON, rows); err != nil {
		return exit.Wrapf(err, exit.Failure, "", "")
	}
	errOut, info := opts.IO.ErrOut, opts.IO.Info()
	failed, unknown, noKey := 0, 0, 0
	for i, o := range outcomes {
		path := inputs[i].path
		switch {
		case o.err != nil:
			failed++
			if opts.JSON {
				b, _ := json.Marshal(map[string]any{"file": path, "error": o.err.Error(), "exit_status": exit.Failure})
				fmt.Fprintf(errOut, "%s\n", b)
			} else {
				fmt.Fprintf(errOut, "error: %s: %s\n", escape(path), escape(o.err.Error()))
			}
		case o.unknown:
			unknown++
		case o.skip != "":
			noKey++
			if opts.Verbose {
				fmt.Fprintf(info, "skipped: %s: %s\n", escape(path), escape(o.skip))
			}
		}
	}
	if unknown > 0 {
		fmt.Fprintf(info, "skipped %s of no symbol type; --include-other keys them by SHA-1\n", files(unknown))
	}
	if noKey > 0 {
		why := " (-v says why)"
		if opts.Verbose {
			why = ""
		}
		fmt.Fprintf(info, "skipped %s without a symbol key%s\n", files(noKey), why)
	}
	if failed > 0 {
		if !opts.JSON {
			fmt.Fprintf(errOut, "%s could not be keyed; the others are listed\n", files(failed))
			fmt.Fprintln(errOut, "hint: a truncated or corrupt file is often one still being written or a damaged copy: rebuild or copy it again, or leave it out")
		}
		return &cmdutil.SilentError{Code: exit.Failure}
	}
	return nil
}

func files(n int) string {
	if n == 1 {
		return "1 file"
	}
	return strconv.Itoa(n) + " files"
}

// keyer keys one file at a time; several run at once.
type keyer struct {
	ctx          context.Context
	includeOther bool
	buffers      *vsohash.BufferPool
	progress     *iostreams.Progress
}

func (k *keyer) key(in input) outcome {
	if in.err != nil {
		return outcome{err: in.err}
	}
	if in.skip != "" {
		return outcome{skip: in.skip}
	}
	f, err := os.Open(in.path)
	if err != nil {
		return outcome{err: unwrapPathError(err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return outcome{err: unwrapPathError(err)}
	}
	if !st.Mode().IsRegular() {
		return outcome{skip: "not a regular file"}
	}
	size := st.Size()
	name := symkey.Name(in.path)
	keys, err := symkey.Identify(f, size, name)
	var skip *symkey.SkipError
	switch {
	case err == nil:
	case errors.Is(err, symkey.ErrUnknownKind) || errors.As(err, &skip):
		if !k.includeOther {
			k.addProgress(size)
			if skip != nil {
				return outcome{skip: skip.Error()}
			}
			return outcome{unknown: true, skip: err.Error()}
		}
		return k.keyOther(f, in.path, name, size)
	default:
		return outcome{err: err}
	}
	id, err := vsohash.File(k.ctx, f, size, vsohash.FileOptions{Buffers: k.buffers, Progress: k.addProgress})
	if err != nil {
		return outcome{err: fmt.Errorf("reading: %w", err)}
	}
	rows := make([]Row, len(keys))
	for i, key := range keys {
		rows[i] = Row{File: in.path, Kind: key.Label(), ClientKey: key.ClientKey, BlobIdentifier: BlobIdentifier{id.String()}, Size: size}
	}
	return outcome{rows: rows}
}

// keyOther hashes a file of no symbol kind once, for both its SHA-1 key
// and its blob identifier.
func (k *keyer) keyOther(f *os.File, path, name string, size int64) outcome {
	sha := sha1.New()
	vso := vsohash.New()
	r := io.NewSectionReader(f, 0, size)
	w := io.MultiWriter(sha, vso, progressWriter{k})
	if _, err := io.CopyBuffer(w, contextReader{k.ctx, r}, make([]byte, vsohash.PageSize)); err != nil {
		return outcome{err: fmt.Errorf("reading: %w", err)}
	}
	if vso.Len() != size {
		return outcome{err: fmt.Errorf("reading: file ended at %d bytes, expected %d: it changed while being read", vso.Len(), size)}
	}
	return outcome{rows: []Row{{File: path, Kind: string(symkey.KindOther), ClientKey: symkey.OtherKey(name, sha.Sum(nil)), BlobIdentifier: BlobIdentifier{vso.Sum().String()}, Size: size}}}
}

func (k *keyer) addProgress(n int64) {
	if k.progress != nil {
		k.progress.Add(n)
	}
}

type progressWriter struct{ k *keyer }

func (p progressWriter) Write(b []byte) (int, error) {
	p.k.addProgress(int64(len(b)))
	return len(b), nil
}

// contextReader stops a long read when the command is interrupted.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(b []byte) (int, error) {
	if err := context.Cause(c.ctx); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}
