package iam

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

func answer(status int, token string) *http.Response {
	h := http.Header{}
	if token != "" {
		h.Set("X-Subject-Token", token)
	}
	return &http.Response{StatusCode: status, Header: h}
}

// The shape of IAM reference's example answer (trimmed).
const okBody = `{"token":{"expires_at":"2024-05-07T07:08:09.123000Z","issued_at":"2024-05-06T07:08:09.123000Z",
 "methods":["password"],"user":{"id":"0a1b2c3d4e5f","name":"alice","domain":{"id":"d1","name":"acme"}},
 "project":{"id":"p1","name":"cn-north-4","domain":{"id":"d1","name":"acme"}},"roles":[]}}`

func TestParseToken(t *testing.T) {
	tok, err := ParseToken(answer(201, "MIIStoken"), []byte(okBody))
	if err != nil {
		t.Fatal(err)
	}
	want := Token{
		Value:     "MIIStoken",
		ExpiresAt: time.Date(2024, 5, 7, 7, 8, 9, 123000000, time.UTC),
		IssuedAt:  time.Date(2024, 5, 6, 7, 8, 9, 123000000, time.UTC),
		UserID:    "0a1b2c3d4e5f", ProjectID: "p1",
	}
	if tok != want {
		t.Errorf("got %+v\nwant %+v", tok, want)
	}
	// An offset and no zone both read as the same instant in UTC.
	for _, ts := range []string{"2024-05-07T09:08:09.123+02:00", "2024-05-07T07:08:09.123000"} {
		tok, err := ParseToken(answer(201, "t"), []byte(`{"token":{"expires_at":"`+ts+`"}}`))
		if err != nil || !tok.ExpiresAt.Equal(want.ExpiresAt) || tok.ExpiresAt.Location() != time.UTC {
			t.Errorf("%s: %v %v", ts, tok.ExpiresAt, err)
		}
	}
}

func TestParseTokenRefuses(t *testing.T) {
	for name, tt := range map[string]struct {
		resp *http.Response
		body string
	}{
		"no header":      {answer(201, ""), okBody},
		"no expiry":      {answer(201, "t"), `{"token":{}}`},
		"bad expiry":     {answer(201, "t"), `{"token":{"expires_at":"tomorrow"}}`},
		"not json":       {answer(201, "t"), `<html>`},
		"error status":   {answer(401, "t"), okBody},
		"control chars":  {answer(201, "t\x1b[2J"), okBody},
		"too long token": {answer(201, strings.Repeat("x", MaxTokenLength+1)), okBody},
	} {
		if _, err := ParseToken(tt.resp, []byte(tt.body)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if exit.Code(err) == exit.OK {
			t.Errorf("%s: no exit status", name)
		}
	}
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		code   string
		msg    string
		exit   int
		next   string // part of the hint
		mfa    bool
	}{
		{"keystone wrong password", 401, `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`,
			"401", "The username or password is wrong.", exit.Auth, "DIAGCTL_LOGS_IAM_PASSWORD", false},
		{"keystone string code", 401, `{"error":{"code":"IAM.0101","message":"","title":"Unauthorized"}}`,
			"IAM.0101", "Unauthorized", exit.Auth, "logs.iam-user", false},
		{"huawei locked", 401, `{"error_code":"IAM.0102","error_msg":"The user is locked. Try again later."}`,
			"IAM.0102", "The user is locked. Try again later.", exit.Auth, "unlock", false},
		{"mfa by code", 401, `{"error":{"code":"IAM.0113","message":"Second factor needed.","title":"Unauthorized"}}`,
			"IAM.0113", "Second factor needed.", exit.Auth, "--mfa-code", true},
		{"mfa by words", 400, `{"error_code":"IAM.9999","error_msg":"The verification code is incorrect."}`,
			"IAM.9999", "The verification code is incorrect.", exit.Auth, "--iam-user-id", true},
		{"forbidden", 403, `{"error":{"code":403,"message":"Access denied by ACL.","title":"Forbidden"}}`,
			"403", "Access denied by ACL.", exit.Auth, "administrator", false},
		{"bad request", 400, `{"error":{"code":400,"message":"Invalid project name.","title":"Bad Request"}}`,
			"400", "Invalid project name.", exit.Rejected, "region", false},
		{"not found, not json", 404, `404 page not found`, "", "", exit.NotFound, "--iam-endpoint", false},
		{"gateway", 401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"x"}`,
			"APIGW.0301", "Incorrect IAM authentication information", exit.Auth, "password", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := DecodeError(&http.Response{StatusCode: tt.status}, []byte(tt.body))
			e.Status = tt.status // the shared layer sets it
			if e.Code != tt.code || e.Message != tt.msg {
				t.Errorf("code %q msg %q, want %q %q", e.Code, e.Message, tt.code, tt.msg)
			}
			if e.ExitCode() != tt.exit {
				t.Errorf("exit %d, want %d", e.ExitCode(), tt.exit)
			}
			if !strings.Contains(e.Next, tt.next) {
				t.Errorf("hint %q lacks %q", e.Next, tt.next)
			}
			var err error = e
			if MFARequired(err) != tt.mfa {
				t.Errorf("MFARequired = %v, want %v", !tt.mfa, tt.mfa)
			}
		})
	}
	if MFARequired(nil) || MFARequired(&httpx.NetError{Op: "POST", Err: http.ErrHandlerTimeout}) {
		t.Error("MFARequired true for a non-IAM error")
	}
}

// Whatever IAM sends, decoding neither panics nor loses the status mapping.
func FuzzDecodeError(f *testing.F) {
	f.Add(401, `{"error":{"code":401,"message":"x","title":"Unauthorized"}}`)
	f.Add(400, `{"error_code":"IAM.0102","error_msg":"locked"}`)
	f.Add(201, `{"error":{"code":[1]}}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 999 {
			return
		}
		e := DecodeError(&http.Response{StatusCode: status}, []byte(body))
		if e == nil {
			t.Fatal("nil error")
		}
		e.Status = status
		if e.ExitCode() == exit.OK {
			t.Fatal("exit status 0 for an error")
		}
		_, _ = ParseToken(answer(status, "t"), []byte(body))
	})
}
