package logs

import (
	"context"

	"github.com/spf13/cobra"

	apipkg "github.com/diagctl/diagctl/internal/api"

	api "github.com/diagctl/diagctl/internal/api/logs"
	"github.com/diagctl/diagctl/internal/cli/downloadcmd"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// DownloadOptions are the flags and dependencies of `logs download`: the
// shared download command's (IDs are sub-job IDs, SecretStdin is
// --token-stdin) and the other secrets stdin may hold.
type DownloadOptions struct {
	downloadcmd.Options
	PasswordStdin  bool // --iam-password-stdin
	SecretKeyStdin bool // --secret-key-stdin

	// Session resolves the run's credential (newSession).
	Session func(in stdinFlags) (*session, error)
}

func newDownloadOptions(f *cmdutil.Factory) *DownloadOptions {
	return &DownloadOptions{
		Options: downloadcmd.NewOptions(f),
		Session: func(in stdinFlags) (*session, error) { return newSession(f, in) },
	}
}

func (o *DownloadOptions) stdin() stdinFlags {
	return stdinFlags{Token: o.SecretStdin, Password: o.PasswordStdin, SecretKey: o.SecretKeyStdin}
}

// logFile is what `logs download` adds to the shared download command.
var logFile = downloadcmd.Spec{
	Service:     api.Service,
	ValidID:     api.ValidSubJobID,
	DefaultName: func(id string) string { return "logs-" + id + ".zip" },
	Request:     api.LogFileRequest,
}

// NewCmdDownload builds `diagctl logs download`.
func NewCmdDownload(f *cmdutil.Factory, runF func(*DownloadOptions) error) *cobra.Command {
	opts := newDownloadOptions(f)
	cmd := &cobra.Command{
		Use:   "download SUB_JOB_ID...",
		Short: "Save each sub-job's log archive (.zip)",
		Long: `Save each CodeArts Check sub-job's log archive (.zip).

CodeArts Check sometimes answers an error with HTTP 200 and a JSON body: diagctl
recognises it, never saves it as the archive, and retries the "busy" codes
(CC.00000000, CC.00050012). Each archive is renamed into place only once it is
complete and a valid ZIP.

For each saved archive, stdout gets a line (OUTPUT, below) as soon as it is
saved.

Credentials, the first that is set wins ('diagctl config list' says which):
  1. an IAM token: --token-stdin, DIAGCTL_LOGS_TOKEN or logs.token;
  2. an access key and secret key: every request is signed (SDK-HMAC-SHA256)
     instead of carrying a token: DIAGCTL_LOGS_ACCESS_KEY with
     DIAGCTL_LOGS_SECRET_KEY or --secret-key-stdin;
  3. an IAM user and password: the cached token from 'diagctl logs token', else
     a new one (--iam-user, --iam-domain, DIAGCTL_LOGS_IAM_PASSWORD or
     --iam-password-stdin; the token is scoped to --region's project).
With none of them, a terminal is asked for a token. When CodeArts Check says a
token expired (CC.00000003) and an IAM user and password are set, diagctl gets
a new token and downloads those sub-jobs once more. stdin holds one secret.

` + downloadcmd.ResultFormat + `

` + exit.StatusHelp,
		Example: `  export DIAGCTL_LOGS_REGION=cn-north-4
  printf '%s\n' "$TOKEN" | diagctl logs download --token-stdin a777ff00d3cf4d369d87066806ae0001
  diagctl logs download --from-file sub-jobs.txt --parallel 8 -d logs/

  # AK/SK signing
  export DIAGCTL_LOGS_ACCESS_KEY=$AK
  printenv SK | diagctl logs download --secret-key-stdin a777ff00d3cf4d369d87066806ae0001

  # IAM password (the token is cached for the next runs)
  export DIAGCTL_LOGS_IAM_DOMAIN=my-account DIAGCTL_LOGS_IAM_USER=ci-bot
  printenv IAM_PASSWORD | diagctl logs download --iam-password-stdin a777ff00d3cf4d369d87066806ae0001`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.stdin().check(opts.Flags.FromFile == "-"); err != nil {
				return err
			}
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
	addPasswordStdin(cmd, &opts.PasswordStdin)
	addSecretKeyStdin(cmd, &opts.SecretKeyStdin)
	return cmd
}

// runDownload resolves the credential, then runs the shared download
// with a client that carries it and, for a token IAM can replace, a
// renewal when it expires.
func runDownload(opts *DownloadOptions) error {
	s, err := opts.Session(opts.stdin())
	if err != nil {
		return err
	}
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	o := opts.Options
	o.HTTPClient = func(apipkg.Service, bool) (*httpx.Client, error) { return s.client(ctx) }
	o.Renewal = s.renewal()
	return o.Run(logFile)
}
