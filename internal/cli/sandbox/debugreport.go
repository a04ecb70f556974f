package sandbox

import (
	"github.com/spf13/cobra"

	api "github.com/diagctl/diagctl/internal/api/sandbox"
	"github.com/diagctl/diagctl/internal/cli/downloadcmd"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// DebugReportOptions are the flags and dependencies of `sandbox
// debug-report`: the shared download command's (IDs are task IDs,
// SecretStdin is --password-stdin).
type DebugReportOptions = downloadcmd.Options

// debugReport is what `sandbox debug-report` adds to the shared download
// command.
var debugReport = downloadcmd.Spec{
	Service:     api.Service,
	ValidID:     api.ValidTaskID,
	DefaultName: func(id string) string { return "debug-report-" + id + ".zip" },
	Request:     api.DebugReportRequest,
}

// NewCmdDebugReport builds `diagctl sandbox debug-report`.
func NewCmdDebugReport(f *cmdutil.Factory, runF func(*DebugReportOptions) error) *cobra.Command {
	opts := new(DebugReportOptions)
	*opts = downloadcmd.NewOptions(f)
	cmd := &cobra.Command{
		Use:   "debug-report TASK_ID...",
		Short: "Save each task's debug report (.zip)",
		Long: `Save each task's debug report archive (.zip).

The sandbox keeps a debug report only for tasks created or re-run with
debug_report=true. Each archive is written to a temporary file beside its final
path and renamed only once it is complete and is a valid ZIP; an error body is
never saved as the archive. A broken transfer is resumed where the server allows.
A password typed at the prompt that the sandbox refuses (HTTP 401) is asked for
again, up to three times in all, before exit 3.

For each saved report, stdout gets a line (below) as soon as it is saved.

` + downloadcmd.ResultFormat + `

` + exit.StatusHelp,
		Example: `  export DIAGCTL_SANDBOX_SERVER=sandbox.lab.example DIAGCTL_SANDBOX_USER=analyst
  diagctl sandbox debug-report 3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b
  diagctl sandbox debug-report --from-file tasks.txt -d reports/ --extract unpacked/
  printf '%s\n' "$PASS" | diagctl sandbox debug-report --password-stdin -o - TASK_ID | ssh vault 'cat > report.zip'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Parse(cmd, args, debugReport); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDebugReport(opts)
		},
	}
	opts.AddFlags(cmd, debugReport)
	return cmd
}

func runDebugReport(opts *DebugReportOptions) error {
	return opts.Run(debugReport)
}
