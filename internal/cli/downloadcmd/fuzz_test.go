package downloadcmd

import (
	"errors"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// FuzzReadIDs: whatever --from-file holds, reading it never panics; it
// gives either a usage error (exit 2) or IDs that each passed the
// validator, trimmed, without comments, BOM or line ends, in file order
// and without duplicates.
func FuzzReadIDs(f *testing.F) {
	f.Add("d1a9c7f0-5a4e-4b6e-9c2d-000000000001\n")
	f.Add("\uFEFFabc # first\r\n\r\n  # only a comment\n\tdef\t\nabc\n")
	f.Add("x\x00y\n" + strings.Repeat("z", 70000) + "\n")
	f.Add("\xff\xfe\n#\n##\n id#x \n")
	f.Fuzz(func(t *testing.T, content string) {
		ios, in, _, _ := iostreams.Test()
		in.WriteString(content)
		d := &Flags{FromFile: "-", Dir: ".", Parallel: 1}
		valid := func(id string) error {
			if strings.ContainsAny(id, "!") {
				return errors.New("no bangs")
			}
			return nil
		}
		ids, err := d.IDs(ios, nil, valid)
		if err != nil {
			if exit.Code(err) != exit.Usage {
				t.Fatalf("exit %d: %v", exit.Code(err), err)
			}
			return
		}
		seen := map[string]bool{}
		for _, id := range ids {
			switch {
			case id == "", id != strings.TrimSpace(id), strings.ContainsAny(id, "#\n"), strings.HasPrefix(id, "\uFEFF"):
				t.Fatalf("ID %q from %q", id, content)
			case valid(id) != nil:
				t.Fatalf("invalid ID %q returned", id)
			case seen[id]:
				t.Fatalf("duplicate ID %q", id)
			case !strings.Contains(content, id):
				t.Fatalf("ID %q is not in the file", id)
			}
			seen[id] = true
		}
	})
}
