package iam

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
)

// sendLogin sends one token request to the emulator the way the command will
// (the shared layer's part reduced to: 2xx -> ParseToken, else DecodeError).
func sendLogin(t *testing.T, base *url.URL, p PasswordLogin) (Token, error) {
	t.Helper()
	req, err := TokenRequest(context.Background(), base, p)
	if err != nil {
		return Token{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		e := DecodeError(resp, body)
		e.Service, e.Status = "logs", resp.StatusCode
		return Token{}, e
	}
	return ParseToken(resp, body)
}

func emulatorIAM(t *testing.T, now func() time.Time) (*emulator.Emulator, *url.URL) {
	e := emulator.New(emulator.Options{Now: now})
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	base, err := Endpoint(ts.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	return e, base
}

func TestAgainstEmulator(t *testing.T) {
	_, base := emulatorIAM(t, nil)
	user := PasswordLogin{Domain: emulator.IAMDomain, User: emulator.IAMUser, Password: emulator.IAMPassword, Project: "cn-north-4"}
	tok, err := sendLogin(t, base, user)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.Value, "MIIS") || tok.UserID != emulator.IAMUserID || time.Until(tok.ExpiresAt) < 23*time.Hour {
		t.Errorf("token %+v", tok)
	}

	wrong := user
	wrong.Password = "nope"
	_, err = sendLogin(t, base, wrong)
	if exit.Code(err) != exit.Auth || MFARequired(err) || !strings.Contains(exit.Hint(err), "password") {
		t.Errorf("wrong password: %v (exit %d, hint %q)", err, exit.Code(err), exit.Hint(err))
	}
	if strings.Contains(err.Error()+exit.Hint(err), "nope") {
		t.Error("the password appears in the error")
	}

	locked := user
	locked.User = emulator.IAMLockedUser
	_, err = sendLogin(t, base, locked)
	if exit.Code(err) != exit.Auth || !strings.Contains(exit.Hint(err), "unlock") {
		t.Errorf("locked: %v (hint %q)", err, exit.Hint(err))
	}

	mfa := user
	mfa.User = emulator.IAMMFAUser
	_, err = sendLogin(t, base, mfa)
	if !MFARequired(err) || exit.Code(err) != exit.Auth {
		t.Fatalf("MFA user without a code: %v, want MFARequired", err)
	}
	mfa.MFACode = emulator.IAMMFACode
	if _, err := sendLogin(t, base, mfa); !errors.Is(err, ErrMFANeedsUserID) {
		t.Errorf("MFA code without user id: %v", err)
	}
	mfa.UserID = emulator.IAMMFAUserID
	if tok, err := sendLogin(t, base, mfa); err != nil || tok.UserID != emulator.IAMMFAUserID {
		t.Errorf("MFA login: %+v %v", tok, err)
	}
	mfa.MFACode = "000000"
	if _, err := sendLogin(t, base, mfa); !MFARequired(err) {
		t.Errorf("wrong MFA code: %v, want MFARequired", err)
	}
}

// The six-minute token is cached, reused for one minute, then refreshed
// with a new login; the cache never gives out a token CodeArts refuses.
func TestCacheWithShortTokens(t *testing.T) {
	clk := &clock{t: time.Now().UTC()}
	e, base := emulatorIAM(t, clk.now)
	c := &Cache{Dir: t.TempDir(), Now: clk.now}
	p := PasswordLogin{Domain: emulator.IAMDomain, User: emulator.IAMShortUser, Password: emulator.IAMPassword, Project: "cn-north-4"}
	k := CacheKey{Endpoint: base.String(), Domain: p.Domain, User: p.User, Project: p.Project}
	logins := 0
	get := func() Token {
		if tok, ok := c.Load(k); ok {
			return tok
		}
		logins++
		tok, err := sendLogin(t, base, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Store(k, tok); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	first := get()
	clk.t = clk.t.Add(50 * time.Second)
	if get() != first || logins != 1 {
		t.Errorf("not reused within the first minute (%d logins)", logins)
	}
	clk.t = clk.t.Add(20 * time.Second)
	if get() == first || logins != 2 {
		t.Errorf("not refreshed after a minute (%d logins)", logins)
	}
	n := 0
	for _, r := range e.Received() {
		if r.Path == TokensPath {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d IAM requests, want 2", n)
	}
}
