package symbols

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/vsohash"
)

// plan is everything a run sends, decided and checked before any request.
type plan struct {
	requestID string // "" until the request of create is made
	// create is the request --request-name makes before the entries;
	// created is the service's answer to it.
	create   *symbols.RequestCreate
	created  *symbols.Request
	behavior string // canonical; "" leaves it out of the bodies
	items    []symbols.Item
	batches  []symbols.DebugEntryCreateBatch
}

// makePlan runs every local check: the request id, the create behavior,
// each entry's values, duplicate keys. Its errors are usage errors (exit
// 2), but for a file that could not be keyed (exit 1): nothing is sent
// either way.
func makePlan(opts *CreateEntriesOptions) (*plan, error) {
	p := &plan{}
	if opts.RequestNameSet {
		body, err := symbols.NewRequestCreate(opts.RequestName, "", nil)
		if err != nil {
			var ie *symbols.InputError
			if errors.As(err, &ie) {
				ie.Field = "--request-name"
			}
			return nil, err
		}
		p.create = &body
	} else {
		id, err := symbols.ParseRequestID(opts.RequestID)
		if err != nil {
			var ie *symbols.InputError
			if errors.As(err, &ie) {
				ie.Next = "give the id 'diagctl symbols request create NAME' printed, or --request-name NAME in its place to create the request in this command"
			}
			return nil, err
		}
		p.requestID = id
	}
	behavior := ""
	if opts.CreateBehavior != "" {
		// Any case, as the service compares them (and as a document's
		// createBehavior is read).
		b, err := CreateBehaviors.Fold("create-behavior", opts.CreateBehavior)
		if err != nil {
			return nil, err
		}
		behavior = b
	}
	p.behavior = behavior

	if opts.EntriesFile != "" {
		in, err := readEntriesFile(opts)
		if err != nil {
			return nil, err
		}
		switch {
		case in.CreateBehavior == "":
		case behavior == "":
			p.behavior = in.CreateBehavior
		case behavior != in.CreateBehavior:
			return nil, exit.UsageErrorf("leave --create-behavior out to use the document's, or remove createBehavior from the document",
				"--create-behavior %s differs from the createBehavior %s of %s", behavior, in.CreateBehavior, entriesSource(opts.EntriesFile))
		}
		p.items = append(p.items, in.Items...)
	}
	if opts.ClientKey != "" {
		e := symbols.DebugEntry{
			ClientKey:        opts.ClientKey,
			BlobIdentifier:   symbols.BlobIdentifier{IdentifierValue: opts.BlobID},
			InformationLevel: opts.InformationLevel,
		}
		if opts.SizeSet {
			e.Size = &opts.Size
		}
		if err := symbols.ValidateEntry(&e); err != nil {
			var ie *symbols.InputError
			if errors.As(err, &ie) {
				ie.Field = flagOf(ie.Field)
			}
			return nil, err
		}
		p.items = append(p.items, symbols.Item{Source: "--client-key", Entry: e})
	}
	if len(opts.Paths) > 0 {
		items, err := keyFiles(opts)
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, items...)
	}
	if err := symbols.CheckDuplicates(p.items); err != nil {
		return nil, err
	}
	if len(p.items) == 0 {
		return nil, exit.UsageErrorf("give symbol files (or --include-other for any file), or entries in --entries; nothing was sent", "no entries to create")
	}
	p.batches = symbols.NewBatches(p.behavior, symbols.Entries(p.items), opts.BatchSize)
	return p, nil
}

// flagOf names a single entry's field by the flag that gave it.
func flagOf(field string) string {
	switch field {
	case "clientKey":
		return "--client-key"
	case "blobIdentifier.identifierValue":
		return "--blob-id"
	case "informationLevel":
		return "--information-level"
	case "size":
		return "--size"
	}
	return field
}

func entriesSource(name string) string {
	if name == "-" {
		return "stdin"
	}
	return escape(name)
}

