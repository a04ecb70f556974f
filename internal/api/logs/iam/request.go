// Package iam holds the pieces of a Huawei Cloud IAM token login that do
// not depend on how commands send HTTP: the endpoint, the password (and
// MFA) request body, the 201 answer, IAM's error bodies, and the token
// cache. The caller sends the request built here with the shared HTTP
// layer and hands the answer back to ParseToken or DecodeError.
//
// The request (FACTS.md section 2, IAM API reference "Obtaining a User
// Token Through Password [and Virtual MFA] Authentication"):
//
//	POST https://iam.<region>.myhuaweicloud.com/v3/auth/tokens?nocatalog=true
//	Content-Type: application/json;charset=UTF-8
//	{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":U,"password":P,"domain":{"name":D}}}},
//	         "scope":{"project":{"name":"cn-north-4"}}}}
//
// With MFA the methods are ["password","totp"] and identity gains
// "totp":{"user":{"id":USER_ID,"passcode":"123456"}}. The token comes back
// in the X-Subject-Token header of a 201.
package iam

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sync"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// ContentType is what IAM's reference sends with the token request.
const ContentType = "application/json;charset=UTF-8"

// SubjectTokenHeader carries the new token in IAM's 201 answer. It is a
// secret: the trace must redact it (httpx already does).
const SubjectTokenHeader = "X-Subject-Token"

var regionName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+$`) })

// Endpoint resolves the IAM base URL: the iam-endpoint setting when set,
// else https://iam.<region>.myhuaweicloud.com.
func Endpoint(endpoint, region string) (*url.URL, error) {
	if endpoint != "" {
		return httpx.BaseURL(endpoint, "--iam-endpoint / DIAGCTL_LOGS_IAM_ENDPOINT / logs.iam-endpoint")
	}
	if region == "" {
		return nil, exit.UsageErrorf("pass --region (e.g. cn-north-4) or --iam-endpoint, or set DIAGCTL_LOGS_REGION or DIAGCTL_LOGS_IAM_ENDPOINT",
			"no IAM endpoint or region to get a token from")
	}
	if !regionName().MatchString(region) {
		return nil, exit.UsageErrorf("a region looks like cn-north-4 or ap-southeast-3", "%q is not a Huawei Cloud region", region)
	}
	return httpx.BaseURL("https://iam."+region+".myhuaweicloud.com", "--region")
}

// PasswordLogin is what a password (and optionally MFA) login needs.
type PasswordLogin struct {
	Domain   string // account (domain) name: logs.iam-domain
	User     string // IAM user name: logs.iam-user
	Password string // logs.iam-password; never cached, never printed
	// Project is the project the token is scoped to: for CodeArts Check
	// the region's default project, named like the region (cn-north-4).
	Project string
	// UserID is the IAM user's id, which the TOTP part of the body names
	// (console: "My Credentials"). Needed only with MFACode.
	UserID string
	// MFACode is the one-time code from the virtual MFA device; "" for a
	// password-only login.
	MFACode string
}

// Where each setting comes from, for messages.
const (
	userSetting     = "--iam-user / DIAGCTL_LOGS_IAM_USER / logs.iam-user"
	domainSetting   = "--iam-domain / DIAGCTL_LOGS_IAM_DOMAIN / logs.iam-domain"
	passwordSetting = "--iam-password-stdin / DIAGCTL_LOGS_IAM_PASSWORD / logs.iam-password"
	userIDSetting   = "--iam-user-id / DIAGCTL_LOGS_IAM_USER_ID / logs.iam-user-id"
)

var mfaCode = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{6}$`) })

// Validate checks the login before anything is sent (exit 2 errors that
// name the setting to fix). It does not prompt: the command asks for a
// missing password or MFA code first, then validates.
func (p PasswordLogin) Validate() error {
	switch {
	case p.User == "":
		return exit.UsageErrorf("set the IAM user name: "+userSetting, "no IAM user name for a token")
	case p.Domain == "":
		return exit.UsageErrorf("set the account (domain) name the IAM user belongs to: "+domainSetting+" (the console shows it under My Credentials as \"Account Name\")", "no IAM account (domain) name for a token")
	case p.Password == "":
		return exit.UsageErrorf("give the IAM password: "+passwordSetting+", or run on a terminal to be asked", "no IAM password for a token")
	case p.Project == "":
		return exit.UsageErrorf("pass --region (e.g. cn-north-4) or set DIAGCTL_LOGS_REGION: the token is scoped to the region's project", "no project (region) to scope the IAM token to")
	case p.MFACode != "" && p.UserID == "":
		return ErrMFANeedsUserID
	case p.MFACode != "" && !mfaCode().MatchString(p.MFACode):
		return exit.UsageErrorf("give the 6-digit code your virtual MFA device shows now", "the MFA code must be 6 digits")
	}
	return nil
}

// ErrMFANeedsUserID: the TOTP part of an MFA login names the user by id,
// which diagctl cannot look up before it has a token.
var ErrMFANeedsUserID = exit.UsageErrorf(
	"set the IAM user id: "+userIDSetting+" (the console shows it under My Credentials as \"IAM User ID\")",
	"an MFA login needs the IAM user's id, not only its name")

type body struct {
	Auth struct {
		Identity identity `json:"identity"`
		Scope    struct {
			Project struct {
				Name string `json:"name"`
			} `json:"project"`
		} `json:"scope"`
	} `json:"auth"`
}

type identity struct {
	Methods  []string `json:"methods"`
	Password struct {
		User struct {
			Name     string `json:"name"`
			Password string `json:"password"`
			Domain   struct {
				Name string `json:"name"`
			} `json:"domain"`
		} `json:"user"`
	} `json:"password"`
	TOTP *totp `json:"totp,omitempty"`
}

type totp struct {
	User struct {
		ID       string `json:"id"`
		Passcode string `json:"passcode"`
	} `json:"user"`
}

// Body is the JSON request body. It holds the password: never log it.
func (p PasswordLogin) Body() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var b body
	id := &b.Auth.Identity
	id.Methods = []string{"password"}
	id.Password.User.Name = p.User
	id.Password.User.Password = p.Password
	id.Password.User.Domain.Name = p.Domain
	if p.MFACode != "" {
		id.Methods = append(id.Methods, "totp")
		id.TOTP = &totp{}
		id.TOTP.User.ID = p.UserID
		id.TOTP.User.Passcode = p.MFACode
	}
	b.Auth.Scope.Project.Name = p.Project
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // a password with "<" or "&" goes as typed
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// TokensPath is the token API below the IAM endpoint.
const TokensPath = "/v3/auth/tokens"

// TokenRequest builds POST <base>/v3/auth/tokens?nocatalog=true (the
// catalog is tens of kilobytes nobody here reads). Retrying a password
// login creates nothing that matters (a new token does not revoke older
// ones), but an MFA code may be accepted only once (unconfirmed): a retry
// of an MFA login that may have reached IAM can fail with a "wrong code".
func TokenRequest(ctx context.Context, base *url.URL, p PasswordLogin) (*http.Request, error) {
	b, err := p.Body()
	if err != nil {
		return nil, err
	}
	u := base.JoinPath("v3", "auth", "tokens")
	u.RawQuery = "nocatalog=true"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Accept", "application/json")
	return req, nil
}
