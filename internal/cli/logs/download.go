package logs

import (
	"github.com/spf13/cobra"

	api "github.com/diagctl/diagctl/internal/api/logs"
	"github.com/diagctl/diagctl/internal/cli/downloadcmd"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
)

// DownloadOptions are the flags and dependencies of `logs download`: the
// shared download command's (IDs are sub-job IDs, SecretStdin is
// --token-stdin).
type DownloadOptions = downloadcmd.Options

// logFile is what `logs download` adds to the shared download command.
var logFile = downloadcmd.Spec{
	Service:     api.Service,
	ValidID:     api.ValidSubJobID,
	DefaultName: func(id string) string { return "logs-" + id + ".zip" },
	Request:     api.LogFileRequest,
}

// NewCmdDownload builds `diagctl logs download`.
func NewCmdDownload(f *cmdutil.Factory, runF func(*DownloadOptions) error) *cobra.Command {
	opts := new(DownloadOptions)
	*opts = downloadcmd.NewOptions(f)
	cmd := &cobra.Command{
		Use:   "download SUB_JOB_ID...",
		Short: "Save each sub-job's log archive (.zip)",
		Long: `Save each CodeArts Check sub-job's log archive (.zip).

CodeArts Check sometimes answers an error with HTTP 200 and a JSON body: diagctl
recognises it, never saves it as the archive, and retries the "busy" codes
(CC.00000000, CC.00050012). Each archive is renamed into place only once it is
complete and a valid ZIP.

For each saved archive, stdout gets its path, size, SHA-256 and number of files
(--json: an array of {"id","path","bytes","sha256","files","error"}).

` + exit.StatusHelp,
		Example: `  export DIAGCTL_LOGS_REGION=cn-north-4
  printf '%s\n' "$TOKEN" | diagctl logs download --token-stdin a777ff00d3cf4d369d87066806ae0001
  diagctl logs download --from-file sub-jobs.txt --parallel 8 -d logs/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Parse(cmd, args, logFile); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDownload(opts)
		},
	}
	opts.AddFlags(cmd, logFile)
	return cmd
}

func runDownload(opts *DownloadOptions) error {
	return opts.Run(logFile)
}
