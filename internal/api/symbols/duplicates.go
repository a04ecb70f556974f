package symbols

import (
	"fmt"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// DuplicateKey is one client key given by more than one source.
type DuplicateKey struct {
	Key     string   // as the first source spelled it
	Sources []string // in input order
	// SameBlob: every source has the same blob identifier, i.e. the files
	// are copies of one file.
	SameBlob bool
}

// DuplicateKeysError lists every client key that more than one entry of a
// run names (exit 2: nothing is sent).
type DuplicateKeysError struct {
	Keys []DuplicateKey
}

func (e *DuplicateKeysError) Error() string {
	var b strings.Builder
	for i, d := range e.Keys {
		if i > 0 {
			b.WriteString("; ")
		}
		srcs := make([]string, len(d.Sources))
		for j, s := range d.Sources {
			srcs[j] = printable(s)
		}
		fmt.Fprintf(&b, "client key %s is given %d times: %s", printable(d.Key), len(d.Sources), strings.Join(srcs, ", "))
		if d.SameBlob {
			b.WriteString(" (identical content)")
		}
	}
	return b.String()
}

func (e *DuplicateKeysError) ExitCode() int { return exit.Usage }

func (e *DuplicateKeysError) Hint() string {
	return "a request takes each client key once (keys are compared without regard to case, as the service does): pass each file once, or only one of the copies; nothing was sent"
}

// CheckDuplicates refuses client keys that appear more than once among
// items, comparing them without regard to case (the service treats
// symbol.exe/557A1D8EE000/symbol.exe and symbol.exe/557a1d8ee000/symbol.exe
// as one key: FACTS.md, unconfirmed). It returns a *DuplicateKeysError
// naming every shared key and its sources, or nil.
func CheckDuplicates(items []Item) error {
	index := make(map[string]int, len(items)) // folded key -> position in groups
	var groups [][]int
	for i, it := range items {
		k := strings.ToLower(it.Entry.ClientKey)
		g, ok := index[k]
		if !ok {
			index[k] = len(groups)
			groups = append(groups, []int{i})
			continue
		}
		groups[g] = append(groups[g], i)
	}
	var dups []DuplicateKey
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		first := items[g[0]].Entry
		d := DuplicateKey{Key: first.ClientKey, SameBlob: true}
		for _, i := range g {
			d.Sources = append(d.Sources, items[i].Source)
			if items[i].Entry.BlobIdentifier != first.BlobIdentifier {
				d.SameBlob = false
			}
		}
		dups = append(dups, d)
	}
	if dups == nil {
		return nil
	}
	return &DuplicateKeysError{Keys: dups}
}
