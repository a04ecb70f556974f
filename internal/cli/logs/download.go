package logs

import (
	"context"
	"net/http"

	"github.com/spf13/cobra"

	api "github.com/diagctl/diagctl/internal/api/logs"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// DownloadOptions holds the flags and dependencies of `logs download`.
type DownloadOptions struct {
	Factory *cmdutil.Factory

	SubJobIDs  []string
	Download   cmdutil.DownloadFlags
	TokenStdin bool
}

// NewCmdDownload builds `diagctl logs download`.
func NewCmdDownload(f *cmdutil.Factory, runF func(*DownloadOptions) error) *cobra.Command {
	opts := &DownloadOptions{Factory: f}
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
			if err := opts.Download.CheckStdin("--token-stdin", opts.TokenStdin); err != nil {
				return err
			}
			ids, err := opts.Download.IDs(f.IOStreams, args, api.ValidSubJobID)
			if err != nil {
				return err
			}
			opts.SubJobIDs = ids
			if runF != nil {
				return runF(opts)
			}
			return runDownload(opts)
		},
	}
	cmdutil.AddDownloadFlags(cmd, &opts.Download)
	cmd.Flags().BoolVar(&opts.TokenStdin, "token-stdin", false, "read the IAM token from the first line of stdin")
	return cmd
}

func runDownload(opts *DownloadOptions) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	base, err := api.Endpoint(cfg.String("logs.endpoint"), cfg.String("logs.region"))
	if err != nil {
		return err
	}
	token, err := f.Secret(cmdutil.SecretSpec{
		Key: "logs.token", StdinFlag: "--token-stdin", FromStdin: opts.TokenStdin,
		Label: "IAM token for " + base.Host + ": ",
	})
	if err != nil {
		return err
	}
	hopts, err := f.HTTPOptions("logs")
	if err != nil {
		return err
	}
	hopts.Auth = api.TokenAuth(token)
	hopts.DecodeError = api.DecodeError
	client, err := httpx.New(hopts)
	if err != nil {
		return err
	}
	cc := &api.Client{Base: base}
	sources := make([]download.Source, len(opts.SubJobIDs))
	for i, id := range opts.SubJobIDs {
		sources[i] = download.Source{
			ID:          id,
			DefaultName: "logs-" + id + ".zip",
			Request: func(ctx context.Context) (*http.Request, error) {
				return cc.LogFileRequest(ctx, id)
			},
		}
	}
	return opts.Download.Run(f, client, sources)
}
