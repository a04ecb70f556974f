package cmdutil

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// DownloadFlags are the flags shared by the download commands
// (`sandbox debug-report`, `logs download`).
type DownloadFlags struct {
	Output   string
	Dir      string
	Force    bool
	Extract  string
	Parallel int
	FromFile string

	// dirChanged tells whether -d was given (set by AddDownloadFlags).
	dirChanged func() bool
}

// AddDownloadFlags registers the download flags on cmd.
func AddDownloadFlags(cmd *cobra.Command, d *DownloadFlags) {
	fl := cmd.Flags()
	fl.StringVarP(&d.Output, "output", "o", "", "write the archive to this path (one ID only); - writes it to stdout")
	fl.StringVarP(&d.Dir, "dir", "d", ".", "save archives in this directory, under the server's file name")
	fl.BoolVar(&d.Force, "force", false, "overwrite existing files (the archive, and files --extract writes)")
	fl.StringVar(&d.Extract, "extract", "", "after the archive checks out, unpack it into this directory (into its subdirectory <ID>/ with several IDs)")
	fl.IntVar(&d.Parallel, "parallel", 4, "downloads at once when several IDs are given")
	fl.StringVar(&d.FromFile, "from-file", "", "read IDs from this file (- for stdin), one a line; blank lines and # comments skipped")
	_ = cmd.MarkFlagFilename("output", "zip")
	_ = cmd.MarkFlagDirname("dir")
	_ = cmd.MarkFlagDirname("extract")
	_ = cmd.MarkFlagFilename("from-file")
	d.dirChanged = func() bool { return fl.Changed("dir") }
}

// IDs merges the positional arguments and the --from-file IDs (arguments
// first; duplicates dropped, first occurrence kept), validates each with
// valid and checks the flag combinations. valid should say why an ID is
// wrong without repeating it: IDs names the ID (and the file and line).
// Every error is a usage error (exit 2).
func (d *DownloadFlags) IDs(ios *iostreams.IOStreams, args []string, valid func(string) error) ([]string, error) {
	dirGiven := d.Dir != "" && d.Dir != "."
	if d.dirChanged != nil {
		dirGiven = d.dirChanged()
	}
	switch {
	case d.Parallel < 1:
		return nil, exit.FlagErrorf("--parallel must be 1 or more, got %d", d.Parallel)
	case d.Output != "" && dirGiven:
		return nil, exit.FlagErrorf("-o/--output and -d/--dir cannot be used together: -o names the file itself")
	case d.Output == "-" && d.Extract != "":
		return nil, exit.FlagErrorf("--extract cannot be used with -o -: the archive is not saved; use -o FILE or -d DIR")
	case d.Output == "-" && ios.IsStdoutTTY():
		return nil, exit.UsageErrorf("redirect stdout to a file or a pipe, or use -o FILE",
			"refusing to write a binary archive to the terminal")
	}

	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, a := range args {
		id := strings.TrimSpace(a)
		if err := valid(id); err != nil {
			return nil, badID(fmt.Sprintf("invalid ID %q", a), err)
		}
		add(id)
	}
	if d.FromFile != "" {
		fileIDs, err := d.readIDs(ios, valid)
		if err != nil {
			return nil, err
		}
		if len(fileIDs) == 0 && len(args) == 0 {
			return nil, exit.FlagErrorf("--from-file %s holds no IDs", d.fromName())
		}
		for _, id := range fileIDs {
			add(id)
		}
	}

	switch {
	case len(ids) == 0:
		return nil, exit.FlagErrorf("no ID given: pass IDs as arguments or with --from-file FILE")
	case d.Output != "" && len(ids) > 1:
		return nil, exit.FlagErrorf("-o/--output takes one ID, got %d; use -d DIR for several", len(ids))
	}
	return ids, nil
}

func (d *DownloadFlags) fromName() string {
	if d.FromFile == "-" {
		return "- (stdin)"
	}
	return d.FromFile
}

