package emulator

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func loginBody(domain, user, password string) string {
	return `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"` + user + `","password":"` + password +
		`","domain":{"name":"` + domain + `"}}}},"scope":{"project":{"name":"cn-north-4"}}}}`
}

func mfaBody(user, id, code string) string {
	return `{"auth":{"identity":{"methods":["password","totp"],"password":{"user":{"name":"` + user + `","password":"` + IAMPassword +
		`","domain":{"name":"` + IAMDomain + `"}}},"totp":{"user":{"id":"` + id + `","passcode":"` + code + `"}}},"scope":{"project":{"name":"cn-north-4"}}}}`
}

type tokenAnswer struct {
	Token struct {
		ExpiresAt string   `json:"expires_at"`
		IssuedAt  string   `json:"issued_at"`
		Methods   []string `json:"methods"`
		User      struct {
			ID, Name string
		} `json:"user"`
		Project struct {
			ID, Name string
		} `json:"project"`
		Catalog []any `json:"catalog"`
	} `json:"token"`
}

func jsonCT(r *http.Request) { r.Header.Set("Content-Type", "application/json;charset=UTF-8") }

func TestIAMTokens(t *testing.T) {
	clk := &fakeClock{t: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	_, base := serve(t, Options{Now: clk.Now})
	tests := []struct {
		name, body string
		life       time.Duration
		userID     string
	}{
		{"password", loginBody(IAMDomain, IAMUser, IAMPassword), 24 * time.Hour, IAMUserID},
		{"mfa", mfaBody(IAMMFAUser, IAMMFAUserID, IAMMFACode), 24 * time.Hour, IAMMFAUserID},
		{"short", loginBody(IAMDomain, IAMShortUser, IAMPassword), 6 * time.Minute, IAMShortID},
		{"expired", loginBody(IAMDomain, IAMExpiredUser, IAMPassword), -time.Minute, IAMExpiredID},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, "POST", base+"/v3/auth/tokens?nocatalog=true", tt.body, jsonCT)
			if a.status != 201 {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
			tok := a.header.Get("X-Subject-Token")
			if !strings.HasPrefix(tok, "MIIS") || seen[tok] {
				t.Errorf("token %q (fresh: %v)", tok, !seen[tok])
			}
			seen[tok] = true
			var b tokenAnswer
			decode(t, a.body, &b)
			if want := clk.Now().Add(tt.life).Format("2006-01-02T15:04:05.000000Z"); b.Token.ExpiresAt != want {
				t.Errorf("expires_at %s, want %s", b.Token.ExpiresAt, want)
			}
			if b.Token.IssuedAt != "2024-05-06T07:08:09.000000Z" || b.Token.User.ID != tt.userID || b.Token.Project.Name != "cn-north-4" || b.Token.Project.ID == "" {
				t.Errorf("token body %s", a.body)
			}
			if b.Token.Catalog != nil {
				t.Error("a catalog despite nocatalog=true")
			}
		})
	}
}

func TestIAMRefusals(t *testing.T) {
	_, base := serve(t, Options{})
	tests := []struct {
		name, method, body string
		status             int
		want               string // in the body
	}{
		{"wrong password", "POST", loginBody(IAMDomain, IAMUser, "nope"), 401, `"message":"The username or password is wrong."`},
		{"unknown user", "POST", loginBody(IAMDomain, "nobody", IAMPassword), 401, `"code":401`},
		{"wrong domain", "POST", loginBody("other", IAMUser, IAMPassword), 401, "The username or password is wrong."},
		{"locked", "POST", loginBody(IAMDomain, IAMLockedUser, IAMPassword), 401, `"error_code":"IAM.0102"`},
		{"locked, wrong password", "POST", loginBody(IAMDomain, IAMLockedUser, "x"), 401, "locked"},
		{"mfa without totp", "POST", loginBody(IAMDomain, IAMMFAUser, IAMPassword), 401, `"code":"IAM.0113"`},
		{"mfa wrong code", "POST", mfaBody(IAMMFAUser, IAMMFAUserID, "000000"), 401, "verification code is incorrect"},
		{"mfa wrong user id", "POST", mfaBody(IAMMFAUser, IAMUserID, IAMMFACode), 401, "totp"},
		{"mfa, wrong password first", "POST", strings.Replace(mfaBody(IAMMFAUser, IAMMFAUserID, IAMMFACode), IAMPassword, "x", 1), 401, "username or password"},
		{"no scope", "POST", `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"logs-user","password":"iam-pass-0001","domain":{"name":"emulator-account"}}}}}}`, 400, "scope"},
		{"other method", "POST", `{"auth":{"identity":{"methods":["token"]}}}`, 400, "methods"},
		{"not json", "POST", `{`, 400, "JSON"},
		{"GET", "GET", "", 405, `"code":405`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, tt.method, base+"/v3/auth/tokens", tt.body, jsonCT)
			if a.status != tt.status || !strings.Contains(string(a.body), tt.want) {
				t.Errorf("%d %s; want %d with %s", a.status, a.body, tt.status, tt.want)
			}
			if a.header.Get("X-Subject-Token") != "" {
				t.Error("a token with an error")
			}
			if !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", a.header.Get("Content-Type"))
			}
		})
	}
}