// readEntriesFile reads --entries FILE|- (bounded by
// symbols.MaxEntriesInput) and checks every entry in it.
func readEntriesFile(opts *CreateEntriesOptions) (*symbols.EntriesInput, error) {
	if opts.EntriesFile == "-" {
		if opts.IO.IsStdinTTY() {
			return nil, exit.UsageErrorf("pipe the entries in, e.g. diagctl symbols keys --json DIR | diagctl symbols create-entries --entries - ID", "--entries -: stdin is a terminal")
		}
		return symbols.ParseEntries(opts.IO.In, "stdin", 0)
	}
	f, err := os.Open(opts.EntriesFile)
	if err != nil {
		return nil, exit.UsageErrorf("check the path given to --entries", "--entries: %s", escape(unwrapPathError(err).Error()+": "+opts.EntriesFile))
	}
	defer f.Close()
	return symbols.ParseEntries(f, escape(opts.EntriesFile), 0)
}

// keyFiles computes the entries of the FILE|DIR arguments, as `symbols
// keys` does, several files at once. Files of no symbol kind and symbol
// files without a key are counted on stderr; a file that cannot be keyed
// is an error for the whole run (exit 1), after every file was tried, so
// that a half-built tree is never published.
func keyFiles(opts *CreateEntriesOptions) ([]symbols.Item, error) {
	ctx := opts.ctx()
	inputs, err := collect(opts.Paths)
	if err != nil {
		return nil, err
	}
	k := &keyer{ctx: ctx, includeOther: opts.IncludeOther, buffers: vsohash.NewBufferPool(runtime.GOMAXPROCS(0))}
	outcomes := make([]outcome, len(inputs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(opts.Parallel, max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				outcomes[i] = k.key(inputs[i])
			}
		}()
	}
feed:
	for i := range inputs {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := interrupted(ctx); err != nil {
		return nil, err
	}

	var items []symbols.Item
	failed, unknown, noKey := 0, 0, 0
	errOut, info := opts.IO.ErrOut, opts.IO.Info()
	for i, o := range outcomes {
		path := escape(inputs[i].path)
		switch {
		case o.err != nil:
			failed++
			fmt.Fprintf(errOut, "error: %s: %s\n", path, escape(o.err.Error()))
		case o.unknown:
			unknown++
		case o.skip != "":
			noKey++
			if opts.Verbose {
				fmt.Fprintf(info, "skipped: %s: %s\n", path, escape(o.skip))
			}
		}
		for _, r := range o.rows {
			size := r.Size
			items = append(items, symbols.Item{Source: r.File, Entry: symbols.DebugEntry{
				ClientKey:      r.ClientKey,
				BlobIdentifier: symbols.BlobIdentifier{IdentifierValue: r.BlobIdentifier.IdentifierValue},
				Size:           &size,
			}})
		}
	}
	if unknown > 0 {
		fmt.Fprintf(info, "skipped %s of no symbol type; --include-other keys them by SHA-1\n", files(unknown))
	}
	if noKey > 0 {
		fmt.Fprintf(info, "skipped %s without a symbol key (-v says why)\n", files(noKey))
	}
	if failed > 0 {
		fmt.Fprintf(errOut, "%s could not be keyed: nothing was sent\n", files(failed))
		fmt.Fprintln(errOut, "hint: a truncated or corrupt file is often one still being written or a damaged copy: rebuild or copy it again, or leave it out")
		return nil, &cmdutil.SilentError{Code: exit.Failure}
	}
	return items, nil
}

// interrupted is exit.ErrInterrupted after Ctrl-C, the context's cause
// after another end, or nil.
func interrupted(ctx context.Context) error {
	cause := context.Cause(ctx)
	switch {
	case cause == nil:
		return nil
	case errors.Is(cause, exit.ErrInterrupted):
		return exit.ErrInterrupted
	}
	return cause
}
