package logs

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	api "github.com/diagctl/diagctl/internal/api/logs"
	"github.com/diagctl/diagctl/internal/api/logs/iam"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// iamLogin gets IAM tokens for one user: from the cache while one is good
// for five more minutes, else by a password login (and an MFA code when
// IAM asks for one), which is then cached.
type iamLogin struct {
	f             *cmdutil.Factory
	passwordStdin bool
	mfaCode       string // --mfa-code; "" to ask on a terminal when needed

	user, domain, userID, project string
	key                           iam.CacheKey
	cache                         *iam.Cache
}

// newIAMLogin reads the IAM settings. Missing ones are usage errors that
// name their flag, variable and config key; nothing is sent.
func newIAMLogin(f *cmdutil.Factory, passwordStdin bool, mfaCode string) (*iamLogin, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	l := &iamLogin{f: f, passwordStdin: passwordStdin, mfaCode: strings.TrimSpace(mfaCode)}
	if l.user, err = cfg.Require("logs.iam-user"); err != nil {
		return nil, err
	}
	if l.domain, err = cfg.Require("logs.iam-domain"); err != nil {
		return nil, err
	}
	if l.project = cfg.String("logs.region"); l.project == "" {
		return nil, exit.UsageErrorf(cfg.HowToSet("logs.region")+": the token is scoped to the region's project (e.g. cn-north-4)", "no region to scope the IAM token to")
	}
	l.userID = cfg.String("logs.iam-user-id")
	base, err := api.IAMService.BaseURL(cfg)
	if err != nil {
		return nil, err
	}
	dir, err := iam.DefaultCacheDir(f.Getenv)
	if err != nil {
		return nil, exit.Wrapf(err, exit.Failure, "set XDG_CACHE_HOME to a directory diagctl may write", "no directory for the IAM token cache")
	}
	l.cache = &iam.Cache{Dir: dir}
	l.key = iam.CacheKey{Endpoint: base.String(), Domain: l.domain, User: l.user, Project: l.project}
	return l, nil
}

// who names the IAM user for messages.
func (l *iamLogin) who() string {
	return fmt.Sprintf("IAM user %s (account %s, project %s)", l.user, l.domain, l.project)
}

// token returns a token for the user: the cached one unless it is avoid
// (a token the service just refused as expired), else a new one.
func (l *iamLogin) token(ctx context.Context, avoid string) (tok iam.Token, cached bool, err error) {
	if t, ok := l.cache.Load(l.key); ok {
		if t.Value != avoid {
			return t, true, nil
		}
		_ = l.cache.Delete(l.key) // it is no good; a failed delete only costs a login later
	}
	tok, err = l.login(ctx)
	if err != nil {
		return iam.Token{}, false, err
	}
	if err := l.cache.Store(l.key, tok); err != nil {
		fmt.Fprintf(l.f.IOStreams.Info(), "warning: cannot cache the IAM token (the next run logs in again): %v\n", err)
	}
	return tok, false, nil
}

// login asks IAM for a token with the password, and with an MFA code when
// IAM wants one.
func (l *iamLogin) login(ctx context.Context) (iam.Token, error) {
	password, err := l.f.Secret(cmdutil.SecretSpec{
		Key: "logs.iam-password", StdinFlag: "--iam-password-stdin", FromStdin: l.passwordStdin,
		Label: fmt.Sprintf("IAM password for %s@%s: ", l.user, l.domain),
	})
	if err != nil {
		return iam.Token{}, err
	}
	client, err := l.f.HTTPClient(api.IAMService, false)
	if err != nil {
		return iam.Token{}, err
	}
	p := iam.PasswordLogin{Domain: l.domain, User: l.user, Password: password, Project: l.project, UserID: l.userID, MFACode: l.mfaCode}
	tok, err := l.send(ctx, client, p)
	if err != nil && iam.MFARequired(err) && p.MFACode == "" {
		if p.UserID == "" {
			return iam.Token{}, exit.Wrapf(iam.ErrMFANeedsUserID, exit.Usage, exit.Hint(iam.ErrMFANeedsUserID), "IAM wants an MFA code for %s", l.who())
		}
		if p.MFACode, err = l.askMFA(ctx); err != nil {
			return iam.Token{}, err
		}
		tok, err = l.send(ctx, client, p)
		if err != nil && iam.MFARequired(err) {
			return iam.Token{}, exit.Wrapf(err, exit.Auth, "codes change every 30 seconds and may be used once: try again with the code your virtual MFA device shows now",
				"IAM refused the MFA code for %s", l.who())
		}
	}
	if err != nil {
		return iam.Token{}, exit.Wrapf(err, exit.Code(err), exit.Hint(err), "IAM login as %s", l.who())
	}
	return tok, nil
}

// askMFA reads the one-time code on a terminal, with the shared
// prompter (which does not echo: not needed for a code that expires in
// seconds, but no harm either).
func (l *iamLogin) askMFA(ctx context.Context) (string, error) {
	ios := l.f.IOStreams
	if !ios.CanPrompt() || l.f.Prompter == nil {
		return "", exit.Errorf(exit.Auth,
			"run 'diagctl logs token --mfa-code CODE' with the 6-digit code your virtual MFA device shows (later runs use the cached token), or run on a terminal to be asked",
			"IAM wants an MFA code for %s, and stdin is not a terminal to ask for one", l.who())
	}
	code, err := l.f.Prompter.Secret(ctx, fmt.Sprintf("MFA code for %s (from your virtual MFA device): ", l.user))
	if err != nil {
		return "", err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return "", exit.UsageErrorf("type the 6-digit code your virtual MFA device shows", "no MFA code given")
	}
	return code, nil
}

// send posts one login. A password-only login may be retried like a GET
// (a new token revokes nothing); one with an MFA code is sent again only
// when it surely never left, since the code may be accepted only once.
func (l *iamLogin) send(ctx context.Context, c *httpx.Client, p iam.PasswordLogin) (iam.Token, error) {
	req, err := iam.TokenRequest(ctx, c.URL(), p)
	if err != nil {
		return iam.Token{}, err
	}
	retry := httpx.Idempotent
	if p.MFACode != "" {
		retry = httpx.NeverSentOnly
	}
	resp, err := c.Send(req, httpx.Call{Retry: retry})
	if err != nil {
		return iam.Token{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return iam.Token{}, err
	}
	return iam.ParseToken(resp, body)
}

// until says when a token expires, for notes.
func until(t time.Time) string {
	left := time.Until(t).Round(time.Minute)
	if left < 0 {
		return t.Local().Format(time.RFC3339) + ", already past"
	}
	return t.Local().Format(time.RFC3339) + ", " + left.String() + " from now"
}
