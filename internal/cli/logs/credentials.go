package logs

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/exit"
)

// CodeArts Check takes one of three credentials, in this order:
//
//  1. an IAM token given explicitly (--token-stdin, DIAGCTL_LOGS_TOKEN,
//     logs.token);
//  2. an access key and secret key: every request is signed instead;
//  3. an IAM user and password: diagctl logs in for a token (the cached
//     one first, until five minutes before it expires).
//
// With none of them, a terminal is asked for a token.

// credKind is which of the three a run uses.
type credKind int

const (
	credNone credKind = iota
	credToken
	credAKSK
	credIAM
)

// stdinFlags are the logs commands' secret-on-stdin flags. stdin holds
// one secret a run.
type stdinFlags struct {
	Token, Password, SecretKey bool
}

func (s stdinFlags) given() []string {
	var names []string
	for _, f := range []struct {
		on   bool
		name string
	}{{s.Token, "--token-stdin"}, {s.SecretKey, "--secret-key-stdin"}, {s.Password, "--iam-password-stdin"}} {
		if f.on {
			names = append(names, f.name)
		}
	}
	return names
}

// check refuses two secrets on stdin, or a secret and the IDs
// (--from-file -).
func (s stdinFlags) check(idsFromStdin bool) error {
	names := s.given()
	switch {
	case len(names) > 1:
		return exit.FlagErrorf("%s all want stdin, which holds one secret: give the others in the environment or the config file", strings.Join(names, " and "))
	case len(names) == 1 && idsFromStdin:
		return exit.FlagErrorf("%s and --from-file - both want stdin: put the IDs in a file", names[0])
	}
	return nil
}

// addPasswordStdin and addSecretKeyStdin register the flags on a command.
func addPasswordStdin(cmd *cobra.Command, on *bool) {
	cmd.Flags().BoolVar(on, "iam-password-stdin", false, "read the IAM password from the first line of stdin")
}

func addSecretKeyStdin(cmd *cobra.Command, on *bool) {
	cmd.Flags().BoolVar(on, "secret-key-stdin", false, "read the secret key (SK) from the first line of stdin")
}

// credential is the credential a run will use and where it comes from.
type credential struct {
	kind credKind
	from string // "--token-stdin", "logs.token from env DIAGCTL_LOGS_TOKEN", ...
	// skStdin: the secret key comes from --secret-key-stdin.
	skStdin bool
}

// chooseCredential applies the precedence to the settings and flags.
func chooseCredential(cfg *config.Config, in stdinFlags) credential {
	src := func(key string) string { return key + " from " + cfg.Get(key).Source }
	// A secret in a config file others can read counts as set: the run
	// then fails on it with the chmod hint rather than quietly trying
	// the next kind of credential.
	set := func(key string) bool { v := cfg.Get(key); return v.Value != "" || v.Refused != nil }
	switch {
	case in.Token:
		return credential{credToken, "--token-stdin", false}
	case set("logs.token"):
		return credential{credToken, src("logs.token"), false}
	case in.SecretKey || cfg.String("logs.access-key") != "" || set("logs.secret-key"):
		return credential{kind: credAKSK, skStdin: in.SecretKey}
	case in.Password:
		return credential{credIAM, "--iam-password-stdin", false}
	case cfg.String("logs.iam-user") != "":
		return credential{credIAM, src("logs.iam-user"), false}
	case set("logs.iam-password"):
		return credential{credIAM, src("logs.iam-password"), false}
	}
	return credential{}
}

// describe says in a few words what the credential is, for config list
// and for hints. It never holds a secret.
func (c credential) describe(cfg *config.Config) string {
	switch c.kind {
	case credToken:
		return "the IAM token (" + c.from + ")"
	case credAKSK:
		ak := cfg.Get("logs.access-key")
		akFrom := "not set"
		if ak.Value != "" {
			akFrom = "logs.access-key from " + ak.Source
		}
		skFrom := "--secret-key-stdin"
		if sk := cfg.Get("logs.secret-key"); !c.skStdin {
			skFrom = "not set"
			if sk.Value != "" {
				skFrom = "logs.secret-key from " + sk.Source
			}
		}
		return "requests signed with access key " + orNone(ak.Value) + " (" + akFrom + ") and its secret key (" + skFrom + ")"
	case credIAM:
		return fmt.Sprintf("a token for IAM user %s in account %s, cached until 5 minutes before it expires (%s)",
			orNone(cfg.String("logs.iam-user")), orNone(cfg.String("logs.iam-domain")), c.from)
	}
	return "none set: diagctl asks for an IAM token on a terminal"
}

func orNone(s string) string {
	if s == "" {
		return "(none set)"
	}
	return s
}

// iamAtHand: an IAM user and account are set, so an expired token can be
// replaced by logging in (the password is asked for when needed).
func iamAtHand(cfg *config.Config) bool {
	return cfg.String("logs.iam-user") != "" && cfg.String("logs.iam-domain") != ""
}

// errNoCredential lists the three ways to authenticate.
var errNoCredential = exit.UsageErrorf(
	"give one of: an IAM token (DIAGCTL_LOGS_TOKEN or --token-stdin); an access key and secret key (DIAGCTL_LOGS_ACCESS_KEY with DIAGCTL_LOGS_SECRET_KEY or --secret-key-stdin); an IAM user, account and password (DIAGCTL_LOGS_IAM_USER, DIAGCTL_LOGS_IAM_DOMAIN, DIAGCTL_LOGS_IAM_PASSWORD or --iam-password-stdin)",
	"no CodeArts Check credential, and stdin is not a terminal to ask for a token")

// CredentialNote is the line `config list` adds for CodeArts Check: the
// credential a `logs download` with these settings would use.
func CredentialNote(cfg *config.Config) string {
	return "logs credential: " + chooseCredential(cfg, stdinFlags{}).describe(cfg) +
		" (precedence: IAM token, then access key and secret key, then IAM password)"
}

// unusedStdin refuses a --*-stdin flag whose secret the precedence does
// not use: reading it would silently do nothing.
func unusedStdin(cfg *config.Config, c credential, in stdinFlags) error {
	winner := c.describe(cfg)
	switch {
	case in.SecretKey && c.kind != credAKSK:
		return exit.UsageErrorf("unset the token to sign with the access key and secret key", "--secret-key-stdin is not used: %s comes first", winner)
	case in.Password && c.kind == credAKSK:
		return exit.UsageErrorf("unset logs.access-key and logs.secret-key to log in with the IAM password", "--iam-password-stdin is not used: %s comes first", winner)
	}
	return nil
}

// bindIAMFlags registers the IAM settings flags on the logs group.
func bindIAMFlags(f *cmdutil.Factory, cmd *cobra.Command) {
	pf := cmd.PersistentFlags()
	pf.String("iam-user", "", "IAM user name, to get a token with a password (env DIAGCTL_LOGS_IAM_USER)")
	pf.String("iam-domain", "", "account (domain) name of the IAM user (env DIAGCTL_LOGS_IAM_DOMAIN)")
	pf.String("iam-user-id", "", "IAM user id, needed for MFA logins (env DIAGCTL_LOGS_IAM_USER_ID)")
	pf.String("iam-endpoint", "", "IAM endpoint URL (default https://iam.<region>.myhuaweicloud.com; env DIAGCTL_LOGS_IAM_ENDPOINT)")
	for _, name := range []string{"iam-user", "iam-domain", "iam-user-id", "iam-endpoint"} {
		f.BindFlag("logs."+name, pf.Lookup(name))
	}
}
