// Package downloadcmd is what the download commands (`sandbox
// debug-report`, `logs download`) share: their flags, the argument
// checks, the run on top of the download engine and the result printer.
// A download command is a Spec and a few lines (see CONTRIBUTING.md).
package downloadcmd

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// Flags are the flags shared by the download commands.
type Flags struct {
	Output   string
	Dir      string
	Force    bool
	Extract  string
	Parallel int
	FromFile string

	// dirChanged tells whether -d was given (set by AddFlags).
	dirChanged func() bool
}

// AddFlags registers the download flags on cmd.
func AddFlags(cmd *cobra.Command, d *Flags) {
	fl := cmd.Flags()
	fl.StringVarP(&d.Output, "output", "o", "", "write the archive to this path (one ID only), creating missing parent directories as -d does; - writes it to stdout")
	fl.StringVarP(&d.Dir, "dir", "d", ".", "save archives in this directory (created when missing), under the server's file name")
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
func (d *Flags) IDs(ios *iostreams.IOStreams, args []string, valid func(string) error) ([]string, error) {
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

func (d *Flags) fromName() string {
	if d.FromFile == "-" {
		return "- (stdin)"
	}
	return d.FromFile
}

// readIDs reads --from-file: one ID a line, spaces trimmed, blank lines
// and everything from a '#' on skipped, a UTF-8 BOM and CRLF tolerated.
func (d *Flags) readIDs(ios *iostreams.IOStreams, valid func(string) error) ([]string, error) {
	var r io.Reader
	if d.FromFile == "-" {
		r = ios.In
	} else {
		f, err := os.Open(d.FromFile)
		if err != nil {
			return nil, exit.Wrapf(err, exit.Usage, "give a readable file, or - for stdin", "cannot read --from-file")
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
		return nil, exit.Wrapf(err, exit.Usage, "give a text file with one ID a line", "cannot read --from-file %s", d.fromName())
	}
	return ids, nil
}

// badID is a usage error that keeps the validator's hint.
func badID(msg string, err error) error {
	return &exit.Error{Code: exit.Usage, Msg: msg, Err: err, Next: exit.Hint(err)}
}

// CheckStdin refuses to read both the IDs (--from-file -) and a secret
// (secretFlag, e.g. --password-stdin) from stdin.
func (d *Flags) CheckStdin(secretFlag string, secretFromStdin bool) error {
	if secretFromStdin && d.FromFile == "-" {
		return exit.FlagErrorf("%s and --from-file - both want stdin: put the IDs in a file", secretFlag)
	}
	return nil
}
