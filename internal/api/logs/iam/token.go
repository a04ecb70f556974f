package iam

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/diagctl/diagctl/internal/exit"
)

// Token is an IAM token and what the 201 says about it.
type Token struct {
	Value     string    // the X-Subject-Token header: a secret
	ExpiresAt time.Time // token.expires_at (24 h after issue)
	IssuedAt  time.Time // token.issued_at; zero when absent
	UserID    string    // token.user.id, when given
	ProjectID string    // token.project.id, when given
}

// MaxTokenLength is the longest token CodeArts accepts in X-Auth-Token.
const MaxTokenLength = 100000

type tokenBody struct {
	Token struct {
		ExpiresAt string `json:"expires_at"`
		IssuedAt  string `json:"issued_at"`
		User      struct {
			ID string `json:"id"`
		} `json:"user"`
		Project struct {
			ID string `json:"id"`
		} `json:"project"`
	} `json:"token"`
}

// ParseToken reads a successful answer: status 201 (200 is accepted as
// well), the token in X-Subject-Token and token.expires_at in the body.
// An answer without either is an error (exit 1): diagctl will not use a
// token whose lifetime it does not know.
func ParseToken(resp *http.Response, body []byte) (Token, error) {
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return Token{}, fmt.Errorf("iam: HTTP %d is not a token (use DecodeError for error answers)", resp.StatusCode)
	}
	v := strings.TrimSpace(resp.Header.Get(SubjectTokenHeader))
	if v == "" {
		return Token{}, exit.Errorf(exit.Failure, "check --iam-endpoint: it should be the IAM endpoint (https://iam.<region>.myhuaweicloud.com), not a proxy or another service",
			"IAM answered HTTP %d without an X-Subject-Token header", resp.StatusCode)
	}
	if len(v) > MaxTokenLength || strings.ContainsFunc(v, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return Token{}, exit.Errorf(exit.Failure, "check --iam-endpoint", "IAM's X-Subject-Token is not a usable token (%d characters, or characters a header cannot carry)", len(v))
	}
	var b tokenBody
	if err := json.Unmarshal(body, &b); err != nil {
		return Token{}, exit.Errorf(exit.Failure, "check --iam-endpoint", "IAM's token answer is not the expected JSON: %v", err)
	}
	exp, err := parseTime(b.Token.ExpiresAt)
	if err != nil {
		return Token{}, exit.Errorf(exit.Failure, "check --iam-endpoint", "IAM's token answer has no usable token.expires_at (%q)", b.Token.ExpiresAt)
	}
	t := Token{Value: v, ExpiresAt: exp, UserID: b.Token.User.ID, ProjectID: b.Token.Project.ID}
	if b.Token.IssuedAt != "" {
		if iss, err := parseTime(b.Token.IssuedAt); err == nil {
			t.IssuedAt = iss
		}
	}
	return t, nil
}

// parseTime reads IAM's timestamps: "2024-05-07T07:08:09.123000Z" in the
// reference (RFC 3339 with microseconds); a zone offset is accepted too.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// Seen in Keystone-derived answers: no zone at all, meaning UTC.
		t, err = time.Parse("2006-01-02T15:04:05.999999", s)
	}
	return t.UTC(), err
}
