package logs

import (
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// The precedence: an explicit token, then AK/SK, then the IAM password.
func TestChooseCredential(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		in   stdinFlags
		want credKind
		desc string
	}{
		{"nothing", nil, stdinFlags{}, credNone, "none set"},
		{"token env", map[string]string{"DIAGCTL_LOGS_TOKEN": "SECRETTOKEN", "DIAGCTL_LOGS_ACCESS_KEY": "AK", "DIAGCTL_LOGS_IAM_USER": "u"}, stdinFlags{}, credToken, "logs.token from env DIAGCTL_LOGS_TOKEN"},
		{"token stdin beats AK/SK", map[string]string{"DIAGCTL_LOGS_ACCESS_KEY": "AK", "DIAGCTL_LOGS_SECRET_KEY": "SECRETSK"}, stdinFlags{Token: true}, credToken, "--token-stdin"},
		{"AK/SK beats IAM", map[string]string{"DIAGCTL_LOGS_ACCESS_KEY": "AK", "DIAGCTL_LOGS_SECRET_KEY": "SECRETSK", "DIAGCTL_LOGS_IAM_USER": "u"}, stdinFlags{}, credAKSK, "access key AK (logs.access-key from env DIAGCTL_LOGS_ACCESS_KEY) and its secret key (logs.secret-key from env DIAGCTL_LOGS_SECRET_KEY)"},
		{"SK from stdin", map[string]string{"DIAGCTL_LOGS_ACCESS_KEY": "AK"}, stdinFlags{SecretKey: true}, credAKSK, "(--secret-key-stdin)"},
		{"SK alone is AK/SK (and then an error)", map[string]string{"DIAGCTL_LOGS_SECRET_KEY": "SECRETSK"}, stdinFlags{}, credAKSK, "access key (none set) (not set)"},
		{"IAM user", map[string]string{"DIAGCTL_LOGS_IAM_USER": "u", "DIAGCTL_LOGS_IAM_DOMAIN": "d"}, stdinFlags{}, credIAM, "IAM user u in account d"},
		{"IAM password stdin", nil, stdinFlags{Password: true}, credIAM, "(--iam-password-stdin)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := cmdutiltest.NewFactory(t, ios, tt.env)
			cfg, err := f.Config()
			if err != nil {
				t.Fatal(err)
			}
			c := chooseCredential(cfg, tt.in)
			if c.kind != tt.want || !strings.Contains(c.describe(cfg), tt.desc) {
				t.Errorf("kind %d %q, want %d containing %q", c.kind, c.describe(cfg), tt.want, tt.desc)
			}
			if d := c.describe(cfg); strings.Contains(d, "SECRETSK") || strings.Contains(d, "SECRETTOKEN") {
				t.Errorf("describe shows a secret: %q", d)
			}
		})
	}
}

func TestStdinFlagsCheck(t *testing.T) {
	for _, tt := range []struct {
		in      stdinFlags
		idsIn   bool
		wantErr string
	}{
		{stdinFlags{}, true, ""},
		{stdinFlags{Token: true}, false, ""},
		{stdinFlags{Token: true, Password: true}, false, "--token-stdin and --iam-password-stdin all want stdin"},
		{stdinFlags{SecretKey: true, Password: true, Token: true}, false, "--token-stdin and --secret-key-stdin and --iam-password-stdin"},
		{stdinFlags{SecretKey: true}, true, "--secret-key-stdin and --from-file - both want stdin"},
	} {
		err := tt.in.check(tt.idsIn)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) || exit.Code(err) != exit.Usage {
			t.Errorf("%+v: %v, want %q", tt.in, err, tt.wantErr)
		}
	}
}
