package iam

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

func TestEndpoint(t *testing.T) {
	for _, tt := range []struct{ endpoint, region, want string }{
		{"", "cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com"},
		{"", "ap-southeast-3", "https://iam.ap-southeast-3.myhuaweicloud.com"},
		{"http://127.0.0.1:8080/", "cn-north-4", "http://127.0.0.1:8080"},
		{"iam.example.com", "", "https://iam.example.com"},
	} {
		u, err := Endpoint(tt.endpoint, tt.region)
		if err != nil {
			t.Errorf("Endpoint(%q, %q): %v", tt.endpoint, tt.region, err)
			continue
		}
		if u.String() != tt.want {
			t.Errorf("Endpoint(%q, %q) = %s, want %s", tt.endpoint, tt.region, u, tt.want)
		}
	}
	for _, tt := range []struct{ endpoint, region, mention string }{
		{"", "", "--iam-endpoint"},
		{"", "CN North 4", "region"},
		{"ftp://x", "", "--iam-endpoint"},
	} {
		_, err := Endpoint(tt.endpoint, tt.region)
		if exit.Code(err) != exit.Usage || !strings.Contains(err.Error()+exit.Hint(err), tt.mention) {
			t.Errorf("Endpoint(%q, %q) = %v (hint %q), want a usage error naming %s", tt.endpoint, tt.region, err, exit.Hint(err), tt.mention)
		}
	}
}

var login = PasswordLogin{Domain: "acme", User: "alice", Password: `p"w<&>\x`, Project: "cn-north-4"}

func TestBodyPassword(t *testing.T) {
	b, err := login.Body()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","password":"p\"w<&>\\x","domain":{"name":"acme"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`
	if string(b) != want {
		t.Errorf("body\n%s\nwant\n%s", b, want)
	}
}

func TestBodyMFA(t *testing.T) {
	p := login
	p.UserID, p.MFACode = "0a1b2c3d4e5f", "123456"
	b, err := p.Body()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"auth":{"identity":{"methods":["password","totp"],"password":{"user":{"name":"alice","password":"p\"w<&>\\x","domain":{"name":"acme"}}},"totp":{"user":{"id":"0a1b2c3d4e5f","passcode":"123456"}}},"scope":{"project":{"name":"cn-north-4"}}}}`
	if string(b) != want {
		t.Errorf("body\n%s\nwant\n%s", b, want)
	}
}

func TestValidate(t *testing.T) {
	with := func(f func(*PasswordLogin)) PasswordLogin { p := login; f(&p); return p }
	for name, tt := range map[string]struct {
		p       PasswordLogin
		mention string
	}{
		"no user":       {with(func(p *PasswordLogin) { p.User = "" }), "DIAGCTL_LOGS_IAM_USER"},
		"no domain":     {with(func(p *PasswordLogin) { p.Domain = "" }), "DIAGCTL_LOGS_IAM_DOMAIN"},
		"no password":   {with(func(p *PasswordLogin) { p.Password = "" }), "--iam-password-stdin"},
		"no project":    {with(func(p *PasswordLogin) { p.Project = "" }), "--region"},
		"mfa no userid": {with(func(p *PasswordLogin) { p.MFACode = "123456" }), "My Credentials"},
		"mfa bad code":  {with(func(p *PasswordLogin) { p.MFACode = "12345"; p.UserID = "u" }), "6 digits"},
	} {
		err := tt.p.Validate()
		if exit.Code(err) != exit.Usage || !strings.Contains(err.Error()+" "+exit.Hint(err), tt.mention) {
			t.Errorf("%s: %v (hint %q), want a usage error mentioning %q", name, err, exit.Hint(err), tt.mention)
		}
		if _, berr := tt.p.Body(); berr == nil {
			t.Errorf("%s: Body built a request anyway", name)
		}
	}
	// The MFA user-id error names all three places the id can come from.
	err := with(func(p *PasswordLogin) { p.MFACode = "123456" }).Validate()
	if !errors.Is(err, ErrMFANeedsUserID) {
		t.Errorf("err = %v, want ErrMFANeedsUserID", err)
	}
	for _, s := range []string{"--iam-user-id", "DIAGCTL_LOGS_IAM_USER_ID", "logs.iam-user-id"} {
		if !strings.Contains(exit.Hint(err), s) {
			t.Errorf("hint %q lacks %s", exit.Hint(err), s)
		}
	}
	if err := login.Validate(); err != nil {
		t.Errorf("a complete login: %v", err)
	}
}

func TestTokenRequest(t *testing.T) {
	base, _ := url.Parse("https://iam.cn-north-4.myhuaweicloud.com/prefix")
	req, err := TokenRequest(context.Background(), base, login)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.URL.String() != "https://iam.cn-north-4.myhuaweicloud.com/prefix/v3/auth/tokens?nocatalog=true" {
		t.Errorf("%s %s", req.Method, req.URL)
	}
	if req.Header.Get("Content-Type") != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type %q", req.Header.Get("Content-Type"))
	}
	b, _ := io.ReadAll(req.Body)
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Errorf("body is not JSON: %v", err)
	}
	// GetBody lets the shared layer resend it after a transient failure.
	if req.GetBody == nil || req.ContentLength != int64(len(b)) {
		t.Error("the body cannot be replayed or has no length")
	}
	if _, err := TokenRequest(context.Background(), base, PasswordLogin{}); exit.Code(err) != exit.Usage {
		t.Errorf("empty login: %v", err)
	}
}
