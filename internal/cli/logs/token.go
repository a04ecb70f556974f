package logs

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/api/logs/iam"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// TokenOptions are the flags and dependencies of `logs token`.
type TokenOptions struct {
	IO   *iostreams.IOStreams
	Ctx  context.Context
	JSON bool

	MFACode       string // --mfa-code
	ClearCache    bool   // --clear-cache
	PasswordStdin bool   // --iam-password-stdin

	// Login builds the IAM login from the settings (newIAMLogin).
	Login func(passwordStdin bool, mfaCode string) (*iamLogin, error)
	// CacheDir is where cached tokens live (iam.DefaultCacheDir).
	CacheDir func() (string, error)
}

// NewCmdToken builds `diagctl logs token`.
func NewCmdToken(f *cmdutil.Factory, runF func(*TokenOptions) error) *cobra.Command {
	opts := &TokenOptions{
		IO:       f.IOStreams,
		Login:    func(stdin bool, code string) (*iamLogin, error) { return newIAMLogin(f, stdin, code) },
		CacheDir: func() (string, error) { return iam.DefaultCacheDir(f.Getenv) },
	}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Get an IAM token with a password (cached until it expires)",
		Long: `Get a Huawei Cloud IAM token with the IAM user's password and print it on stdout.

The token is scoped to the region's project (--region). It is cached in
$XDG_CACHE_HOME/diagctl/ (mode 0600; the password never is) and printed again
from there until five minutes before it expires, so scripts may call this as
often as they like. 'logs download' uses the same cache when an IAM user and
password are set and no token is.

When the account has MFA login protection, IAM wants a one-time code: on a
terminal diagctl asks for it; scripts pass --mfa-code CODE. The login also needs
the user's id (--iam-user-id; the console shows it under My Credentials). A login
with a code is never retried by itself: a code may be accepted once only.

--clear-cache deletes every cached token instead (they stay valid at IAM until
they expire: a new token does not revoke older ones).

Settings: --iam-user, --iam-domain, --iam-user-id, --iam-endpoint, --region and the
password from --iam-password-stdin, DIAGCTL_LOGS_IAM_PASSWORD, logs.iam-password or
a no-echo prompt (see 'diagctl logs --help').

stdout: the token (--json: {"token","expires_at","issued_at","cached"}).

` + exit.StatusHelp,
		Example: `  export DIAGCTL_LOGS_REGION=cn-north-4 DIAGCTL_LOGS_IAM_DOMAIN=my-account DIAGCTL_LOGS_IAM_USER=ci-bot
  printenv IAM_PASSWORD | diagctl logs token --iam-password-stdin
  TOKEN=$(diagctl logs token --mfa-code 123456 --iam-user-id "$IAM_USER_ID")
  diagctl --json logs token | jq -r .expires_at
  diagctl logs token --clear-cache`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			opts.JSON = f.Globals.JSON
			if opts.ClearCache && (opts.MFACode != "" || opts.PasswordStdin) {
				return exit.FlagErrorf("--clear-cache only deletes the cache: it takes neither --mfa-code nor --iam-password-stdin")
			}
			if runF != nil {
				return runF(opts)
			}
			return runToken(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.MFACode, "mfa-code", "", "the 6-digit code of the virtual MFA device, for accounts with MFA login protection")
	fl.BoolVar(&opts.ClearCache, "clear-cache", false, "delete every cached IAM token and exit")
	addPasswordStdin(cmd, &opts.PasswordStdin)
	return cmd
}

type tokenJSON struct {
	Token     string     `json:"token"`
	ExpiresAt time.Time  `json:"expires_at"`
	IssuedAt  *time.Time `json:"issued_at"`
	Cached    bool       `json:"cached"`
}

func runToken(opts *TokenOptions) error {
	if opts.ClearCache {
		return clearCache(opts)
	}
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	l, err := opts.Login(opts.PasswordStdin, opts.MFACode)
	if err != nil {
		return err
	}
	tok, cached, err := l.token(ctx, "")
	if err != nil {
		return err
	}
	from := "new"
	if cached {
		from = "cached"
	}
	fmt.Fprintf(opts.IO.Info(), "%s IAM token for %s, valid until %s\n", from, l.who(), until(tok.ExpiresAt))
	if opts.JSON {
		doc := tokenJSON{Token: tok.Value, ExpiresAt: tok.ExpiresAt, Cached: cached}
		if !tok.IssuedAt.IsZero() {
			doc.IssuedAt = &tok.IssuedAt
		}
		return iostreams.WriteJSON(opts.IO.Out, doc)
	}
	_, err = fmt.Fprintln(opts.IO.Out, tok.Value)
	return err
}

func clearCache(opts *TokenOptions) error {
	dir, err := opts.CacheDir()
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "set XDG_CACHE_HOME", "no token cache directory")
	}
	n, err := (&iam.Cache{Dir: dir}).Clear()
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "check the directory's permissions", "cannot clear the IAM token cache in %s", dir)
	}
	if opts.JSON {
		return iostreams.WriteJSON(opts.IO.Out, map[string]any{"removed": n, "dir": dir})
	}
	fmt.Fprintf(opts.IO.Info(), "removed %d cached IAM token(s) from %s\n", n, dir)
	return nil
}
