package downloadcmd

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/safetext"
)

// ResultFormat is the text result format, for the commands' help and
// the README.
const ResultFormat = `OUTPUT
  One line per saved archive on stdout, as soon as that archive is done
  (with several IDs, in the order they finish). For scripts (stdout not a
  terminal) the fields are tab-separated, with no units:

    PATH<TAB>BYTES<TAB>SHA256<TAB>FILES

  BYTES is a plain byte count, SHA256 64 hex digits, FILES the number
  of files in the archive. Read it with
    while IFS=$'\t' read -r path bytes sha files; do ...; done
  At a terminal the line is for people: "PATH  1.5 KiB  sha256:HEX  3 files".
  With -o - the line goes to stderr. Each failed ID prints "error: ID: ..."
  and "hint: ..." on stderr when it fails. --json prints one array at the
  end instead: {"id","path","bytes","sha256","files","error"} per ID.`

// Printer reports download results: in text, each one as soon as it is
// handed to One; in JSON, all of them by Finish.
//
// Text: one line per saved archive on stdout. When stdout is not a
// terminal it is tab-separated fields with no units (ResultFormat):
//
//	PATH<TAB>BYTES<TAB>SHA256<TAB>FILES
//
// at a terminal "PATH  HUMAN  sha256:HEX  N files". For each failure
// "error: ID: message" and "hint: next step" go to stderr. When the
// archive went to stdout (-o -) its line goes to stderr instead (unless
// quiet), in the form that fits stderr, so it does not mix with the
// archive.
//
// JSON: one array of {"id","path","bytes","sha256","files","error"} on
// stdout (on stderr when the archive itself went to stdout), and each
// failure also as one JSON object {"id","error","exit_status","hint"} per
// line on stderr, like other commands' errors.
type Printer struct {
	ios    *iostreams.IOStreams
	asJSON bool
	werr   error // the first failure to write a result line
}

// NewPrinter reports results on ios.
func NewPrinter(ios *iostreams.IOStreams, asJSON bool) *Printer {
	return &Printer{ios: ios, asJSON: asJSON}
}

// One reports one finished result at once (text only; JSON waits for
// Finish). An interruption is said once, by Finish.
func (p *Printer) One(r download.Result) {
	if p.asJSON {
		return
	}
	if r.Err != nil {
		if !errors.Is(r.Err, exit.ErrInterrupted) {
			writeFailure(p.ios, r)
		}
		return
	}
	if r.Path == "-" {
		io.WriteString(p.ios.Info(), resultLine(r, p.ios.IsStderrTTY()))
		return
	}
	if _, err := io.WriteString(p.ios.Out, resultLine(r, p.ios.IsStdoutTTY())); err != nil && p.werr == nil {
		p.werr = err
	}
}

// Finish writes the JSON document (JSON) or "interrupted" (text) and
// returns nil when everything succeeded, else a *cmdutil.SilentError
// with the worst exit status. Every result must have gone through One
// first in text mode.
func (p *Printer) Finish(results []download.Result) error {
	err := p.werr
	if p.asJSON {
		err = printJSON(p.ios, results)
	}
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "check where stdout goes (a full disk, a closed pipe)", "cannot write the results to stdout")
	}
	return reportFailures(p.ios, p.asJSON, results)
}

// PrintResults reports results that are all known (Printer.One for
// each, then Finish).
func PrintResults(ios *iostreams.IOStreams, asJSON bool, results []download.Result) error {
	p := NewPrinter(ios, asJSON)
	for _, r := range results {
		p.One(r)
	}
	return p.Finish(results)
}

// resultLine is one saved archive's line: tab-separated bare fields for
// scripts, a readable one for a terminal.
func resultLine(r download.Result, terminal bool) string {
	path := safetext.Escape(r.Path) // from the server's Content-Disposition, made safe; escaped all the same
	if terminal {
		return path + "  " + download.HumanBytes(r.Bytes) + "  sha256:" + r.SHA256 + "  " + plural(r.Files, "file") + "\n"
	}
	return strings.Join([]string{path, strconv.FormatInt(r.Bytes, 10), r.SHA256, strconv.Itoa(r.Files)}, "\t") + "\n"
}

// printJSON writes the array of results: on stdout, or on stderr when
// the archive itself went to stdout.
func printJSON(ios *iostreams.IOStreams, results []download.Result) error {
	out := ios.Out
	doc := make([]download.Result, len(results))
	for i, r := range results {
		if r.Err != nil && r.Error == nil {
			msg := r.Err.Error()
			r.Error = &msg
		}
		if r.Path == "-" {
			out = ios.ErrOut
		}
		doc[i] = r
	}
	return iostreams.WriteJSON(out, doc)
}

// writeFailure writes "error: ID: message" and its hint on stderr.
func writeFailure(ios *iostreams.IOStreams, r download.Result) {
	var b strings.Builder
	// Server text (messages, codes, names) escaped: see safetext.
	fmt.Fprintf(&b, "error: %s: %s\n", safetext.Escape(r.ID), safetext.Escape(r.Err.Error()))
	if hint := exit.Hint(r.Err); hint != "" {
		fmt.Fprintf(&b, "hint: %s\n", safetext.Escape(hint))
	}
	io.WriteString(ios.ErrOut, b.String())
}

// reportFailures writes, with --json, each failure as one JSON line on
// stderr; in both forms "interrupted" once. (Text failures were written
// by Printer.One as they happened.) It returns the worst exit status as a
// *cmdutil.SilentError (nil when none failed).
func reportFailures(ios *iostreams.IOStreams, asJSON bool, results []download.Result) error {
	worst, failed, interrupted := exit.OK, false, false
	for _, r := range results {
		if r.Err == nil {
			continue
		}
		failed = true
		code := exit.Code(r.Err)
		worst = exit.Worse(worst, code)
		if errors.Is(r.Err, exit.ErrInterrupted) {
			interrupted = true
			continue
		}
		if asJSON {
			doc := map[string]any{"id": r.ID, "error": r.Err.Error(), "exit_status": code}
			if hint := exit.Hint(r.Err); hint != "" {
				doc["hint"] = hint
			}
			iostreams.WriteJSONLine(ios.ErrOut, doc)
		}
	}
	switch {
	case interrupted && asJSON:
		iostreams.WriteJSONLine(ios.ErrOut, map[string]any{"error": "interrupted", "exit_status": exit.Interrupted})
	case interrupted:
		fmt.Fprintln(ios.ErrOut, "interrupted")
	}
	if !failed {
		return nil
	}
	return &cmdutil.SilentError{Code: worst}
}

// plural writes "1 file", "3 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
