package symbols

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/diagctl/diagctl/internal/iostreams"
)

// Row is one key of one file, shaped like a DebugEntry so that
// `--json` output can be filtered and handed to create-entries.
type Row struct {
	File           string         `json:"file"`
	Kind           string         `json:"kind"`
	ClientKey      string         `json:"clientKey"`
	BlobIdentifier BlobIdentifier `json:"blobIdentifier"`
	Size           int64          `json:"size"`
}

// BlobIdentifier is the DebugEntry's blobIdentifier object.
type BlobIdentifier struct {
	IdentifierValue string `json:"identifierValue"`
}

// writeRows prints the result on stdout: a JSON array, or a table (FILE,
// KIND, CLIENT KEY, BLOB IDENTIFIER, SIZE) aligned with a header on a
// terminal and tab-separated without one otherwise, names escaped.
//
// This is the command's only output code, kept in one function so the
// shared table printer and JSON writer can replace it.
func writeRows(ios *iostreams.IOStreams, asJSON bool, rows []Row) error {
	var buf bytes.Buffer
	if asJSON {
		if rows == nil {
			rows = []Row{}
		}
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
	} else {
		var w io.Writer = &buf
		var tw *tabwriter.Writer
		if ios.IsStdoutTTY() {
			tw = tabwriter.NewWriter(&buf, 0, 8, 2, ' ', 0)
			w = tw
			fmt.Fprintln(w, "FILE\tKIND\tCLIENT KEY\tBLOB IDENTIFIER\tSIZE")
		}
		for _, r := range rows {
			fmt.Fprintln(w, escape(r.File)+"\t"+r.Kind+"\t"+escape(r.ClientKey)+"\t"+r.BlobIdentifier.IdentifierValue+"\t"+strconv.FormatInt(r.Size, 10))
		}
		if tw != nil {
			if err := tw.Flush(); err != nil {
				return err
			}
		}
	}
	if _, err := ios.Out.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("cannot write the keys to stdout: %w", err)
	}
	return nil
}
