package iostreams

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes v to w as indented JSON and a newline: the one form of
// every --json result on stdout. HTML characters are not escaped (a
// "<" stays "<"), and nothing is written when v cannot be encoded.
func WriteJSON(w io.Writer, v any) error {
	return writeJSON(w, v, "  ")
}

// WriteJSONLine writes v to w as one compact JSON line: the form of
// errors on stderr under --json, one object a line.
func WriteJSONLine(w io.Writer, v any) error {
	return writeJSON(w, v, "")
}

func writeJSON(w io.Writer, v any, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeJSONControls(buf.Bytes()))
	return err
}

// escapeJSONControls writes DEL and the C1 controls (U+0080-U+009F, which
// some terminals obey like ESC sequences) as \u escapes. The encoder
// escapes C0 itself but leaves these raw; escaped, the document decodes to
// the same values, and no server-controlled byte reaches a terminal raw
// even in --json output. Such bytes occur only inside strings (the
// encoder's output is valid UTF-8), so replacing them is exact.
func escapeJSONControls(b []byte) []byte {
	if bytes.IndexByte(b, 0x7f) < 0 && bytes.IndexByte(b, 0xc2) < 0 {
		return b
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == 0x7f:
			out = append(out, `\u007f`...)
		case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f:
			out = append(out, '\\', 'u', '0', '0', hex[b[i+1]>>4], hex[b[i+1]&0xf])
			i++
		default:
			out = append(out, c)
		}
	}
	return out
}

// Table prints rows of text cells: columns aligned with spaces when
// stdout is a terminal (for people), separated by one tab otherwise (for
// cut, awk and spreadsheets). Build it with IOStreams.NewTable, add rows,
// then Print. Cells are printed as given: escape server-controlled text
// first (a tab or newline in a cell would break the columns).
type Table struct {
	w        io.Writer
	terminal bool
	header   []string
	rows     [][]string
}

// NewTable is a table for stdout with the given column names (none for
// a table without a header row).
func (s *IOStreams) NewTable(header ...string) *Table {
	return &Table{w: s.Out, terminal: s.stdoutTTY, header: header}
}

// Row adds one row.
func (t *Table) Row(cells ...string) { t.rows = append(t.rows, cells) }

// Len is the number of rows added.
func (t *Table) Len() int { return len(t.rows) }

// Print writes the header (when there is one) and the rows.
func (t *Table) Print() error {
	all := t.rows
	if len(t.header) > 0 {
		all = append([][]string{t.header}, t.rows...)
	}
	if !t.terminal {
		var b strings.Builder
		for _, r := range all {
			b.WriteString(strings.Join(r, "\t"))
			b.WriteByte('\n')
		}
		_, err := io.WriteString(t.w, b.String())
		return err
	}
	tw := tabwriter.NewWriter(t.w, 0, 4, 2, ' ', 0)
	for _, r := range all {
		io.WriteString(tw, strings.Join(r, "\t")+"\n")
	}
	return tw.Flush()
}