// Tokens from IAM open the CodeArts path until their expires_at, by the
// emulator's clock; then CodeArts answers 401 CC.00000003.
func TestIAMTokenOnCodeArts(t *testing.T) {
	clk := &fakeClock{t: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	_, base := serve(t, Options{Now: clk.Now})
	get := func(user string) string {
		a := call(t, "POST", base+"/v3/auth/tokens", loginBody(IAMDomain, user, IAMPassword), jsonCT)
		if a.status != 201 {
			t.Fatalf("%s: %d %s", user, a.status, a.body)
		}
		return a.header.Get("X-Subject-Token")
	}
	download := func(token string) answer {
		return call(t, "GET", logsURL(base, SubJobOK), "", withHeaders("X-Auth-Token", token))
	}
	long, short, expired := get(IAMUser), get(IAMShortUser), get(IAMExpiredUser)
	for name, tok := range map[string]string{"long": long, "short": short} {
		if a := download(tok); a.status != 200 {
			t.Errorf("%s token: %d %s", name, a.status, a.body)
		}
	}
	isExpired := func(a answer) bool {
		return a.status == 401 && strings.Contains(string(a.body), `"error_code":"CC.00000003"`) &&
			strings.Contains(string(a.body), "Authentication information expired.")
	}
	if a := download(expired); !isExpired(a) {
		t.Errorf("expired-user token: %d %s", a.status, a.body)
	}
	clk.Advance(6*time.Minute - time.Second)
	if a := download(short); a.status != 200 {
		t.Errorf("short token 1 s before expiry: %d", a.status)
	}
	clk.Advance(time.Second)
	if a := download(short); !isExpired(a) {
		t.Errorf("short token at expiry: %d %s", a.status, a.body)
	}
	if a := download(long); a.status != 200 {
		t.Errorf("long token after 6 min: %d", a.status)
	}
	// A new token does not revoke the old one.
	if get(IAMUser) == long {
		t.Error("the same token twice")
	}
	if a := download(long); a.status != 200 {
		t.Errorf("old token after a new login: %d", a.status)
	}
	// An unknown token is still the gateway's business.
	if a := download("MIISemuIAMforged"); a.status != 401 || !strings.Contains(string(a.body), "APIGW.0301") {
		t.Errorf("forged token: %d %s", a.status, a.body)
	}
}

func TestDescribeIAM(t *testing.T) {
	var b strings.Builder
	New(Options{}).Describe(&b, "http://127.0.0.1:9999")
	out := b.String()
	for _, want := range []string{
		"POST /v3/auth/tokens", IAMDomain, IAMPassword, IAMUser, IAMUserID, IAMMFAUser, IAMMFAUserID, IAMMFACode,
		IAMShortUser, IAMExpiredUser, IAMLockedUser, LogsAccessKey, LogsSecretKey,
		"export DIAGCTL_LOGS_IAM_ENDPOINT=http://127.0.0.1:9999",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("description lacks %q", want)
		}
	}
}
