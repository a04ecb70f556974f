package symbols

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api"
	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// NewCmdRequest builds `diagctl symbols request`: the symbol request that
// debug entries are added to.
func NewCmdRequest(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "request <command>",
		Short: "Create, show and seal the symbol request that debug entries go into",
		Long: `A symbol request holds the debug entries of one publish (one build, say):
create it (its id is printed), add entries to it (diagctl symbols create-entries ID),
then seal it, after which it takes no more entries. When the service holds the
blobs already, 'diagctl symbols create-entries --request-name NAME --seal FILE...'
does all three in one command.

` + exit.StatusHelp,
		Example: `  id=$(diagctl symbols request create v1.2.3 --expires-in 90d)
  diagctl symbols create-entries "$id" build/out/
  diagctl symbols request show "$id"
  diagctl symbols request seal "$id"`,
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(NewCmdRequestCreate(f, nil))
	cmd.AddCommand(NewCmdRequestShow(f, nil))
	cmd.AddCommand(NewCmdRequestSeal(f, nil))
	return cmd
}

// RequestOptions are what the request commands share: dependencies and
// --token-stdin.
type RequestOptions struct {
	IO *iostreams.IOStreams
	// HTTPClient builds the symbol service's client (Factory.HTTPClient).
	HTTPClient func(svc api.Service, secretFromStdin bool) (*httpx.Client, error)
	Ctx        context.Context  // cancelled on Ctrl-C; nil means Background
	Now        func() time.Time // nil means time.Now
	JSON       bool

	TokenStdin bool
}

func newRequestOptions(f *cmdutil.Factory) RequestOptions {
	return RequestOptions{IO: f.IOStreams, HTTPClient: f.HTTPClient}
}

func (o *RequestOptions) addTokenFlag(cmd *cobra.Command) {
	s := symapi.Service.Secret
	cmd.Flags().BoolVar(&o.TokenStdin, s.StdinFlag, false, s.StdinHelp)
}

// fromCmd takes what only the running command knows.
func (o *RequestOptions) fromCmd(cmd *cobra.Command, f *cmdutil.Factory) {
	o.Ctx = f.Context
	if o.Ctx == nil {
		o.Ctx = cmd.Context()
	}
	if f.Globals != nil {
		o.JSON = f.Globals.JSON
	}
}

func (o *RequestOptions) ctx() context.Context {
	if o.Ctx == nil {
		return context.Background()
	}
	return o.Ctx
}

func (o *RequestOptions) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o *RequestOptions) client() (*httpx.Client, error) {
	return o.HTTPClient(symapi.Service, o.TokenStdin)
}
