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
		Example: `  export DIAGCTL_SANDBOX_SERVER=sandbox.lab.example DIAGCTL_SANDBOX_USER=analyst
  diagctl sandbox debug-report 3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b
  diagctl config set sandbox.ca-cert /etc/ssl/sandbox-ca.pem`,
		Long: `Kaspersky Research Sandbox: download task debug reports.

The sandbox's API (GET /api/v1/sandbox/tasks/{task_id}/debug_report, HTTP
Basic) returns a task's debug report as a ZIP archive, if the task was run
with debug_report=true. It needs the server, a user and the user's password.

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
