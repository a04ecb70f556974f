package symbols

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api"
	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
	"github.com/diagctl/diagctl/internal/vsohash"
)

// LookupOptions holds `symbols lookup`'s flags and dependencies.
type LookupOptions struct {
	IO         *iostreams.IOStreams
	HTTPClient func(svc api.Service, secretFromStdin bool) (*httpx.Client, error)
	Ctx        context.Context
	JSON       bool
	Verbose    bool

	Args         []string
	Parallel     int
	IncludeOther bool
	TokenStdin   bool
}

// DefaultLookupParallel is --parallel's default: lookups are small
// requests, so more of them than cores may be in flight.
const DefaultLookupParallel = 8

// NewCmdLookup builds `diagctl symbols lookup`.
func NewCmdLookup(f *cmdutil.Factory, runF func(*LookupOptions) error) *cobra.Command {
	opts := &LookupOptions{IO: f.IOStreams, HTTPClient: f.HTTPClient}
	cmd := &cobra.Command{
		Use:   "lookup FILE|DIR|CLIENT_KEY...",
		Short: "Check that a debugger will find symbols: look their keys up on the symbol server",
		Long: `Look client keys up the way a debugger does (GET {org}/_apis/symbol/symsrv/{key})
and say whether each is found: so CI can assert that a build's symbols are published.

Each argument is a file or directory (keyed as 'diagctl symbols keys' does:
directories are walked, a corrupt file is reported and the others go on), or,
when no such path exists, a client key such as
foo.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/foo.pdb (three non-empty parts).

A key is found when the service answers 302 (a redirect to the content,
which is not followed and whose signature is never printed) or 200, and
missing on 404. Up to --parallel lookups are in flight at once, over one
connection pool; each is retried on network errors, 429 and 5xx.

Output: FILE (- for a key given as such), CLIENT KEY, STATUS (found, missing
or error), LOCATION (the redirect's target, signature redacted); a header on
a terminal. --json prints an array of {"file","kind","clientKey","status",
"location","error"}.

Exit status 0 when every key is found, 4 when any is missing; an error (a
corrupt file, a refused token, the network) gives its own status, the worst
of them.

` + exit.StatusHelp,
		Example: `  diagctl symbols lookup build/out/
  diagctl symbols lookup app.pdb/497b72f6390a44fc878e5a2d63b6cc4b1/app.pdb
  diagctl --json symbols lookup bin/ | jq -r '.[] | select(.status != "found") | .file'`,
		Args: cmdutil.RangeArgs(1, -1, "at least one FILE, DIR or CLIENT_KEY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Parallel < 1 {
				return exit.FlagErrorf("--parallel must be 1 or more, got %d", opts.Parallel)
			}
			opts.Args = args
			opts.Ctx = f.Context
			if opts.Ctx == nil {
				opts.Ctx = cmd.Context()
			}
			opts.JSON = f.Globals.JSON
			opts.Verbose = f.Globals.Verbose
			if runF != nil {
				return runF(opts)
			}
			return runLookup(opts)
		},
	}
	s := symapi.Service.Secret
	cmd.Flags().BoolVar(&opts.TokenStdin, s.StdinFlag, false, s.StdinHelp)
	cmd.Flags().IntVar(&opts.Parallel, "parallel", DefaultLookupParallel, "lookups (and files keyed) at once")
	cmd.Flags().BoolVar(&opts.IncludeOther, "include-other", false, "look files of no symbol kind up by their SHA-1 key (<name>/sha1-<hex>/<name>)")
	return cmd
}

// target is one key to look up, and where it came from.
type target struct {
	file string // "" for a key given as an argument
	kind string
	key  string
}

// lookupResult is what became of one target.
type lookupResult struct {
	lookup symapi.Lookup
	err    error
}

// arg is one argument: a path to key, or a literal client key.
type arg struct {
	key    string
	inputs []input
}

// parseArgs sorts the arguments: an existing path is a path; anything
// else that has the shape of a client key is one (and must be valid);
// the rest are missing paths, all named in one usage error, before
// anything is read or sent.
func parseArgs(args []string) ([]arg, error) {
	var missing, badKeys []string
	out := make([]arg, len(args))
	for i, a := range args {
		if _, err := os.Stat(a); err == nil || !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if strings.Count(a, "/") != 2 {
			missing = append(missing, escape(a))
			continue
		}
		if err := symapi.ValidateClientKey(a); err != nil {
			badKeys = append(badKeys, escape(err.Error()))
			continue
		}
		out[i].key = a
	}
	switch {
	case len(badKeys) > 0:
		return nil, exit.UsageErrorf("a client key is NAME/INDEX/NAME, as 'diagctl symbols keys' prints it; or give the path of an existing file",
			"not a file, and not a client key: %s", strings.Join(badKeys, "; "))
	case len(missing) > 0:
		return nil, exit.UsageErrorf("check the path, or give a client key (NAME/INDEX/NAME)", "no such file or directory: %s", strings.Join(missing, ", "))
	}
	for i, a := range args {
		if out[i].key != "" {
			continue
		}
		inputs, err := collect([]string{a})
		if err != nil {
			return nil, err
		}
		out[i].inputs = inputs
	}
	return out, nil
}

func runLookup(opts *LookupOptions) error {
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	args, err := parseArgs(opts.Args)
	if err != nil {
		return err
	}
	// The client before any file is read: a missing organization or
	// token is a usage error at once.
	c, err := opts.HTTPClient(symapi.Service, opts.TokenStdin)
	if err != nil {
		return err
	}
	var inputs []input
	for _, a := range args {
		inputs = append(inputs, a.inputs...)
	}
	k := &keyer{ctx: ctx, includeOther: opts.IncludeOther, buffers: vsohash.NewBufferPool(runtime.GOMAXPROCS(0))}
	outcomes := make([]outcome, len(inputs))
	inParallel(ctx, opts.Parallel, len(inputs), func(i int) { outcomes[i] = k.key(inputs[i]) })
	if err := interrupted(ctx); err != nil {
		return err
	}

	var targets []target
	next := 0
	for _, a := range args {
		if a.key != "" {
			targets = append(targets, target{kind: "key", key: a.key})
			continue
		}
		for range a.inputs {
			for _, r := range outcomes[next].rows {
				targets = append(targets, target{file: r.File, kind: r.Kind, key: r.ClientKey})
			}
			next++
		}
	}
	results := lookupAll(ctx, c, opts.Parallel, targets)
	if err := interrupted(ctx); err != nil {
		return err
	}
	return reportLookups(opts, inputs, outcomes, targets, results)
}

// lookupAll looks every distinct key up once (keys compare without regard
// to case, as the service compares them), up to parallel at once over the
// one client.
func lookupAll(ctx context.Context, c *httpx.Client, parallel int, targets []target) []lookupResult {
	first := map[string]int{}
	var unique []int
	for i, t := range targets {
		if _, ok := first[strings.ToLower(t.key)]; !ok {
			first[strings.ToLower(t.key)] = i
			unique = append(unique, i)
		}
	}
	results := make([]lookupResult, len(targets))
	inParallel(ctx, parallel, len(unique), func(j int) {
		i := unique[j]
		l, err := symapi.LookupKey(ctx, c, targets[i].key)
		results[i] = lookupResult{lookup: l, err: err}
	})
	for i, t := range targets {
		results[i] = results[first[strings.ToLower(t.key)]]
	}
	return results
}

// inParallel runs do(0..n-1) on up to workers goroutines, and stops
// handing out work when ctx ends.
func inParallel(ctx context.Context, workers, n int, do func(i int)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				do(i)
			}
		}()
	}
feed:
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}
