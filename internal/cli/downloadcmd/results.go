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
// It returns nil when everything succeeded, else a *cmdutil.SilentError with the
// worst exit status.
func PrintResults(ios *iostreams.IOStreams, asJSON bool, results []download.Result) error {
	var err error
	if asJSON {
		err = printJSON(ios, results)
	} else {
		err = printText(ios, results)
	}
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "check where stdout goes (a full disk, a closed pipe)", "cannot write the results to stdout")
	}
	return reportFailures(ios, asJSON, results)
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

// printText writes one row per saved archive. The row of an archive sent
// to stdout goes to stderr (unless quiet), apart from the archive.
func printText(ios *iostreams.IOStreams, results []download.Result) error {
	tab := ios.NewTable()
	for _, r := range results {
		if r.Err != nil {
			continue
		}
		cells := []string{safetext.Escape(r.Path), strconv.FormatInt(r.Bytes, 10) + " bytes", download.HumanBytes(r.Bytes), "sha256:" + r.SHA256, plural(r.Files, "file")}
		if r.Path == "-" {
			io.WriteString(ios.Info(), strings.Join(cells, "\t")+"\n")
			continue
		}
		tab.Row(cells...)
	}
	return tab.Print()
}

// reportFailures writes each failure on stderr ("error: ID: message" and
// its hint, or one JSON line) and "interrupted" once, and returns the
// worst exit status as a *cmdutil.SilentError (nil when none failed).
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
		hint := exit.Hint(r.Err)
		if asJSON {
			doc := map[string]any{"id": r.ID, "error": r.Err.Error(), "exit_status": code}
			if hint != "" {
				doc["hint"] = hint
			}
			iostreams.WriteJSONLine(ios.ErrOut, doc)
			continue
		}
		// Server text (messages, codes, names) escaped: see safetext.
		fmt.Fprintf(ios.ErrOut, "error: %s: %s\n", safetext.Escape(r.ID), safetext.Escape(r.Err.Error()))
		if hint != "" {
			fmt.Fprintf(ios.ErrOut, "hint: %s\n", safetext.Escape(hint))
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
