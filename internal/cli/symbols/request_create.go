package symbols

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/cobra"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/safetext"
)

// RequestCreateOptions are `symbols request create`'s flags.
type RequestCreateOptions struct {
	RequestOptions
	Name        string
	Description string
	ExpiresIn   string
	Expires     string
}

// NewCmdRequestCreate builds `diagctl symbols request create NAME`.
func NewCmdRequestCreate(f *cmdutil.Factory, runF func(*RequestCreateOptions) error) *cobra.Command {
	opts := &RequestCreateOptions{RequestOptions: newRequestOptions(f)}
	cmd := &cobra.Command{
		Use:   "create NAME [--description D] [--expires-in 30d | --expires DATE]",
		Short: "Create a symbol request and print its id",
		Long: `Create a symbol request (POST {org}/_apis/symbol/requests) and print its id on
stdout, alone on its line, so that id=$(diagctl symbols request create v1.2.3)
works; its status and expiry go to stderr. --json prints the service's answer.

NAME is unique in the organization (a build's version, say): a name that exists
is refused (exit 5). Without --expires-in or --expires the service keeps the
request 30 days. --expires-in takes 30d, 2w, 36h or 90m; --expires a date
(2026-03-01, midnight UTC) or an RFC 3339 time.

The request is never sent twice once it may have reached the service (only a
refused connection is retried). When the outcome is unknown, running the same
command again is safe: it creates the request, or says the name exists.

` + exit.StatusHelp,
		Example: `  id=$(diagctl symbols request create v1.2.3 --description "release build 1234")
  diagctl symbols request create nightly-2026-02-01 --expires-in 7d
  diagctl --json symbols request create v1.2.4 --expires 2027-01-01 | jq -r .id`,
		Args: cmdutil.ExactArgs(1, "the request's NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			opts.fromCmd(cmd, f)
			if runF != nil {
				return runF(opts)
			}
			return runRequestCreate(opts)
		},
	}
	opts.addTokenFlag(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.Description, "description", "", "the request's description")
	fl.StringVar(&opts.ExpiresIn, "expires-in", "", "keep the request this long: 30d, 2w, 36h (default: the service's 30 days)")
	fl.StringVar(&opts.Expires, "expires", "", "keep the request until this date: 2026-03-01 or RFC 3339")
	for _, name := range []string{"description", "expires-in", "expires"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

func runRequestCreate(opts *RequestCreateOptions) error {
	expires, err := symapi.ParseExpiry(opts.ExpiresIn, opts.Expires, opts.now())
	if err != nil {
		return err
	}
	body, err := symapi.NewRequestCreate(opts.Name, opts.Description, expires)
	if err != nil {
		return err
	}
	c, err := opts.client()
	if err != nil {
		return err
	}
	r, err := symapi.CreateRequest(opts.ctx(), c, body)
	if err != nil {
		return createError(err, opts.Name, "for a new request choose another name, such as the version with the build number")
	}
	if opts.JSON {
		return writeRaw(opts.IO.Out, r.Raw)
	}
	if _, err := fmt.Fprintln(opts.IO.Out, safetext.Escape(r.ID)); err != nil {
		return err
	}
	printCreated(opts.IO.Info(), r, false)
	return nil
}

// printCreated says on w that request r was created: its status and
// expiry, and its id when stdout does not carry it.
func printCreated(w io.Writer, r *symapi.Request, withID bool) {
	id := ""
	if withID {
		id = "id " + safetext.Escape(r.ID) + ", "
	}
	fmt.Fprintf(w, "created symbol request %s: %sstatus %s, expires %s\n",
		quoteName(r.Name), id, safetext.Escape(r.Status), expiry(r))
}

// createError says what a failed create means for the request: refused
// because the name exists (then conflictNext is what to do instead),
// unknown (it may exist), or created but unreadable.
func createError(err error, name, conflictNext string) error {
	var ae *httpx.APIError
	var ne *httpx.NetError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusConflict:
		return exit.Wrapf(err, exit.Rejected,
			"request names are unique in the organization: the id of the existing one is what 'diagctl symbols request create' (or the pipeline's PublishSymbols task) printed when it was made, and 'diagctl symbols request show ID' confirms it; "+conflictNext,
			"a symbol request named %s already exists", quoteName(name))
	case errors.As(err, &ae) && (ae.Status == http.StatusBadGateway || ae.Status == http.StatusGatewayTimeout),
		errors.As(err, &ne) && httpx.MaybeSent(err):
		return exit.Wrapf(err, exit.Service,
			"the request may have been created: running the same command again is safe (it creates the request, or answers that the name exists)",
			"symbols request create: the outcome is unknown")
	case errors.As(err, &ae), errors.As(err, &ne), errors.Is(err, exit.ErrInterrupted):
		return err
	}
	var c exit.Coder
	if errors.As(err, &c) {
		return err
	}
	return exit.Wrapf(err, exit.Service,
		"the service reports the request created but its answer cannot be read: run the same command again to see whether the name now exists",
		"symbols request create")
}

// quoteName is a server- or user-given name, quoted and escaped.
func quoteName(name string) string { return "\"" + safetext.Escape(name) + "\"" }
