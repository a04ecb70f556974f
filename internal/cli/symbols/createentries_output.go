package symbols

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/safetext"
)

// printEntries writes what the service returned for the batches in
// results: on stdout a table (CLIENT KEY, STATUS, ID) in input order, or
// with --json the entries as the service sent them; on stderr the count
// of each status.
func printEntries(opts *CreateEntriesOptions, p *plan, results [][]symbols.StoredEntry) error {
	got := inInputOrder(p.items, results)
	if opts.JSON {
		raws := make([]json.RawMessage, len(got))
		for i, e := range got {
			raws[i] = e.Raw
		}
		if err := iostreams.WriteJSON(opts.IO.Out, raws); err != nil {
			return exit.Wrapf(err, exit.Failure, "", "cannot write the entries to stdout")
		}
	} else {
		var header []string
		if opts.IO.IsStdoutTTY() {
			header = []string{"CLIENT KEY", "STATUS", "ID"}
		}
		tab := opts.IO.NewTable(header...)
		for _, e := range got {
			tab.Row(safetext.Escape(e.ClientKey), safetext.Escape(e.Status), safetext.Escape(e.ID))
		}
		if err := tab.Print(); err != nil {
			return exit.Wrapf(err, exit.Failure, "", "cannot write the entries to stdout")
		}
	}
	fmt.Fprintln(opts.IO.Info(), summary(got))
	return nil
}

// inInputOrder flattens the batches' answers and orders them as the
// entries were given (the service answers in the batch's order, but the
// output must not depend on it). Keys are matched without regard to
// case, as the service compares them; an entry whose key was not sent
// comes last.
func inInputOrder(items []symbols.Item, results [][]symbols.StoredEntry) []symbols.StoredEntry {
	pos := make(map[string]int, len(items))
	for i, it := range items {
		pos[strings.ToLower(it.Entry.ClientKey)] = i
	}
	var all []symbols.StoredEntry
	for _, r := range results {
		all = append(all, r...)
	}
	rank := func(e symbols.StoredEntry) int {
		if i, ok := pos[strings.ToLower(e.ClientKey)]; ok {
			return i
		}
		return len(items)
	}
	sort.SliceStable(all, func(a, b int) bool { return rank(all[a]) < rank(all[b]) })
	return all
}

// summary counts the statuses: "created 14, blobMissing 3: their content
// must be uploaded before the request is sealed".
func summary(entries []symbols.StoredEntry) string {
	counts := map[string]int{}
	var order []string
	for _, s := range []string{symbols.StatusCreated, symbols.StatusBlobMissing} {
		order = append(order, s)
	}
	for _, e := range entries {
		if counts[e.Status] == 0 && e.Status != symbols.StatusCreated && e.Status != symbols.StatusBlobMissing {
			order = append(order, e.Status)
		}
		counts[e.Status]++
	}
	var parts []string
	for _, s := range order {
		if counts[s] > 0 || s == symbols.StatusCreated {
			name := s
			if name == "" {
				name = "no status"
			}
			parts = append(parts, fmt.Sprintf("%s %d", safetext.Escape(name), counts[s]))
		}
	}
	out := strings.Join(parts, ", ")
	if counts[symbols.StatusBlobMissing] > 0 {
		out += ": their content must be uploaded before the request is sealed"
	}
	return out
}

// printDryRun writes the bodies that would be sent, one JSON document per
// batch (a single one can be given back to --entries), and says on stderr
// where they would go, and what --request-name and --seal would create
// and seal. Nothing is sent and no token is read.
func printDryRun(opts *CreateEntriesOptions, p *plan) error {
	for _, b := range p.batches {
		if err := iostreams.WriteJSON(opts.IO.Out, b); err != nil {
			return exit.Wrapf(err, exit.Failure, "", "cannot write the request bodies to stdout")
		}
	}
	requests := "{url}/{organization}/_apis/symbol/requests"
	if opts.Config != nil {
		if cfg, err := opts.Config(); err == nil {
			if base, err := symbols.BaseURL(cfg); err == nil {
				requests = base.String() + "/_apis/symbol/requests"
			}
		}
	}
	requests = safetext.Escape(requests)
	id := p.requestID
	if p.create != nil {
		id = "{the new request's id}"
		fmt.Fprintf(opts.IO.Info(), "dry run: would create symbol request %s (POST %s?%s)\n",
			quoteName(p.create.Name), requests, symbols.VersionQuery(symbols.DefaultAPIVersion))
	}
	posts := "1 POST"
	if n := len(p.batches); n != 1 {
		posts = fmt.Sprintf("%d POSTs", n)
	}
	fmt.Fprintf(opts.IO.Info(), "dry run: %s of %s to %s/%s?%s; nothing was sent\n",
		posts, entries(len(p.items)), requests, id, symbols.EntriesQuery(opts.APIVersion))
	if opts.Seal {
		fmt.Fprintf(opts.IO.Info(), "dry run: then would seal it (PATCH %s/%s?%s) if every entry comes back created (none blobMissing)\n",
			requests, id, symbols.VersionQuery(symbols.DefaultAPIVersion))
	}
	return nil
}
