package logs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	api "github.com/diagctl/diagctl/internal/api/logs"
	"github.com/diagctl/diagctl/internal/api/logs/aksk"
	"github.com/diagctl/diagctl/internal/cli/downloadcmd"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// session is one run's CodeArts Check credential: which one, the token it
// currently sends (a token can be replaced when it expires mid-run), and
// the IAM login that can replace it.
type session struct {
	f     *cmdutil.Factory
	cfg   *config.Config
	cred  credential
	in    stdinFlags
	login *iamLogin // nil without IAM credentials at hand

	mu    sync.Mutex
	token string
}

func (s *session) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

func (s *session) set(token string) {
	s.mu.Lock()
	s.token = token
	s.mu.Unlock()
}

// tokenAuth sends the session's current token in X-Auth-Token, read at
// each attempt so that a renewed token is used from then on.
func (s *session) tokenAuth(r *http.Request) error {
	r.Header[api.Service.AuthHeader] = []string{s.current()}
	return nil
}

// newSession resolves the credential and the HTTP client for `logs
// download` (downloadcmd.Options.HTTPClient's shape).
func newSession(f *cmdutil.Factory, in stdinFlags) (*session, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	s := &session{f: f, cfg: cfg, in: in, cred: chooseCredential(cfg, in)}
	if err := unusedStdin(cfg, s.cred, in); err != nil {
		return nil, err
	}
	if s.cred.kind == credIAM || (s.cred.kind != credAKSK && iamAtHand(cfg)) {
		if s.login, err = newIAMLogin(f, in.Password, ""); err != nil {
			if s.cred.kind == credIAM {
				return nil, err
			}
			s.login = nil // incomplete IAM settings: no renewal, but the token still works
		}
	}
	return s, nil
}

// client builds the CodeArts Check client with the chosen credential.
func (s *session) client(ctx context.Context) (*httpx.Client, error) {
	svc := api.Service
	if _, err := svc.BaseURL(s.cfg); err != nil {
		return nil, err // a bad endpoint is reported before any secret is read
	}
	svc.DecodeError = s.decodeError
	var auth httpx.Auth
	switch s.cred.kind {
	case credToken, credNone:
		if s.cred.kind == credNone && !s.f.IOStreams.CanPrompt() {
			return nil, errNoCredential
		}
		base, _ := svc.BaseURL(s.cfg)
		tok, err := s.f.Secret(cmdutil.SecretSpec{
			Key: svc.Secret.Key, StdinFlag: "--" + svc.Secret.StdinFlag, FromStdin: s.in.Token,
			Label: svc.Secret.Prompt("", base.Host),
		})
		if err != nil {
			return nil, err
		}
		s.set(tok)
		auth = s.tokenAuth
	case credAKSK:
		keys, err := s.keys()
		if err != nil {
			return nil, err
		}
		auth = api.SignAuth(keys, time.Now)
	case credIAM:
		tok, cached, err := s.login.token(ctx, "")
		if err != nil {
			return nil, err
		}
		if !cached {
			fmt.Fprintf(s.f.IOStreams.Info(), "got an IAM token for %s, valid until %s\n", s.login.who(), until(tok.ExpiresAt))
		}
		s.set(tok.Value)
		auth = s.tokenAuth
	}
	return s.f.HTTPClientWithAuth(svc, auth)
}

// keys reads the access key and secret key: the secret key from stdin
// (--secret-key-stdin), the environment or the config file, never a
// prompt (DESIGN.md).
func (s *session) keys() (aksk.Keys, error) {
	ak, err := s.cfg.Require("logs.access-key")
	if err != nil {
		return aksk.Keys{}, exit.Wrapf(err, exit.Usage, exit.Hint(err), "a secret key is given but no access key")
	}
	if !s.in.SecretKey && s.cfg.String("logs.secret-key") == "" {
		return aksk.Keys{}, exit.UsageErrorf("pass --secret-key-stdin or set DIAGCTL_LOGS_SECRET_KEY (or logs.secret-key in the config file)",
			"access key %s is set (%s) but no secret key", ak, "logs.access-key from "+s.cfg.Get("logs.access-key").Source)
	}
	sk, err := s.f.Secret(cmdutil.SecretSpec{Key: "logs.secret-key", StdinFlag: "--secret-key-stdin", FromStdin: s.in.SecretKey})
	if err != nil {
		return aksk.Keys{}, err
	}
	return aksk.Keys{AccessKey: ak, SecretKey: sk}, nil
}

// renewal replaces a token CodeArts Check refused as expired, when IAM
// credentials are at hand; nil otherwise (AK/SK has nothing to renew).
func (s *session) renewal() *downloadcmd.Renewal {
	if s.login == nil || s.cred.kind == credAKSK {
		return nil
	}
	return &downloadcmd.Renewal{
		Expired: tokenExpired,
		Renew: func(ctx context.Context) error {
			old := s.current()
			tok, _, err := s.login.token(ctx, old)
			if err != nil {
				return err
			}
			s.set(tok.Value)
			fmt.Fprintf(s.f.IOStreams.Info(), "the IAM token expired; got a new one for %s, valid until %s; trying again\n", s.login.who(), until(tok.ExpiresAt))
			return nil
		},
	}
}

// tokenExpired: CodeArts Check's 401 CC.00000003.
func tokenExpired(err error) bool {
	var e *httpx.APIError
	return errors.As(err, &e) && e.Code == api.CodeTokenExpired
}

// decodeError is CodeArts Check's decoder with hints that name the
// credential this run tried and what to check about it.
func (s *session) decodeError(resp *http.Response, body []byte) *httpx.APIError {
	e := api.DecodeError(resp, body)
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden && e.Code != api.CodeTokenExpired {
		return e
	}
	tried := s.cred.describe(s.cfg)
	switch {
	case resp.StatusCode == http.StatusForbidden:
		e.Next = "tried " + tried + ": " + e.Next
	case s.cred.kind == credAKSK:
		e.Next = "the API gateway refused " + tried + ": check that the secret key (DIAGCTL_LOGS_SECRET_KEY, --secret-key-stdin or logs.secret-key) belongs to that access key and is enabled, and that this machine's clock is right (the gateway allows 15 minutes of skew)"
	case e.Code == api.CodeTokenExpired && s.login != nil:
		e.Next = "tried " + tried + ", then a new token for " + s.login.who() + ": IAM issued a token that had already expired; check this machine's clock and the IAM user, and run 'diagctl logs token --clear-cache'"
	case e.Code == api.CodeTokenExpired:
		e.Next = "tried " + tried + ", which expired (tokens live 24 hours): get a new one with 'diagctl logs token', or set logs.iam-user, logs.iam-domain and logs.iam-password so downloads get one themselves"
	case s.cred.kind == credIAM:
		e.Next = "CodeArts Check refused " + tried + ": check that the user may use CodeArts Check in this project, and run 'diagctl logs token --clear-cache' to drop a token that was revoked"
	default:
		e.Next = "CodeArts Check refused " + tried + ": check that it is a current token for this region's project ('diagctl logs token' gets one)"
	}
	return e
}
