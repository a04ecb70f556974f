package symbols

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/cobra"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// NewCmdRequestSeal builds `diagctl symbols request seal REQUEST_ID`.
func NewCmdRequestSeal(f *cmdutil.Factory, runF func(*RequestIDOptions) error) *cobra.Command {
	opts := &RequestIDOptions{RequestOptions: newRequestOptions(f)}
	cmd := &cobra.Command{
		Use:   "seal REQUEST_ID",
		Short: "Seal a symbol request: it takes no more entries",
		Long: `Seal a symbol request (PATCH {org}/_apis/symbol/requests/{id} with
{"status":"sealed"}). A sealed request is final: it takes no more debug
entries (the service refuses them with 403), and there is no unsealing. Seal
it once every entry is created and no blob is missing.

Sealing is safe to repeat, so the PATCH is retried after a network failure
like a GET. A request that was already sealed is reported as sealed (exit 0).
Output: the request as 'show' prints it; --json the service's answer.

` + exit.StatusHelp,
		Example:           `  diagctl symbols request seal "$id"`,
		Args:              cmdutil.ExactArgs(1, "a REQUEST_ID"),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              withRequestID(f, opts, runF, runRequestSeal),
	}
	opts.addTokenFlag(cmd)
	return cmd
}

func runRequestSeal(opts *RequestIDOptions) error {
	c, err := opts.client()
	if err != nil {
		return err
	}
	r, already, err := sealRequest(opts.ctx(), c, opts.ID)
	if err != nil {
		return err
	}
	if opts.JSON {
		if err := writeRaw(opts.IO.Out, r.Raw); err != nil {
			return err
		}
	} else if err := printRequest(opts.IO, r); err != nil {
		return err
	}
	printSealed(opts.IO.Info(), r, already)
	return nil
}

// sealRequest seals request id and returns it as it now is; already says
// it was sealed before this call. `request seal` and `create-entries
// --seal` both seal through it.
func sealRequest(ctx context.Context, c *httpx.Client, id string) (r *symapi.Request, already bool, err error) {
	r, err = symapi.SealRequest(ctx, c, id)
	if err != nil && refusedSeal(err) {
		// A service may refuse to seal what is sealed already (after a
		// retry whose first attempt did it, say): what counts is the
		// state the request is in now.
		if shown, showErr := symapi.ShowRequest(ctx, c, id); showErr == nil && shown.Status == symapi.RequestSealed {
			r, err, already = shown, nil, true
		}
	}
	if err != nil {
		return nil, false, readError(err, "seal")
	}
	if r.Status != symapi.RequestSealed {
		return nil, false, exit.Errorf(exit.Service, "run 'diagctl symbols request show "+id+"' to see its state, and seal it again",
			"symbols request seal: the service answered with status %s, not sealed", quoteName(r.Status))
	}
	return r, already, nil
}

// printSealed says on w that the request is sealed, and what that means.
func printSealed(w io.Writer, r *symapi.Request, already bool) {
	verb := "sealed"
	if already {
		verb = "was already sealed"
	}
	fmt.Fprintf(w, "symbol request %s %s: it takes no more entries\n", quoteName(r.Name), verb)
}

// refusedSeal: the service refused the PATCH as a request (400, 409),
// which is what a repeated seal may get.
func refusedSeal(err error) bool {
	var ae *httpx.APIError
	return errors.As(err, &ae) && (ae.Status == http.StatusBadRequest || ae.Status == http.StatusConflict) && !symapi.PreviewRequired(err)
}
