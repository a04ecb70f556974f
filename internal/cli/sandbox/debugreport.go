package sandbox

import (
	"context"
	"net/http"

	"github.com/spf13/cobra"

	api "github.com/diagctl/diagctl/internal/api/sandbox"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// DebugReportOptions holds the flags and dependencies of `sandbox debug-report`.
type DebugReportOptions struct {
	Factory *cmdutil.Factory

	TaskIDs       []string
	Download      cmdutil.DownloadFlags
	PasswordStdin bool
}

// NewCmdDebugReport builds `diagctl sandbox debug-report`.
func NewCmdDebugReport(f *cmdutil.Factory, runF func(*DebugReportOptions) error) *cobra.Command {
	opts := &DebugReportOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "debug-report TASK_ID...",
		Short: "Save each task's debug report (.zip)",
		Long: `Save each task's debug report archive (.zip).

The sandbox keeps a debug report only for tasks created or re-run with
debug_report=true. Each archive is written to a temporary file beside its final
path and renamed only once it is complete and is a valid ZIP; an error body is
never saved as the archive. A broken transfer is resumed where the server allows.

For each saved report, stdout gets its path, size, SHA-256 and number of files
(--json: an array of {"id","path","bytes","sha256","files","error"}).

` + exit.StatusHelp,
		Example: `  export DIAGCTL_SANDBOX_SERVER=sandbox.lab.example DIAGCTL_SANDBOX_USER=analyst
  diagctl sandbox debug-report 3f2b8c1e-9a4d-4e6f-8b2a-1c5d7e9f0a3b
  diagctl sandbox debug-report --from-file tasks.txt -d reports/ --extract unpacked/
  printf '%s\n' "$PASS" | diagctl sandbox debug-report --password-stdin -o - TASK_ID | ssh vault 'cat > report.zip'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Download.CheckStdin("--password-stdin", opts.PasswordStdin); err != nil {
				return err
			}
			ids, err := opts.Download.IDs(f.IOStreams, args, api.ValidTaskID)
			if err != nil {
				return err
			}
			opts.TaskIDs = ids
			if runF != nil {
				return runF(opts)
			}
			return runDebugReport(opts)
		},
	}
	cmdutil.AddDownloadFlags(cmd, &opts.Download)
	cmd.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from the first line of stdin")
	return cmd
}

func runDebugReport(opts *DebugReportOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	server := cfg.String("sandbox.server")
	if server == "" {
		return exit.UsageErrorf("pass --server or set DIAGCTL_SANDBOX_SERVER (or sandbox.server in the config file)", "no sandbox server")
	}
	base, err := httpx.BaseURL(server, "sandbox server")
	if err != nil {
		return err
	}
	user := cfg.String("sandbox.user")
	if user == "" {
		return exit.UsageErrorf("pass --user or set DIAGCTL_SANDBOX_USER (or sandbox.user in the config file)", "no sandbox user name")
	}
	password, err := f.Secret(cmdutil.SecretSpec{
		Key: "sandbox.password", StdinFlag: "--password-stdin", FromStdin: opts.PasswordStdin,
		Label: "Password for " + user + "@" + base.Host + ": ",
	})
	if err != nil {
		return err
	}
	hopts, err := f.HTTPOptions("sandbox")
	if err != nil {
		return err
	}
	hopts.Auth = api.BasicAuth(user, password)
	hopts.DecodeError = api.DecodeError
	client, err := httpx.New(hopts)
	if err != nil {
		return err
	}
	sb := &api.Client{Base: base}
	sources := make([]download.Source, len(opts.TaskIDs))
	for i, id := range opts.TaskIDs {
		sources[i] = download.Source{
			ID:          id,
			DefaultName: "debug-report-" + id + ".zip",
			Request: func(ctx context.Context) (*http.Request, error) {
				return sb.DebugReportRequest(ctx, id)
			},
		}
	}
	return opts.Download.Run(f, client, sources)
}
