package logs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/api/logs/aksk"
	"github.com/diagctl/diagctl/internal/api/logs/iam"
	"github.com/diagctl/diagctl/internal/httpx"
)

// SignAuth signs every attempt of a request with the access key and
// secret key (SDK-HMAC-SHA256) instead of sending a token: the shared
// layer calls it again for each retry and resume, so X-Sdk-Date is always
// the time of that attempt (the gateway refuses more than 15 minutes of
// skew). now is the clock (time.Now in a real run).
func SignAuth(k aksk.Keys, now func() time.Time) httpx.Auth {
	return func(req *http.Request) error {
		hash, err := bodyHash(req)
		if err != nil {
			return err
		}
		return aksk.SignRequest(req, hash, k, now())
	}
}

// bodyHash is the hex SHA-256 of the body an attempt will send. CodeArts
// Check's calls are GETs without one; a body that cannot be read again
// (no GetBody) cannot be both hashed and sent, so it is refused.
func bodyHash(req *http.Request) (string, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return aksk.EmptyBodySHA256, nil
	}
	if req.GetBody == nil {
		return "", fmt.Errorf("logs: cannot sign a %s request whose body cannot be read twice", req.Method)
	}
	rc, err := req.GetBody()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", fmt.Errorf("logs: reading the body to sign it: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// RedactHeader is how -v shows the secret headers of a signed request:
// the Authorization's access key and signed header names stay, its
// signature goes; the signing date and project id are no secrets (and the
// date is what a person needs to see when the gateway says the clock is
// off). Everything else secret is redacted whole.
func RedactHeader(name, value string) (string, bool) {
	switch name {
	case "Authorization":
		return aksk.RedactAuthorization(value)
	case aksk.DateHeader, aksk.ProjectHeader:
		return value, true
	}
	return "", false
}

// IAMService is Huawei Cloud IAM as the shared layers see it, for the
// token login: no auth of its own (the password travels in the body), at
// logs.iam-endpoint or the region's IAM endpoint, with the logs TLS
// settings (its Name is "logs": logs.ca-cert and logs.insecure apply, and
// messages say which service the token is for).
var IAMService = api.Service{
	Name:          "logs",
	SecretHeaders: []string{iam.SubjectTokenHeader},
	DecodeError:   iam.DecodeError,
	BaseURL: func(s api.Settings) (*url.URL, error) {
		return iam.Endpoint(s.String("logs.iam-endpoint"), s.String("logs.region"))
	},
}
