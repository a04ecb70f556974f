package symbols

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json; charset=utf-8"}}
}

func TestDecodeEntries(t *testing.T) {
	entry := `{"blobIdentifier":{"identifierValue":"` + blobA + `"},"clientKey":"` + keyA + `","status":"created","id":"` + keyA + `/00000001","requestId":"` + reqA + `","size":57344,"newField":{"x":1}}`
	for name, body := range map[string]string{
		"wrapper":    `{"count":1,"value":[` + entry + `]}`,
		"bare array": "\n[" + entry + "]",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := DecodeEntries(200, jsonHeader(), []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Status != StatusCreated || got[0].ID != keyA+"/00000001" || got[0].Size != 57344 || got[0].BlobIdentifier.IdentifierValue != blobA {
				t.Fatalf("entries = %+v", got)
			}
			if string(got[0].Raw) != entry {
				t.Errorf("raw = %s, want the entry as received", got[0].Raw)
			}
		})
	}
	for _, body := range []string{`{"count":0}`, `{"value":{}}`, `nope`, `[1]`} {
		if _, err := DecodeEntries(200, jsonHeader(), []byte(body)); err == nil {
			t.Errorf("%s: no error", body)
		}
	}
}

const signInPage = `<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>...</body></html>`

// The HTML sign-in page is an authentication failure whatever the status
// and even when the Content-Type claims JSON, never a parse error.
func TestSignInPage(t *testing.T) {
	cases := []struct {
		status int
		header http.Header
	}{
		{203, http.Header{"Content-Type": {"text/html; charset=utf-8"}}},
		{200, http.Header{"Content-Type": {"text/html"}}},
		{200, jsonHeader()},
		{302, http.Header{}},
		{401, http.Header{"Content-Type": {"text/html"}}},
	}
	for _, c := range cases {
		_, err := DecodeEntries(c.status, c.header, []byte("\r\n  "+signInPage))
		var se *SignInError
		if !errors.As(err, &se) || exit.Code(err) != exit.Auth || !strings.Contains(exit.Hint(err), "Symbols (read & write)") {
			t.Errorf("%d %v: %v (%T)", c.status, c.header, err, err)
		}
		if _, err := DecodeRequest(OpShowRequest, c.status, c.header, []byte(signInPage)); !errors.As(err, &se) {
			t.Errorf("DecodeRequest %d: %v", c.status, err)
		}
	}
	// An HTML error page on a 500 is the service failing, not a sign-in.
	err := DecodeError(OpCreateEntries, 502, http.Header{"Content-Type": {"text/html"}}, []byte("<html>Bad Gateway</html>"))
	var se *ServiceError
	if !errors.As(err, &se) || exit.Code(err) != exit.Service {
		t.Errorf("502 HTML: %v (%T)", err, err)
	}
}

func azureBody(typeKey, msg string) []byte {
	b, _ := json.Marshal(map[string]any{"$id": "1", "innerException": nil, "message": msg,
		"typeName": "Microsoft.VisualStudio.Services.Symbol.WebApi." + typeKey + ", Microsoft.VisualStudio.Services.Symbol.WebApi",
		"typeKey":  typeKey, "errorCode": 0, "eventId": 3000})
	return b
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name     string
		op       Op
		status   int
		body     []byte
		exitCode int
		hint     string
	}{
		{"entry exists", OpCreateEntries, 409, azureBody(TypeEntryExists, "A debug entry with client key 'a/b/c' already exists"), exit.Rejected, "--create-behavior skipIfExists"},
		{"request name exists", OpCreateRequest, 409, azureBody("RequestExistsException", "exists"), exit.Rejected, "choose another name"},
		{"request not found", OpCreateEntries, 404, azureBody(TypeRequestNotFound, "Request x was not found."), exit.NotFound, "check the request id"},
		{"organization not found", OpCreateEntries, 404, azureBody(TypeHostNotFound, "VS800075: The organization 'contoso' was not found."), exit.NotFound, "--organization"},
		{"sealed", OpCreateEntries, 403, azureBody(TypeRequestSealed, "sealed"), exit.Auth, "create a new one"},
		{"forbidden", OpShowRequest, 403, nil, exit.Auth, "Symbols (read & write) scope"},
		{"unauthorized", OpCreateEntries, 401, []byte("Access denied"), exit.Auth, "has not expired"},
		{"bad request", OpCreateEntries, 400, azureBody("ArgumentException", "The create behavior \"x\" is not recognized."), exit.Rejected, "see its message"},
		{"preview", OpCreateEntries, 400, azureBody(TypePreviewRequired, "The -preview flag must be supplied"), exit.Rejected, "--api-version 7.1-preview.1"},
		{"throttled", OpCreateEntries, 429, nil, exit.Rejected, "try again later"},
		{"server", OpSealRequest, 500, []byte("oops"), exit.Service, "try again later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := jsonHeader()
			h.Set("Retry-After", "7")
			err := DecodeError(tt.op, tt.status, h, tt.body)
			var se *ServiceError
			if !errors.As(err, &se) {
				t.Fatalf("%T %v", err, err)
			}
			if exit.Code(err) != tt.exitCode || !strings.Contains(exit.Hint(err), tt.hint) {
				t.Errorf("exit %d hint %q; want %d, %q", exit.Code(err), exit.Hint(err), tt.exitCode, tt.hint)
			}
			if tt.body != nil && json.Valid(tt.body) && (se.Message == "" || !strings.Contains(err.Error(), se.TypeKey)) {
				t.Errorf("fields not read: %+v", se)
			}
		})
	}
	err := DecodeError(OpCreateEntries, 429, http.Header{"Retry-After": {"3"}}, nil).(*ServiceError)
	if !err.Retryable() || err.RetryAfter != "3" || err.PreviewRequired() {
		t.Errorf("429: %+v", err)
	}
	err = DecodeError(OpCreateEntries, 400, jsonHeader(), azureBody(TypePreviewRequired, "x")).(*ServiceError)
	if !err.PreviewRequired() || err.Retryable() {
		t.Errorf("preview: %+v", err)
	}
	// Without a JSON body, the message comes from Azure's header.
	err = DecodeError(OpCreateEntries, 400, http.Header{"X-Tfs-Serviceerror": {"The+-preview+flag+must+be+supplied"}}, []byte("x")).(*ServiceError)
	if err.Message != "The -preview flag must be supplied" || !err.PreviewRequired() {
		t.Errorf("header message: %+v", err)
	}
}

