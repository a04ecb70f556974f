package symbols

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

func runCreateEntries(opts *CreateEntriesOptions) error {
	p, err := makePlan(opts)
	if err != nil {
		return err
	}
	if opts.DryRun {
		return printDryRun(opts, p)
	}
	c, err := opts.HTTPClient(symbols.Service, opts.TokenStdin)
	if err != nil {
		return err
	}
	if p.create != nil {
		if err := createRequest(opts, c, p); err != nil {
			return err
		}
	}
	s := &sender{opts: opts, client: c, plan: p, version: opts.APIVersion}
	results := make([][]symbols.StoredEntry, 0, len(p.batches))
	for i := range p.batches {
		if err := interrupted(opts.ctx()); err != nil {
			return s.stop(results, &batchError{err: err}) // batch i was not sent
		}
		entries, err := s.send(i)
		if err != nil {
			return s.stop(results, err)
		}
		results = append(results, entries)
	}
	if err := printEntries(opts, p, results); err != nil {
		return err
	}
	if opts.Seal {
		return sealAfter(opts, c, p, results)
	}
	return nil
}

// sender posts a plan's batches, in order, one at a time.
type sender struct {
	opts    *CreateEntriesOptions
	client  *httpx.Client
	plan    *plan
	version string // --api-version, then the preview one after the fallback
	// fellBack: the preview fallback happened (it happens once a run).
	fellBack bool
}

// batchError is why a batch failed; unknown when it may have been
// stored (the POST may have reached the service and no answer says it
// was not).
type batchError struct {
	err     error
	unknown bool
}

func (e *batchError) Error() string { return e.err.Error() }
func (e *batchError) Unwrap() error { return e.err }

// send posts batch i and decodes the entries the service returned.
func (s *sender) send(i int) ([]symbols.StoredEntry, error) {
	batch := s.plan.batches[i]
	for {
		req, err := symbols.EntriesRequest(s.opts.ctx(), s.client, s.plan.requestID, s.version, batch)
		if err != nil {
			return nil, &batchError{err: err}
		}
		resp, err := s.client.Send(req, httpx.Call{Retry: symbols.RetryFor(s.plan.behavior)})
		if err != nil {
			// A 400 that asks for -preview: the service refused the batch
			// without looking at it, so sending it again is safe.
			if !s.fellBack && symbols.PreviewRequired(err) && !strings.Contains(s.version, "-preview") {
				s.fellBack = true
				next := symbols.PreviewVersion(s.version)
				fmt.Fprintf(s.opts.IO.Info(), "note: the service wants a preview api-version: sending again with api-version %s (pass --api-version %s to skip this step)\n", next, next)
				s.version = next
				continue
			}
			return nil, &batchError{err: err, unknown: outcomeUnknown(err)}
		}
		body, err := symbols.ReadBody(resp)
		if err != nil {
			// The service answered with a success status: it has acted on
			// the batch, but what it made of each entry is lost.
			return nil, &batchError{unknown: true, err: exit.Wrapf(err, exit.Service, "",
				"symbols: HTTP %d, but the answer could not be read", resp.StatusCode)}
		}
		entries, err := symbols.DecodeEntries(resp.StatusCode, resp.Header, body)
		if err != nil {
			var sign *symbols.SignInError
			if errors.As(err, &sign) {
				return nil, &batchError{err: err} // refused: the credentials were not accepted
			}
			return nil, &batchError{unknown: true, err: exit.Wrapf(err, exit.Service, "", "%s", safetext.Escape(err.Error()))}
		}
		return entries, nil
	}
}

// outcomeUnknown: the batch may have been stored. Only a failed dial,
// an answer that refused it (4xx, 429, 503) proves it was not; an
// interrupted POST, a broken connection, a timeout or another 5xx (a
// gateway that gave up, a service that failed half-way) leave it open.
func outcomeUnknown(err error) bool {
	var ae *httpx.APIError
	if errors.As(err, &ae) {
		return ae.Status >= 500 && ae.Status != http.StatusServiceUnavailable
	}
	return httpx.MaybeSent(err)
}

// stop ends a run at a failed batch: the entries of the batches that
// were created go to stdout as a successful run's would, and the error
// says which batches were created, which failed or is unknown, which
// were not sent, and how to finish.
func (s *sender) stop(done [][]symbols.StoredEntry, err error) error {
	var be *batchError
	if !errors.As(err, &be) {
		be = &batchError{err: err}
	}
	if len(done) > 0 {
		if perr := printEntries(s.opts, s.plan, done); perr != nil {
			return perr
		}
	}
	failed, total := len(done), len(s.plan.batches)
	if total == 1 && !be.unknown || errors.Is(be.err, exit.ErrInterrupted) && !be.unknown && failed == 0 {
		// Nothing was created: the cause says it all, but for a request
		// this run made.
		return s.plan.keptOpen(be.err)
	}
	lo, hi := s.entryRange(failed)
	var parts []string
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%s created (%s)", batchSpan(0, failed-1), entries(s.entryCount(0, failed-1))))
	}
	what := "was refused"
	switch {
	case be.unknown:
		what = "may or may not have been created (outcome unknown)"
	case errors.Is(be.err, exit.ErrInterrupted):
		what = "was not sent"
	}
	parts = append(parts, fmt.Sprintf("batch %d of %d (entries %d-%d) %s", failed+1, total, lo, hi, what))
	if failed+1 < total {
		parts = append(parts, fmt.Sprintf("%s not sent", batchSpan(failed+1, total-1)))
	}
	next := exit.Hint(be.err)
	if be.unknown || failed > 0 {
		again := s.plan.again()
		resume := again + " with --create-behavior skipIfExists: the entries already created are kept and the rest are added"
		if s.plan.behavior == symbols.OverwriteIfExists {
			resume = again + " (with --create-behavior overwriteIfExists, as now): a second delivery changes nothing"
		}
		switch {
		case next != "" && !be.unknown && strings.Contains(next, symbols.SkipIfExists):
			// the service's own hint already says it
		case next != "" && !be.unknown:
			next += "; then " + resume
		default:
			next = resume
		}
	}
	msg := strings.Join(parts, "; ")
	if errors.Is(be.err, exit.ErrInterrupted) && !s.opts.JSON {
		// The top level prints only "interrupted" for Ctrl-C; what was
		// created must still be said.
		fmt.Fprintf(s.opts.IO.ErrOut, "error: %s\nhint: %s\n", msg, next)
	}
	return exit.Wrapf(be.err, exit.Code(be.err), next, "%s", msg)
}

// entryRange is the 1-based range of input entries batch i holds.
func (s *sender) entryRange(i int) (int, int) {
	lo := s.entryCount(0, i-1) + 1
	return lo, lo + len(s.plan.batches[i].DebugEntries) - 1
}

// entryCount is the number of entries in batches from..to (inclusive).
func (s *sender) entryCount(from, to int) int {
	n := 0
	for i := from; i <= to; i++ {
		n += len(s.plan.batches[i].DebugEntries)
	}
	return n
}

func batchSpan(from, to int) string {
	if from == to {
		return fmt.Sprintf("batch %d was", from+1)
	}
	return fmt.Sprintf("batches %d-%d were", from+1, to+1)
}

func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}
