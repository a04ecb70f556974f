package symbols

import (
	"context"
	"os"
	"regexp"
	"runtime"
	"sync"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// CreateEntriesOptions holds `symbols create-entries`' flags and
// dependencies.
type CreateEntriesOptions struct {
	IO *iostreams.IOStreams
	// HTTPClient builds the symbol service's client
	// (cmdutil.Factory.HTTPClient).
	HTTPClient func(svc api.Service, secretFromStdin bool) (*httpx.Client, error)
	// Config is only read by --dry-run, to show where the POSTs would go.
	Config  func() (*config.Config, error)
	Ctx     context.Context // cancelled on Ctrl-C; nil means Background
	JSON    bool
	Verbose bool

	RequestID string   // as given; checked by run; "" with --request-name
	Paths     []string // FILE|DIR arguments

	// RequestName (--request-name): create the request first, with the
	// service's defaults (no description, its 30 days).
	RequestName    string
	RequestNameSet bool
	// Seal (--seal): seal the request after the entries, when every
	// entry came back created.
	Seal bool

	EntriesFile      string // --entries FILE|-
	ClientKey        string
	BlobID           string
	Size             int64
	SizeSet          bool
	InformationLevel string

	CreateBehavior string // as given; "" when not given
	APIVersion     string
	BatchSize      int
	DryRun         bool
	IncludeOther   bool
	Parallel       int
	TokenStdin     bool
}

// NewCmdCreateEntries builds `diagctl symbols create-entries`.
func NewCmdCreateEntries(f *cmdutil.Factory, runF func(*CreateEntriesOptions) error) *cobra.Command {
	opts := &CreateEntriesOptions{IO: f.IOStreams, HTTPClient: f.HTTPClient, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "create-entries (REQUEST_ID | --request-name NAME) [FILE|DIR...] [--seal]",
		Short: "Create debug entries in a symbol request, from files or JSON",
		Long: `Create debug entries in an Azure DevOps symbol request (POST
{org}/_apis/symbol/requests/{REQUEST_ID}?collection=debugentries).

REQUEST_ID is the request's id, 64 hexadecimal characters. Or, in its place,
--request-name NAME creates the request first (as 'diagctl symbols request
create NAME' does, with the service's 30 days; that command has --description
and --expires) and prints its id on stderr. A name that exists is refused
(exit 5) and nothing else is sent: pass that request's id as REQUEST_ID.
--seal seals the request after the entries, as 'diagctl symbols request seal'
does, so the publish of blobs the service holds already is one command. It
seals only when every entry came back created. When any is blobMissing (its
content must be uploaded first) the entries are printed, the request is left
open and the exit status is 4; after a failed batch, or an outcome unknown,
nothing is sealed and the batch's error and status are reported.

The entries come from:
  FILE|DIR...        the files' client keys and blob identifiers, computed as
                     'diagctl symbols keys' does (directories are walked; files of
                     no symbol kind are skipped with a note unless --include-other)
  --entries FILE|-   a DebugEntryCreateBatch object, an array of DebugEntry, or
                     'symbols keys --json' output as it is (only the DebugEntry
                     fields are sent)
  --client-key K --blob-id B [--size N] [--information-level L]   one entry
Files and --entries may be combined. Every value is checked before anything is
sent: a blob identifier is 44 characters of base64 (33 bytes), a client key has
three parts, a level is one the service documents, and no client key appears
twice (keys are compared without regard to case); a file that cannot be read
stops the run.

The entries go in batches of --batch-size (one POST each). --create-behavior is
sent only when given (the service's default is throwIfExists); a createBehavior
in the --entries document applies when the flag is not given. A batch is sent
again after a refused connection or a 429; after it may have reached the
service, only with skipIfExists or overwriteIfExists, where a second delivery
changes nothing. When a batch's outcome is unknown the run stops and says which
batches were created, which is unknown and which were not sent: run again with
--create-behavior skipIfExists to finish. When the service asks for a preview
api-version (HTTP 400 naming -preview), the batch is sent once more with
` + symbols.PreviewVersion(symbols.DefaultAPIVersion) + ` and a note says so.

Output: CLIENT KEY, STATUS, ID for each entry in input order (a header on a
terminal), and a count of each status on stderr. Entries that come back
blobMissing need their content uploaded before the request is sealed. --json
prints the entries the service returned. --dry-run prints the JSON bodies that
would be sent, one document per batch, and sends nothing (no token needed);
with --request-name and --seal it also says what would be created and sealed.

` + exit.StatusHelp,
		Example: `  export DIAGCTL_SYMBOLS_ORGANIZATION=fabrikam DIAGCTL_SYMBOLS_TOKEN=...
  # publish in one command: create the request, add the entries, seal it
  diagctl symbols create-entries --request-name v1.2.3 --seal build/out/
  diagctl symbols create-entries 9dc380b5...7c37 build/out/
  diagctl symbols keys --json build/out | diagctl symbols create-entries --entries - 9dc380b5...7c37
  diagctl symbols create-entries --client-key app.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/app.pdb --blob-id cZSUgWLJKRZmXuaLhvXo9NRdb2Be9Ek64KVv2qsz8jYA --size 57344 9dc380b5...7c37
  diagctl symbols create-entries --dry-run --batch-size 50 9dc380b5...7c37 build/out/`,
		Args: cmdutil.RangeArgs(0, -1, "REQUEST_ID (or --request-name NAME), then any FILE or DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RequestNameSet = cmd.Flags().Changed("request-name")
			if err := opts.takeArgs(args); err != nil {
				return err
			}
			opts.SizeSet = cmd.Flags().Changed("size")
			if err := opts.checkFlags(); err != nil {
				return err
			}
			opts.Ctx = f.Context
			if opts.Ctx == nil {
				opts.Ctx = cmd.Context()
			}
			opts.JSON, opts.Verbose = f.Globals.JSON, f.Globals.Verbose
			if runF != nil {
				return runF(opts)
			}
			return runCreateEntries(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.RequestName, "request-name", "", "create a symbol request of this name first, in place of REQUEST_ID")
	fl.BoolVar(&opts.Seal, "seal", false, "seal the request after the entries, if every entry came back created")
	fl.StringVar(&opts.EntriesFile, "entries", "", "read entries from a JSON file (- is stdin)")
	fl.StringVar(&opts.ClientKey, "client-key", "", "one entry: its client key (name/id/name)")
	fl.StringVar(&opts.BlobID, "blob-id", "", "one entry: its blob identifier (44 characters of base64)")
	fl.Int64Var(&opts.Size, "size", 0, "one entry: its size in bytes")
	fl.StringVar(&opts.InformationLevel, "information-level", "", "one entry: its information level (binary, publics, private, ...)")
	fl.StringVar(&opts.CreateBehavior, "create-behavior", "", "when a key exists: throwIfExists, skipIfExists or overwriteIfExists (default: the service's, throwIfExists)")
	fl.StringVar(&opts.APIVersion, "api-version", symbols.DefaultAPIVersion, "api-version of the entries POST")
	fl.IntVar(&opts.BatchSize, "batch-size", symbols.DefaultBatchSize, "entries in one POST")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the JSON bodies that would be sent; send nothing")
	fl.BoolVar(&opts.IncludeOther, "include-other", false, "key files of no symbol kind by SHA-1 (<name>/sha1-<hex>/<name>)")
	fl.IntVar(&opts.Parallel, "parallel", runtime.NumCPU(), "files keyed at once")
	s := symbols.Service.Secret
	fl.BoolVar(&opts.TokenStdin, s.StdinFlag, false, s.StdinHelp)
	CreateBehaviors.Register(cmd, "create-behavior")
	_ = cmd.RegisterFlagCompletionFunc("information-level", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return symbols.InformationLevels, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("entries", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"json"}, cobra.ShellCompDirectiveFilterFileExt
	})
	for _, name := range []string{"request-name", "client-key", "blob-id", "size", "api-version", "batch-size", "parallel"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

// takeArgs splits the arguments: REQUEST_ID and paths, or with
// --request-name only paths. Giving both, or neither, is a usage error.
func (o *CreateEntriesOptions) takeArgs(args []string) error {
	if !o.RequestNameSet {
		if len(args) == 0 {
			return exit.FlagErrorf("no symbol request: give its REQUEST_ID, or --request-name NAME to create one")
		}
		if !isRequestID(args[0]) && isPath(args[0]) {
			return exit.FlagErrorf("no symbol request: %s is a path, not a REQUEST_ID: give the request's id first, or --request-name NAME to create one", escape(args[0]))
		}
		o.RequestID, o.Paths = args[0], args[1:]
		return nil
	}
	if len(args) > 0 && isRequestID(args[0]) && !isPath(args[0]) {
		return exit.FlagErrorf("give REQUEST_ID or --request-name, not both: %s is a request id (--request-name creates a new request)", escape(args[0]))
	}
	o.Paths = args
	return nil
}

func isRequestID(arg string) bool {
	_, err := symbols.ParseRequestID(arg)
	return err == nil
}

// isPath: a file or directory of that name exists (a file is a file,
// whatever its name).
func isPath(arg string) bool {
	_, err := os.Lstat(arg)
	return err == nil
}

var apiVersionPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,3}\.[0-9]{1,3}(-preview(\.[0-9]{1,3})?)?$`) })

// checkFlags refuses flag combinations that make no sense (exit 2, with
// the usage line) before anything is read or sent.
func (o *CreateEntriesOptions) checkFlags() error {
	single := o.ClientKey != "" || o.BlobID != "" || o.SizeSet || o.InformationLevel != ""
	switch {
	case single && (o.ClientKey == "" || o.BlobID == ""):
		return exit.FlagErrorf("one entry needs both --client-key and --blob-id (--size and --information-level go with them)")
	case single && (o.EntriesFile != "" || len(o.Paths) > 0):
		return exit.FlagErrorf("--client-key makes one entry: give it without FILE, DIR or --entries")
	case !single && o.EntriesFile == "" && len(o.Paths) == 0:
		return exit.FlagErrorf("no entries: give FILE or DIR arguments, --entries FILE|-, or --client-key and --blob-id")
	case o.EntriesFile == "-" && o.TokenStdin:
		return exit.FlagErrorf("--entries - and --token-stdin both read stdin: put the entries in a file, or the token in DIAGCTL_SYMBOLS_TOKEN")
	case o.BatchSize < 1:
		return exit.FlagErrorf("--batch-size must be 1 or more, got %d", o.BatchSize)
	case o.Parallel < 1:
		return exit.FlagErrorf("--parallel must be 1 or more, got %d", o.Parallel)
	case !apiVersionPattern().MatchString(o.APIVersion):
		return exit.FlagErrorf("--api-version %q is not an api-version such as %s or %s", o.APIVersion, symbols.DefaultAPIVersion, symbols.PreviewVersion(symbols.DefaultAPIVersion))
	}
	return nil
}

func (o *CreateEntriesOptions) ctx() context.Context {
	if o.Ctx == nil {
		return context.Background()
	}
	return o.Ctx
}