func TestDecodeRequest(t *testing.T) {
	body := `{"id":"` + reqA + `","name":"v1.2.3","status":"created","expirationDate":"2026-03-01T00:00:00.0000000Z","size":0,"isChunked":false}`
	r, err := DecodeRequest(OpCreateRequest, 201, jsonHeader(), []byte(body))
	if err != nil || r.ID != reqA || r.Name != "v1.2.3" || r.Status != RequestCreated || string(r.Raw) != body {
		t.Fatalf("%+v %v", r, err)
	}
	if exp, ok := r.Expires(); !ok || exp.Format("2006-01-02") != "2026-03-01" {
		t.Errorf("Expires = %v %v", exp, ok)
	}
	if _, err := DecodeRequest(OpCreateRequest, 201, jsonHeader(), []byte(`{}`)); err == nil {
		t.Error("a request without id accepted")
	}
	if _, err := DecodeRequest(OpCreateRequest, 409, jsonHeader(), azureBody("RequestExistsException", "x")); exit.Code(err) != exit.Rejected {
		t.Errorf("409: %v", err)
	}
}

func TestDecodeLookup(t *testing.T) {
	l, err := DecodeLookup(302, http.Header{"Location": {"https://acct.blob.core.windows.net/c/ABC.blob?sv=2019-07-07&sr=b&sig=c2VjcmV0JTJGc2ln&se=2026-01-01"}}, nil)
	if err != nil || !l.Found || l.Location != "https://acct.blob.core.windows.net/c/ABC.blob?sv=2019-07-07&sr=b&sig=[redacted]&se=2026-01-01" {
		t.Errorf("302: %+v %v", l, err)
	}
	if l, err := DecodeLookup(404, jsonHeader(), azureBody("DebugEntryNotFoundException", "x")); err != nil || l.Found {
		t.Errorf("404: %+v %v", l, err)
	}
	l, err = DecodeLookup(200, jsonHeader(), []byte(`{"clientKey":"`+keyA+`","status":"created","id":"x"}`))
	if err != nil || !l.Found || l.Entry == nil || l.Entry.ClientKey != keyA {
		t.Errorf("200: %+v %v", l, err)
	}
	if _, err := DecodeLookup(200, http.Header{"Content-Type": {"text/html"}}, []byte(signInPage)); exit.Code(err) != exit.Auth {
		t.Errorf("200 sign-in page: %v", err)
	}
	if _, err := DecodeLookup(401, nil, nil); exit.Code(err) != exit.Auth {
		t.Errorf("401: %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"https://h/p":                   "https://h/p",
		"https://u:pw@h/p?a=1&SIG=x%2F": "https://h/p?a=1&SIG=[redacted]",
		"https://h/p?token=t&x=y":       "https://h/p?token=[redacted]&x=y",
		"::not a url":                   "[redacted URL]",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
