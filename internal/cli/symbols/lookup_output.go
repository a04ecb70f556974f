package symbols

import (
	"fmt"
	"io"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/safetext"
)

// Lookup statuses, as printed.
const (
	lookupFound   = "found"
	lookupMissing = "missing"
	lookupError   = "error"
)

// LookupRow is one key's line of `symbols lookup --json`.
type LookupRow struct {
	File      string `json:"file,omitempty"` // "" for a key given as an argument
	Kind      string `json:"kind"`
	ClientKey string `json:"clientKey"`
	Status    string `json:"status"`
	// Location is where a found key's redirect points, signature redacted.
	Location string `json:"location,omitempty"`
	Error    string `json:"error,omitempty"`
}

func lookupRow(t target, r lookupResult) LookupRow {
	row := LookupRow{File: t.file, Kind: t.kind, ClientKey: t.key}
	switch {
	case r.err != nil:
		row.Status, row.Error = lookupError, r.err.Error()
	case r.lookup.Found:
		row.Status, row.Location = lookupFound, r.lookup.Location
	default:
		row.Status = lookupMissing
	}
	return row
}

// reportLookups prints the rows on stdout, the files that could not be
// keyed and the failed lookups on stderr, a summary, and gives the exit
// status: 0 all found, 4 any missing, else the worst error's.
func reportLookups(opts *LookupOptions, inputs []input, outcomes []outcome, targets []target, results []lookupResult) error {
	rows := make([]LookupRow, len(targets))
	for i := range targets {
		rows[i] = lookupRow(targets[i], results[i])
	}
	if err := writeLookupRows(opts.IO, opts.JSON, rows); err != nil {
		return exit.Wrapf(err, exit.Failure, "", "cannot write the lookups to stdout")
	}
	errOut, info := opts.IO.ErrOut, opts.IO.Info()
	code := exit.OK
	keyFailed, skipped := 0, 0
	for i, o := range outcomes {
		switch {
		case o.err != nil:
			keyFailed++
			code = exit.Worse(code, exit.Failure)
			reportError(opts, errOut, inputs[i].path, "", o.err.Error(), exit.Failure, "")
		case o.skip != "":
			skipped++
			if opts.Verbose {
				fmt.Fprintf(info, "skipped: %s: %s\n", escape(inputs[i].path), escape(o.skip))
			}
		}
	}
	found, missing, failed := 0, 0, 0
	reported := map[error]bool{}
	for i, r := range results {
		switch {
		case r.err != nil:
			failed++
			code = exit.Worse(code, exit.Code(r.err))
			if !reported[r.err] { // a key given twice shares one result
				reported[r.err] = true
				reportError(opts, errOut, targets[i].file, targets[i].key, r.err.Error(), exit.Code(r.err), exit.Hint(r.err))
			}
		case r.lookup.Found:
			found++
		default:
			missing++
			code = exit.Worse(code, exit.NotFound)
		}
	}
	if skipped > 0 {
		why := " (-v says why)"
		if opts.Verbose {
			why = ""
		}
		fmt.Fprintf(info, "skipped %s without a symbol key%s\n", files(skipped), why)
	}
	fmt.Fprintf(info, "%s found, %d missing", keys(found), missing)
	if failed > 0 {
		fmt.Fprintf(info, ", %d not looked up (errors above)", failed)
	}
	if keyFailed > 0 {
		fmt.Fprintf(info, "; %s could not be keyed", files(keyFailed))
	}
	fmt.Fprintln(info)
	if missing > 0 && !opts.JSON {
		fmt.Fprintln(info, "hint: a missing key has no created debug entry: add it with 'diagctl symbols create-entries', and upload its blob if the entry is blobMissing")
	}
	if code != exit.OK {
		return &cmdutil.SilentError{Code: code}
	}
	return nil
}

// reportError writes one failure on stderr: a line of text, or with
// --json a JSON object.
func reportError(opts *LookupOptions, w io.Writer, file, key, msg string, code int, hint string) {
	if opts.JSON {
		doc := map[string]any{"error": msg, "exit_status": code}
		if hint != "" {
			doc["hint"] = hint
		}
		if file != "" {
			doc["file"] = file
		}
		if key != "" {
			doc["clientKey"] = key
		}
		_ = iostreams.WriteJSONLine(w, doc)
		return
	}
	what := escape(file)
	if key != "" {
		what = escape(key)
		if file != "" {
			what += " (" + escape(file) + ")"
		}
	}
	fmt.Fprintf(w, "error: %s: %s\n", what, safetext.Escape(msg))
	if hint != "" {
		fmt.Fprintln(w, "hint: "+safetext.Escape(hint))
	}
}

func keys(n int) string {
	if n == 1 {
		return "1 key"
	}
	return fmt.Sprintf("%d keys", n)
}

// writeLookupRows prints the result: a JSON array, or FILE, CLIENT KEY,
// STATUS, LOCATION rows (with a header on a terminal).
func writeLookupRows(ios *iostreams.IOStreams, asJSON bool, rows []LookupRow) error {
	if asJSON {
		return iostreams.WriteJSON(ios.Out, rows)
	}
	var header []string
	if ios.IsStdoutTTY() {
		header = []string{"FILE", "CLIENT KEY", "STATUS", "LOCATION"}
	}
	tab := ios.NewTable(header...)
	for _, r := range rows {
		file := "-"
		if r.File != "" {
			file = escape(r.File)
		}
		where := safetext.Escape(r.Location)
		if where == "" {
			where = "-"
		}
		tab.Row(file, escape(r.ClientKey), r.Status, where)
	}
	return tab.Print()
}
