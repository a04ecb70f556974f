// Package symbols is the `diagctl symbols` command group (Azure DevOps
// Artifacts symbol service).
package symbols

import (
	"github.com/spf13/cobra"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// AuthKinds are --auth's values (symbols.auth in the config file; a test
// checks that the two lists agree).
var AuthKinds = cmdutil.Enum{
	{Value: "pat", Help: "personal access token, sent as HTTP Basic"},
	{Value: "bearer", Help: "Microsoft Entra token"},
}

// CreateBehaviors are --create-behavior's values: what the service does
// with an entry whose client key the request already has (the data
// layer's symbols.CreateBehaviors, in its order; a test checks that the
// two lists agree).
var CreateBehaviors = cmdutil.Enum{
	{Value: symapi.ThrowIfExists, Help: "refuse the batch when a key exists (the service's default)"},
	{Value: symapi.SkipIfExists, Help: "keep the existing entry"},
	{Value: symapi.OverwriteIfExists, Help: "replace the existing entry"},
}

// NewCmdSymbols builds `diagctl symbols` with its service settings, which
// the subcommands that talk to the service inherit.
func NewCmdSymbols(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "symbols <command>",
		Short: "Azure DevOps symbols: client keys, symbol requests and lookups",
		Example: `  diagctl symbols keys build/out/
  id=$(diagctl symbols request create v1.2.3)
  diagctl symbols create-entries "$id" build/out/
  diagctl symbols lookup build/out/
  diagctl symbols request seal "$id"`,
		Long: `Azure DevOps Artifacts symbol service: client keys and blob identifiers of symbol files,
the symbol requests they are published in, and lookups of what a debugger will find.

The symbol service stores each debug entry under a client key computed from the
file's headers (PE timestamp and image size, PDB GUID and age, ELF build id,
Mach-O UUID) and a blob identifier, the VSO hash of the whole file.

'diagctl symbols keys' works offline and needs none of the settings below.

Settings (for the commands that send requests):
  organization  --organization, DIAGCTL_SYMBOLS_ORGANIZATION, symbols.organization
  url           --url, DIAGCTL_SYMBOLS_URL, symbols.url (default https://artifacts.dev.azure.com)
  token         --token-stdin, DIAGCTL_SYMBOLS_TOKEN (else AZURE_DEVOPS_EXT_PAT), symbols.token,
                or a prompt on a terminal: a personal access token with scope vso.symbols_write,
                or a Microsoft Entra token with auth bearer
  auth          --auth, DIAGCTL_SYMBOLS_AUTH, symbols.auth: pat (HTTP Basic with an empty user
                name, the default) or bearer
  TLS           symbols.ca-cert / --ca-cert, symbols.insecure / --insecure

` + exit.StatusHelp,
	}
	pf := cmd.PersistentFlags()
	pf.String("organization", "", "Azure DevOps organization (env DIAGCTL_SYMBOLS_ORGANIZATION)")
	pf.String("url", "", "symbol service URL (env DIAGCTL_SYMBOLS_URL; default https://artifacts.dev.azure.com)")
	pf.String("auth", "", "token kind: pat or bearer (env DIAGCTL_SYMBOLS_AUTH; default pat)")
	f.BindFlag("symbols.organization", pf.Lookup("organization"))
	f.BindFlag("symbols.url", pf.Lookup("url"))
	f.BindFlag("symbols.auth", pf.Lookup("auth"))
	AuthKinds.Register(cmd, "auth")
	_ = cmd.RegisterFlagCompletionFunc("organization", cobra.NoFileCompletions)
	_ = cmd.RegisterFlagCompletionFunc("url", cobra.NoFileCompletions)
	cmd.AddCommand(NewCmdKeys(f, nil))
	cmd.AddCommand(NewCmdCreateEntries(f, nil))
	cmd.AddCommand(NewCmdRequest(f))
	cmd.AddCommand(NewCmdLookup(f, nil))
	return cmd
}
