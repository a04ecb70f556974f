package downloadcmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
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
	return &cmdutil.SilentError{Code: worst}
}

// plural writes "1 file", "3 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
