package logs_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/api/logs"
	"github.com/diagctl/diagctl/internal/api/logs/aksk"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

func signedClient(t *testing.T, base string, sk string, trace io.Writer) *httpx.Client {
	t.Helper()
	u, err := httpx.BaseURL(base, "test")
	if err != nil {
		t.Fatal(err)
	}
	c, err := httpx.New(httpx.Options{
		Service: "logs", Base: u, Trace: trace, Retries: 2,
		Auth:          logs.SignAuth(aksk.Keys{AccessKey: emulator.LogsAccessKey, SecretKey: sk}, time.Now),
		SecretHeaders: logs.Service.SecretHeaders, RedactHeader: logs.Service.RedactHeader, DecodeError: logs.DecodeError,
		Backoff: httpx.Backoff{Sleep: httpx.NoSleep},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A request signed by SignAuth is accepted by the emulator's own
// verifier; a wrong SK is refused with the gateway's 401, exit 3. The
// trace shows the access key and signed headers, never the signature.
func TestSignAuthAgainstEmulator(t *testing.T) {
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var trace bytes.Buffer
	c := signedClient(t, srv.URL, emulator.LogsSecretKey, &trace)
	req, err := logs.LogFileRequest(context.Background(), c, emulator.SubJobOK)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.DoBinary(req)
	if err != nil {
		t.Fatalf("signed download refused: %v", err)
	}
	resp.Body.Close()
	got := srv.Received()[0].Header
	if !strings.HasPrefix(got.Get("Authorization"), "SDK-HMAC-SHA256 Access="+emulator.LogsAccessKey+", SignedHeaders=host;x-sdk-date, Signature=") || got.Get("X-Sdk-Date") == "" || got.Get("X-Auth-Token") != "" {
		t.Errorf("request headers %v", got)
	}
	want := "> Authorization: SDK-HMAC-SHA256 Access=" + emulator.LogsAccessKey + ", SignedHeaders=host;x-sdk-date, Signature=[redacted]"
	sig := strings.TrimPrefix(got.Get("Authorization"), strings.TrimSuffix(want[len("> Authorization: "):], "[redacted]"))
	if !strings.Contains(trace.String(), want) || !strings.Contains(trace.String(), "> X-Sdk-Date: "+got.Get("X-Sdk-Date")) ||
		strings.Contains(trace.String(), sig) || strings.Contains(trace.String(), emulator.LogsSecretKey) {
		t.Errorf("trace:\n%s", trace.String())
	}

	bad := signedClient(t, srv.URL, "wrong"+emulator.LogsSecretKey, nil)
	req, _ = logs.LogFileRequest(context.Background(), bad, emulator.SubJobOK)
	_, err = bad.DoBinary(req)
	if exit.Code(err) != exit.Auth || !strings.Contains(err.Error(), "APIGW.0301") || strings.Contains(err.Error(), emulator.LogsSecretKey) {
		t.Errorf("bad SK: %v (exit %d)", err, exit.Code(err))
	}
}

// The body hash covers a replayable body; a body that cannot be read
// twice is refused before anything is sent.
func TestSignAuthBody(t *testing.T) {
	keys := aksk.Keys{AccessKey: "AK", SecretKey: "SK"}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	auth := logs.SignAuth(keys, func() time.Time { return at })
	req, _ := http.NewRequest(http.MethodPost, "https://h.example/v1/x", strings.NewReader(`{"a":1}`))
	if err := auth(req); err != nil {
		t.Fatal(err)
	}
	want, _ := aksk.Sign(aksk.Request{Method: "POST", URL: req.URL, BodySHA256: aksk.HashBody([]byte(`{"a":1}`))}, keys, at)
	if req.Header.Get("Authorization") != want.Authorization {
		t.Errorf("Authorization %q, want %q", req.Header.Get("Authorization"), want.Authorization)
	}
	if b, _ := io.ReadAll(req.Body); string(b) != `{"a":1}` {
		t.Errorf("the body was consumed: %q", b)
	}
	once, _ := http.NewRequest(http.MethodPost, "https://h.example/v1/x", io.NopCloser(strings.NewReader("x")))
	once.GetBody = nil
	if err := auth(once); err == nil || once.Header.Get("Authorization") != "" {
		t.Errorf("a one-shot body was signed: %v", err)
	}
}

func TestRedactHeader(t *testing.T) {
	for _, tt := range []struct {
		name, value, want string
		ok                bool
	}{
		{"Authorization", "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=abcdef", "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=[redacted]", true},
		{"Authorization", "Bearer tok", "", false},
		{"X-Sdk-Date", "20260102T030405Z", "20260102T030405Z", true},
		{"X-Security-Token", "temp-secret", "", false},
		{"X-Auth-Token", "MIIS", "", false},
	} {
		got, ok := logs.RedactHeader(tt.name, tt.value)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s %q: %q %v", tt.name, tt.value, got, ok)
		}
	}
}
