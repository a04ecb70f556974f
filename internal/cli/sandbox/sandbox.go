// Package sandbox is the `diagctl sandbox` command group (Kaspersky
// Research Sandbox).
package sandbox

import (
	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// NewCmdSandbox builds `diagctl sandbox` with its service settings, which
// every subcommand inherits.
func NewCmdSandbox(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox <command>",
		Short: "Kaspersky Research Sandbox: download task debug reports",
		Long: `Kaspersky Research Sandbox: download task debug reports.

Settings:
  server    --server, DIAGCTL_SANDBOX_SERVER, sandbox.server (host or URL; a bare host means https)
  user      --user, DIAGCTL_SANDBOX_USER, sandbox.user
  password  --password-stdin, DIAGCTL_SANDBOX_PASSWORD, sandbox.password, or a prompt on a terminal
  TLS       sandbox.ca-cert / --ca-cert for a self-signed sandbox; sandbox.insecure / --insecure to skip checks

` + exit.StatusHelp,
	}
	pf := cmd.PersistentFlags()
	pf.String("server", "", "sandbox host or URL (env DIAGCTL_SANDBOX_SERVER)")
	pf.String("user", "", "sandbox user name (env DIAGCTL_SANDBOX_USER)")
	f.BindFlag("sandbox.server", pf.Lookup("server"))
	f.BindFlag("sandbox.user", pf.Lookup("user"))
	cmd.AddCommand(NewCmdDebugReport(f, nil))
	return cmd
}