// readIDs reads --from-file: one ID a line, spaces trimmed, blank lines
// and everything from a '#' on skipped, a UTF-8 BOM and CRLF tolerated.
func (d *DownloadFlags) readIDs(ios *iostreams.IOStreams, valid func(string) error) ([]string, error) {
	var r io.Reader
	if d.FromFile == "-" {
		r = ios.In
	} else {
		f, err := os.Open(d.FromFile)
		if err != nil {
			return nil, exit.Wrap(err, exit.Usage, "cannot read --from-file", "give a readable file, or - for stdin")
		}
		defer f.Close()
		r = f
	}
	var ids []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if line == 1 {
			s = strings.TrimPrefix(s, "\uFEFF")
		}
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if err := valid(s); err != nil {
			return nil, badID(fmt.Sprintf("--from-file %s, line %d: invalid ID %q", d.fromName(), line, s), err)
		}
		ids = append(ids, s)
	}
	if err := sc.Err(); err != nil {
		return nil, exit.Wrap(err, exit.Usage, "cannot read --from-file "+d.fromName(), "give a text file with one ID a line")
	}
	return ids, nil
}

// badID is a usage error that keeps the validator's hint.
func badID(msg string, err error) error {
	return &exit.Error{Code: exit.Usage, Msg: msg, Err: err, Next: exit.Hint(err)}
}

// SilentError is returned by PrintResults when some download failed. The
// failures have already been printed, so the top level must not print
// it again; it only carries the exit status (the worst of the failures).
type SilentError struct{ Code int }

func (e *SilentError) Error() string {
	return "exit status " + strconv.Itoa(e.Code) + " (already reported)"
}
func (e *SilentError) ExitCode() int { return e.Code }

// PrintResults reports download results.
//
// Text: one line per saved archive on stdout, tab-separated:
//
//	PATH<TAB>BYTES bytes<TAB>HUMAN<TAB>sha256:HEX<TAB>N files
//
// and for each failure "error: ID: message" and "hint: next step" on
// stderr. When the archive went to stdout (-o -) its line goes to stderr
// instead (unless quiet), so it does not mix with the archive.
//
// JSON: one array of {"id","path","bytes","sha256","files","error"} on
// stdout (on stderr when the archive itself went to stdout), and each
// failure also as one JSON object {"id","error","exit_status","hint"} per
// line on stderr, like other commands' errors.
//
// It returns nil when everything succeeded, else a *SilentError with the
// worst exit status.
func PrintResults(ios *iostreams.IOStreams, asJSON bool, results []download.Result) error {
	out := ios.Out
	archiveOnStdout := false
	for i := range results {
		if results[i].Path == "-" {
			archiveOnStdout = true
		}
	}
	worst, failed := exit.OK, false
	interrupted := false
	if asJSON {
		doc := make([]download.Result, len(results))
		for i, r := range results {
			if r.Err != nil && r.Error == nil {
				msg := r.Err.Error()
				r.Error = &msg
			}
			doc[i] = r
		}
		if archiveOnStdout {
			out = ios.ErrOut
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
		if _, err := out.Write(buf.Bytes()); err != nil {
			return exit.Wrap(err, exit.Failure, "cannot write the results to stdout", "")
		}
	}
	for _, r := range results {
		if r.Err == nil {
			if asJSON {
				continue
			}
			line := fmt.Sprintf("%s\t%d bytes\t%s\tsha256:%s\t%s\n", r.Path, r.Bytes, download.HumanBytes(r.Bytes), r.SHA256, plural(r.Files, "file"))
			w := out
			if r.Path == "-" {
				w = ios.Info()
			}
			if _, err := io.WriteString(w, line); err != nil {
				return exit.Wrap(err, exit.Failure, "cannot write the results to stdout", "")
			}
			continue
		}
		failed = true
		code := exit.Code(r.Err)
		worst = exit.Worse(worst, code)
		if errors.Is(r.Err, exit.ErrInterrupted) {
			interrupted = true
			continue
		}
		hint := exit.Hint(r.Err)
		if asJSON {
			doc := map[string]any{"id": r.ID, "error": r.Err.Error(), "exit_status": code}
			if hint != "" {
				doc["hint"] = hint
			}
			b, _ := json.Marshal(doc)
			fmt.Fprintf(ios.ErrOut, "%s\n", b)
			continue
		}
		fmt.Fprintf(ios.ErrOut, "error: %s: %s\n", r.ID, r.Err.Error())
		if hint != "" {
			fmt.Fprintf(ios.ErrOut, "hint: %s\n", hint)
		}
	}
	if interrupted {
		if asJSON {
			fmt.Fprintf(ios.ErrOut, "{\"error\":\"interrupted\",\"exit_status\":%d}\n", exit.Interrupted)
		} else {
			fmt.Fprintln(ios.ErrOut, "interrupted")
		}
	}
	if !failed {
		return nil
	}
	return &SilentError{Code: worst}
}

// plural writes "1 file", "3 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
