package downloadcmd

import (
	"context"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// Spec is what one download command adds to the shared layers: its
// service, what its IDs look like, the archive's default name and the
// request that fetches it.
type Spec struct {
	Service     api.Service
	ValidID     func(id string) error  // a usage error that says what an ID must be
	DefaultName func(id string) string // when the server names no file
	Request     func(ctx context.Context, c *httpx.Client, id string) (*http.Request, error)
}

// Options are a download command's dependencies, flags and arguments.
// Tests of the run build them by hand (IO from iostreams.Test,
// HTTPClient from a test Factory aimed at the emulator).
type Options struct {
	IO *iostreams.IOStreams
	// HTTPClient builds the service's ready client (cmdutil.Factory.HTTPClient).
	HTTPClient func(svc api.Service, secretFromStdin bool) (*httpx.Client, error)
	Ctx        context.Context // cancelled on Ctrl-C; nil means Background
	JSON       bool            // --json

	IDs         []string
	Flags       Flags
	SecretStdin bool // the service's --*-stdin flag

	// SecretPrompted tells whether a secret was typed at a prompt
	// (cmdutil.Factory.SecretPrompted); nil means never. A password typed
	// at the prompt and refused is asked for again (askAgain).
	SecretPrompted func(key string) bool

	// Renewal, when set, lets a credential that expired mid-run be
	// renewed once: the items that failed because of it are downloaded
	// again, once, with the new one.
	Renewal *Renewal

	globals *cmdutil.GlobalOptions
}

// Renewal is how a command renews a credential that can expire (an IAM
// token it logged in for). The client's Auth must read the credential at
// each attempt, so that the retried items carry the new one.
type Renewal struct {
	// Expired says an item's error is the credential having expired.
	Expired func(err error) bool
	// Renew gets a fresh credential. It is called at most once a run.
	Renew func(ctx context.Context) error
}

// NewOptions takes the dependencies from f.
func NewOptions(f *cmdutil.Factory) Options {
	return Options{IO: f.IOStreams, HTTPClient: f.HTTPClient, SecretPrompted: f.SecretPrompted, globals: f.Globals}
}

// AddFlags registers the download flags and the service's stdin flag.
func (o *Options) AddFlags(cmd *cobra.Command, spec Spec) {
	AddFlags(cmd, &o.Flags)
	if s := spec.Service.Secret; s.StdinFlag != "" {
		cmd.Flags().BoolVar(&o.SecretStdin, s.StdinFlag, false, s.StdinHelp)
	}
}

// Parse checks the flags and arguments (every error is a usage error,
// before anything is sent) and fills IDs, Ctx and JSON. RunE calls it
// first.
func (o *Options) Parse(cmd *cobra.Command, args []string, spec Spec) error {
	if err := o.Flags.CheckStdin("--"+spec.Service.Secret.StdinFlag, o.SecretStdin); err != nil {
		return err
	}
	ids, err := o.Flags.IDs(o.IO, args, spec.ValidID)
	if err != nil {
		return err
	}
	o.IDs, o.Ctx = ids, cmd.Context()
	if o.globals != nil {
		o.JSON = o.globals.JSON
	}
	return nil
}

// Run builds the service's client, downloads every ID with the flags'
// settings and prints the results. --retries is one budget per ID.
func (o *Options) Run(spec Spec) error {
	client, err := o.HTTPClient(spec.Service, o.SecretStdin)
	if err != nil {
		return err
	}
	sources := spec.sources(o.IDs, client)
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	d := o.Flags
	dopts := download.Options{
		Client:   client,
		IO:       o.IO,
		Output:   d.Output,
		Dir:      d.Dir,
		Force:    d.Force,
		Extract:  d.Extract,
		Parallel: d.Parallel,
		Retries:  client.Retries(),
	}
	// Each result is printed when its ID finishes, except one that
	// failed because the credential expired, or because a password typed
	// at the prompt was refused: it is tried again first.
	printer := NewPrinter(o.IO, o.JSON)
	ask := o.canAskAgain(spec)
	dopts.Done = func(_ int, r download.Result) {
		if o.Renewal != nil && r.Err != nil && o.Renewal.Expired(r.Err) {
			return
		}
		if ask && refused(r.Err) {
			return
		}
		printer.One(r)
	}
	results := download.Run(ctx, sources, dopts)
	if ask {
		o.askAgain(ctx, spec, dopts, results, printer)
	}
	if o.Renewal != nil {
		dopts.Done = func(_ int, r download.Result) { printer.One(r) }
		o.Renewal.retry(ctx, sources, dopts, results, printer.One)
	}
	return printer.Finish(results)
}

// retry renews the credential when some items failed because it expired,
// then downloads those items once more, in place in results. When the
// renewal fails, those items report why. The result of every item tried
// again, or failed for good, goes to report.
func (rn *Renewal) retry(ctx context.Context, sources []download.Source, opts download.Options, results []download.Result, report func(download.Result)) {
	var again []int
	for i, r := range results {
		if r.Err != nil && rn.Expired(r.Err) {
			again = append(again, i)
		}
	}
	if len(again) == 0 {
		return
	}
	if err := rn.Renew(ctx); err != nil {
		for _, i := range again {
			results[i].Err = exit.Wrapf(err, exit.Code(err), exit.Hint(err), "%v; renewing the credential failed", results[i].Err)
			results[i].Error = nil
			report(results[i])
		}
		return
	}
	retried := make([]download.Source, len(again))
	for j, i := range again {
		retried[j] = sources[i]
	}
	for j, r := range download.Run(ctx, retried, opts) {
		results[again[j]] = r
	}
}
