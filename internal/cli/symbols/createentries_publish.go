package symbols

import (
	"fmt"

	"github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

// What --request-name and --seal add around the batches: the request made
// first with `request create`'s call, sealed after with `request seal`'s.

// createRequest makes the request of --request-name. It is the call of
// `request create`, never sent again once it may have arrived. Its id
// goes to stderr: stdout stays the entries'.
func createRequest(opts *CreateEntriesOptions, c *httpx.Client, p *plan) error {
	if err := interrupted(opts.ctx()); err != nil {
		return err
	}
	r, err := symbols.CreateRequest(opts.ctx(), c, *p.create)
	if err != nil {
		return createError(err, p.create.Name,
			"to add these entries to it, pass its id as REQUEST_ID in place of --request-name; for a new request choose another name")
	}
	id, err := symbols.ParseRequestID(r.ID)
	if err != nil {
		return exit.Wrapf(err, exit.Service, "no entries were sent; find the request's id where the organization's symbol requests are listed, and pass it as REQUEST_ID in place of --request-name",
			"the service created symbol request %s but its answer has no usable id (%q)", quoteName(p.create.Name), safetext.Escape(r.ID))
	}
	p.requestID, p.created = id, r
	printCreated(opts.IO.Info(), r, true)
	return nil
}

// again is how to run once more after a failure: with --request-name the
// request now exists, so its id takes the name's place.
func (p *plan) again() string {
	if p.created == nil {
		return "run the same command again"
	}
	return "run the command again with REQUEST_ID " + p.requestID + " (in place of --request-name)"
}

// keptOpen adds to err, when this run created the request, that it exists
// and how to go on with it.
func (p *plan) keptOpen(err error) error {
	if p.created == nil || err == nil {
		return err
	}
	next := fmt.Sprintf("symbol request %s was created (id %s) and stays open: %s", quoteName(p.created.Name), p.requestID, p.again())
	if h := exit.Hint(err); h != "" {
		next = h + "; " + next
	}
	return exit.Wrapf(err, exit.Code(err), next, "")
}

// sealAfter is --seal: the request is sealed only when every entry came
// back created. A blobMissing entry leaves it open with exit 4 (its
// content is not on the service yet), as `symbols lookup` reports a key it
// cannot find; a status diagctl does not know leaves it open too, since a
// seal cannot be undone.
func sealAfter(opts *CreateEntriesOptions, c *httpx.Client, p *plan, results [][]symbols.StoredEntry) error {
	missing, other := 0, 0
	for _, batch := range results {
		for _, e := range batch {
			switch e.Status {
			case symbols.StatusCreated:
			case symbols.StatusBlobMissing:
				missing++
			default:
				other++
			}
		}
	}
	sealCmd := "'diagctl symbols request seal " + p.requestID + "'"
	switch {
	case missing > 0:
		return exit.Errorf(exit.NotFound,
			"their content must be uploaded first (diagctl does not upload blobs); then "+sealCmd+" seals it",
			"--seal: not sealed: %s came back blobMissing; symbol request %s stays open and takes more entries", entries(missing), p.requestID)
	case other > 0:
		return exit.Errorf(exit.NotFound,
			"look at the STATUS column; once every entry is created, "+sealCmd+" seals it",
			"--seal: not sealed: %s came back with a status other than created; symbol request %s stays open", entries(other), p.requestID)
	}
	if err := interrupted(opts.ctx()); err != nil {
		if !opts.JSON {
			// The top level prints only "interrupted".
			fmt.Fprintf(opts.IO.ErrOut, "error: interrupted before the seal: symbol request %s stays open\nhint: %s seals it\n", p.requestID, sealCmd)
		}
		return err
	}
	r, already, err := sealRequest(opts.ctx(), c, p.requestID)
	if err != nil {
		next := "the entries are created and the request is open: " + sealCmd + " seals it (it is safe to repeat)"
		if h := exit.Hint(err); h != "" {
			next = h + "; " + next
		}
		return exit.Wrapf(err, exit.Code(err), next, "--seal: the entries were created, but the request was not sealed")
	}
	printSealed(opts.IO.Info(), r, already)
	return nil
}
