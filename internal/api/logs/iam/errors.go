package iam

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

// IAM answers errors in two shapes, both handled:
//
//	{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}
//	{"error_code":"IAM.0102","error_msg":"...","request_id":"..."}
//
// The first is Keystone's (seen from Huawei-based IAM for a wrong password;
// "code" is a number there, a string in some answers); the second is
// Huawei's own and the API gateway's (APIGW.*). **Unconfirmed**: which
// codes and texts IAM sends for a wrong password, a locked user and a
// missing MFA code. The recognisers below therefore look at the words
// too, and every answer keeps IAM's own text in the message.

type keystoneError struct {
	Error *struct {
		Code    json.RawMessage `json:"code"` // 401 or "IAM.xxxx"
		Message string          `json:"message"`
		Title   string          `json:"title"`
	} `json:"error"`
}

type huaweiError struct {
	Code    string `json:"error_code"`
	Message string `json:"error_msg"`
}

// What the user should check, by cause.
const (
	nextCredentials = "check the IAM user, account (domain) name and password (" + userSetting + ", " + domainSetting + ", " + passwordSetting + "); diagctl config list shows where each comes from"
	nextLocked      = "the IAM user is locked (too many wrong passwords, or disabled): wait for the lock to expire or ask the account administrator to unlock it in the IAM console"
	nextMFA         = "the IAM user has MFA login protection: run on a terminal to be asked for the code, or pass --mfa-code with the 6-digit code your virtual MFA device shows; the login also needs " + userIDSetting
	nextForbidden   = "IAM refused the login: the user may lack programmatic access, or the account restricts the IPs or networks logins may come from; ask the account administrator"
	nextRejected    = "IAM refused the request: check the account (domain) name and the region, which names the project the token is scoped to"
	nextEndpoint    = "check --iam-endpoint / DIAGCTL_LOGS_IAM_ENDPOINT: it should be https://iam.<region>.myhuaweicloud.com"
)

// DecodeError maps an IAM error answer to an APIError for the shared
// HTTP layer (which fills in Service and Status). Passwords never appear
// in IAM's answers, so the message is IAM's own text.
func DecodeError(resp *http.Response, body []byte) *httpx.APIError {
	e := &httpx.APIError{}
	var k keystoneError
	var h huaweiError
	switch {
	case json.Unmarshal(body, &k) == nil && k.Error != nil:
		e.Code, e.Message = rawCode(k.Error.Code), k.Error.Message
		if e.Message == "" {
			e.Message = k.Error.Title
		}
	case json.Unmarshal(body, &h) == nil && (h.Code != "" || h.Message != ""):
		e.Code, e.Message = h.Code, h.Message
	}
	switch {
	case mfaWanted(e.Code, e.Message):
		e.Exit, e.Next = exit.Auth, nextMFA
	case locked(e.Message):
		e.Exit, e.Next = exit.Auth, nextLocked
	case resp.StatusCode == http.StatusUnauthorized:
		e.Next = nextCredentials
	case resp.StatusCode == http.StatusForbidden:
		e.Next = nextForbidden
	case resp.StatusCode == http.StatusNotFound:
		e.Next = nextEndpoint
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		e.Next = nextRejected
	}
	return e
}

// rawCode turns a JSON number or string into text ("401", "IAM.0102").
func rawCode(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := strconv.ParseFloat(string(n), 64); err == nil {
			return string(n)
		}
	}
	return ""
}

// MFACodeRequired is the code the emulator sends when a login needs an MFA
// code; real IAM's code is unconfirmed, so its words are matched as well.
const MFACodeRequired = "IAM.0113"

// mfaWanted recognises "this login needs (another) MFA code". Unconfirmed
// beyond the emulator: real IAM's wording is matched loosely.
func mfaWanted(code, msg string) bool {
	if code == MFACodeRequired {
		return true
	}
	m := strings.ToLower(msg)
	for _, w := range []string{"mfa", "totp", "verification code", "passcode", "login protection", "multi-factor"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

func locked(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "locked") || strings.Contains(m, "frozen") || strings.Contains(m, "disabled")
}

// MFARequired reports whether err is IAM asking for an MFA code. After a
// password-only login the command should ask for the code (on a
// terminal) and log in again with PasswordLogin.MFACode set; after a
// login that carried a code it means the code was wrong or used.
func MFARequired(err error) bool {
	var e *httpx.APIError
	return errors.As(err, &e) && mfaWanted(e.Code, e.Message)
}
