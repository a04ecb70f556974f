package cli

import (
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
		Short: "Download Kaspersky Research Sandbox debug reports and CodeArts Check log archives",
		Long: `diagctl downloads Kaspersky Research Sandbox debug reports and Huawei Cloud CodeArts
Check log archives without hand-written curl lines: archives are checked before
they are saved, broken transfers resume, and secrets stay out of sight.
'diagctl emulator' serves all four supported APIs locally to try it out.

Settings come from flags, then DIAGCTL_* environment variables, then the config
file (profiles.<name> over its top level). Secrets are never taken from plain
flags: use the environment, the config file (mode 0600), a --*-stdin flag, or
the prompt.

` + exit.StatusHelp,
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
			return nil
		},
	}
	root.SetVersionTemplate("diagctl {{.Version}}\n")
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
	)
	addServiceCommands(root, f)
	finishTree(root)
	return root
}

func newCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print diagctl's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Globals.JSON {
				return iostreams.WriteJSON(f.IOStreams.Out, map[string]string{"version": f.Version})
			}
			_, err := f.IOStreams.Out.Write([]byte("diagctl " + f.Version + "\n"))
			return err
		},
	}
}
