package symbols

import (
	"github.com/spf13/cobra"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// RequestIDOptions are the options of the request commands that take a
// REQUEST_ID (show, seal).
type RequestIDOptions struct {
	RequestOptions
	ID string // lower-cased by symapi.ParseRequestID
}

// NewCmdRequestShow builds `diagctl symbols request show REQUEST_ID`.
func NewCmdRequestShow(f *cmdutil.Factory, runF func(*RequestIDOptions) error) *cobra.Command {
	opts := &RequestIDOptions{RequestOptions: newRequestOptions(f)}
	cmd := &cobra.Command{
		Use:   "show REQUEST_ID",
		Short: "Show a symbol request's name, status, expiry and size",
		Long: `Show a symbol request (GET {org}/_apis/symbol/requests/{id}): its id, name,
description, status (created: takes entries; sealed: final), expiry and size
in bytes (the sum of its entries' sizes). --json prints the service's answer.

REQUEST_ID is the 64 hexadecimal characters 'diagctl symbols request create'
printed.

` + exit.StatusHelp,
		Example: `  diagctl symbols request show "$id"
  diagctl --json symbols request show "$id" | jq -r .status`,
		Args:              cmdutil.ExactArgs(1, "a REQUEST_ID"),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              withRequestID(f, opts, runF, runRequestShow),
	}
	opts.addTokenFlag(cmd)
	return cmd
}

func runRequestShow(opts *RequestIDOptions) error {
	c, err := opts.client()
	if err != nil {
		return err
	}
	r, err := symapi.ShowRequest(opts.ctx(), c, opts.ID)
	if err != nil {
		return readError(err, "show")
	}
	if opts.JSON {
		return writeRaw(opts.IO.Out, r.Raw)
	}
	return printRequest(opts.IO, r)
}

// withRequestID is the RunE of a command whose one argument is a
// REQUEST_ID: checked before anything else, then runF (flag tests) or run.
func withRequestID(f *cmdutil.Factory, opts *RequestIDOptions, runF, run func(*RequestIDOptions) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		id, err := symapi.ParseRequestID(args[0])
		if err != nil {
			return err
		}
		opts.ID = id
		opts.fromCmd(cmd, f)
		if runF != nil {
			return runF(opts)
		}
		return run(opts)
	}
}
