package cli

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	configcmd "github.com/diagctl/diagctl/internal/cli/config"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// NewCmdRoot builds the whole command tree. Building it does no I/O:
// configuration, secrets and HTTP clients are made on first use.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	g := f.Globals
	root := &cobra.Command{
		Use:   "diagctl <command>",
		Short: "One CLI for Kaspersky Sandbox, CodeArts Check, Azure DevOps symbols and Pangeo Radar",
		Long: `diagctl drives four services that are otherwise driven with hand-written curl lines:

  sandbox      Kaspersky Research Sandbox: save task debug reports (.zip)
  logs         Huawei Cloud CodeArts Check: save sub-job log archives (.zip);
               get Huawei IAM tokens (cached until they expire)
  symbols      Azure DevOps symbol service: client keys and blob identifiers
               of PE, PDB, ELF and Mach-O files
  report-task  Pangeo Radar: create and change periodic report tasks, the cron
               interval checked and explained first

Archives are checked before they are saved and broken transfers resume; a
request that could create a duplicate is never resent; secrets stay out of
sight. 'diagctl demo' runs every command against a built-in emulator;
'diagctl emulator' serves the four APIs on loopback to try your own.

Settings come from flags, then DIAGCTL_* environment variables, then the config
file (profiles.<name> over its top level). Secrets are never taken from plain
flags: use the environment, the config file (mode 0600), a --*-stdin flag, or
the prompt.

` + exit.StatusHelp,
		Example: `  diagctl demo
  diagctl sandbox debug-report --server sandbox.lab.example --user analyst TASK_ID
  diagctl logs download --region cn-north-4 SUB_JOB_ID
  diagctl symbols keys build/out/
  diagctl report-task create --interval '0 3 * * 1' --instance INSTANCE --report-id REPORT
  diagctl config list`,
		Version:       f.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			ios := f.IOStreams
			// Completion requests must never prompt, load a config that
			// could fail, or touch the network.
			if cmd.Name() == cobra.ShellCompRequestCmd || cmd.Name() == cobra.ShellCompNoDescRequestCmd {
				ios.InCompletion = true
				return nil
			}
			ios.Quiet = g.Quiet
			ios.NoProgress = g.NoProgress
			if g.Retries < 0 {
				return exit.FlagErrorf("--retries must be 0 or more")
			}
			if g.Timeout < 0 {
				return exit.FlagErrorf("--timeout must be positive")
			}
			if g.StallTimeout <= 0 {
				return exit.FlagErrorf("--stall-timeout must be positive, e.g. 60s or 5m, got %v", g.StallTimeout)
			}
			return nil
		},
	}
	// The line is fixed when the tree is built: no template expansion of a
	// stamped value.
	root.SetVersionTemplate(strings.NewReplacer("{{", "{{`{{`}}").Replace(versionLine(f.Version)) + "\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &exit.FlagError{Err: err}
	})

	pf := root.PersistentFlags()
	pf.StringVar(&g.ConfigPath, "config", "", "config file (default $XDG_CONFIG_HOME/diagctl/config.yaml; env DIAGCTL_CONFIG)")
	pf.StringVar(&g.Profile, "profile", "", "use profiles.NAME from the config file (env DIAGCTL_PROFILE)")
	pf.BoolVar(&g.JSON, "json", false, "machine-readable result on stdout, errors as JSON on stderr")
	pf.BoolVarP(&g.Quiet, "quiet", "q", false, "nothing on stderr but errors; no progress")
	pf.BoolVar(&g.NoProgress, "no-progress", false, "no progress bar even on a terminal")
	pf.BoolVarP(&g.Verbose, "verbose", "v", false, "HTTP trace on stderr (curl style), secrets redacted")
	pf.DurationVar(&g.Timeout, "timeout", 0, "limit for each item's whole operation, retries and resumes included (as curl --max-time), e.g. 30s or 10m (default: none)")
	pf.DurationVar(&g.StallTimeout, "stall-timeout", 60*time.Second, "fail a transfer that receives nothing for this long (a notice comes after min(10s, half of it))")
	pf.IntVar(&g.Retries, "retries", 3, "retries of a request that failed transiently")
	pf.BoolVar(&g.Insecure, "insecure", false, "skip TLS certificate verification (warns)")
	pf.StringVar(&g.CACert, "ca-cert", "", "trust this PEM bundle as well as the system's")
	pf.StringVar(&g.Proxy, "proxy", "", "proxy URL for this command's service, or none to go direct (default: <service>.proxy, then HTTPS_PROXY/HTTP_PROXY/NO_PROXY)")
	_ = root.MarkPersistentFlagFilename("config", "yaml", "yml")
	_ = root.MarkPersistentFlagFilename("ca-cert", "pem", "crt", "cer")
	_ = root.RegisterFlagCompletionFunc("profile", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		// The names only: no config load that could fail, no secret.
		return config.ProfileNames(f.ConfigPath()), cobra.ShellCompDirectiveNoFileComp
	})

	root.AddCommand(
		configcmd.NewCmdConfig(f, serviceNotes...),
		newCmdVersion(f),
		newCmdCompletion(),
	)
	addServiceCommands(root, f)
	finishTree(root)
	return root
}

func newCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print diagctl's version",
		Long: `Print diagctl's version, and the commit and build date when the binary
carries them (release builds do; 'go install' records the module version).
--json prints {"version","commit","date"}.`,
		Example: `  diagctl version
  diagctl --json version | jq -r .version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Globals.JSON {
				rev, when := BuildInfo()
				return iostreams.WriteJSON(f.IOStreams.Out, map[string]string{"version": f.Version, "commit": rev, "date": when})
			}
			_, err := f.IOStreams.Out.Write([]byte(versionLine(f.Version) + "\n"))
			return err
		},
	}
}
