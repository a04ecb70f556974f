package symbols

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

type settings map[string]string

func (s settings) String(k string) string { return s[k] }
func (s settings) Require(k string) (string, error) {
	if s[k] == "" {
		return "", exit.UsageErrorf("set it", "no %s", k)
	}
	return s[k], nil
}

func TestSelectAuth(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]api.AuthKind{"": api.Basic, "pat": api.Basic, "PAT": api.Basic, "bearer": api.Bearer, " Bearer ": api.Bearer} {
		if got, err := SelectAuth(settings{AuthKey: v}); err != nil || got != want {
			t.Errorf("%q: %v, %v", v, got, err)
		}
	}
	if _, err := SelectAuth(settings{AuthKey: "basic\x1b"}); exit.Code(err) != exit.Usage || strings.ContainsRune(err.Error(), 0x1b) {
		t.Errorf("bad kind: %v", err)
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    settings
		want string
		code int
	}{
		{settings{OrganizationKey: "fabrikam"}, "https://artifacts.dev.azure.com/fabrikam", 0},
		{settings{OrganizationKey: "fabrikam", URLKey: "http://127.0.0.1:8080/"}, "http://127.0.0.1:8080/fabrikam", 0},
		{settings{OrganizationKey: "my org"}, "", exit.Usage},
		{settings{OrganizationKey: "a/b"}, "", exit.Usage},
		{settings{OrganizationKey: ".."}, "", exit.Usage},
		{settings{OrganizationKey: "a%2fb"}, "", exit.Usage},
		{settings{OrganizationKey: "é"}, "", exit.Usage},
		{settings{OrganizationKey: "a?b"}, "", exit.Usage},
		{settings{}, "", exit.Usage},
		{settings{OrganizationKey: "o", URLKey: "ftp://x"}, "", exit.Usage},
	} {
		u, err := BaseURL(tt.s)
		if tt.code != 0 {
			if exit.Code(err) != tt.code {
				t.Errorf("%v: %v, want exit %d", tt.s, err, tt.code)
			}
			continue
		}
		if err != nil || u.String() != tt.want {
			t.Errorf("%v: %v %v, want %s", tt.s, u, err, tt.want)
		}
	}
}

func TestEntriesRequest(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://artifacts.dev.azure.com/fabrikam")
	c, err := httpx.New(httpx.Options{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	size := int64(5)
	req, err := EntriesRequest(context.Background(), c, strings.Repeat("ab", 32), "7.1", DebugEntryCreateBatch{
		DebugEntries: []DebugEntry{{ClientKey: "a/b/a", BlobIdentifier: BlobIdentifier{"X"}, Size: &size}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "https://artifacts.dev.azure.com/fabrikam/_apis/symbol/requests/" + strings.Repeat("ab", 32) + "?api-version=7.1&collection=debugentries"
	if req.Method != http.MethodPost || req.URL.String() != want || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("%s %s %v", req.Method, req.URL, req.Header)
	}
	for range 2 { // replayable for a retry
		body, _ := req.GetBody()
		b, _ := io.ReadAll(body)
		if string(b) != `{"debugEntries":[{"blobIdentifier":{"identifierValue":"X"},"clientKey":"a/b/a","size":5}]}` {
			t.Errorf("body %s", b)
		}
	}
}

func TestRetryFor(t *testing.T) {
	t.Parallel()
	for b, want := range map[string]httpx.Retry{"": httpx.Also429, ThrowIfExists: httpx.Also429, SkipIfExists: httpx.Idempotent, OverwriteIfExists: httpx.Idempotent} {
		if got := RetryFor(b); got != want {
			t.Errorf("%q: %v, want %v", b, got, want)
		}
	}
}

func TestReadBody(t *testing.T) {
	t.Parallel()
	resp := &http.Response{Body: io.NopCloser(strings.NewReader(`{"count":0}`))}
	if b, err := ReadBody(resp); err != nil || string(b) != `{"count":0}` {
		t.Errorf("%q %v", b, err)
	}
	endless := &http.Response{Body: io.NopCloser(zeros{})}
	if _, err := ReadBody(endless); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("endless body: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestDecodeHTTPError: the call is told from the request, the message is
// escaped, and the exit status and hint are DecodeError's.
func TestDecodeHTTPError(t *testing.T) {
	t.Parallel()
	entries, _ := http.NewRequest(http.MethodPost, "https://h/fabrikam/_apis/symbol/requests/"+strings.Repeat("a", 64)+"?collection=debugentries", nil)
	create, _ := http.NewRequest(http.MethodPost, "https://h/fabrikam/_apis/symbol/requests", nil)
	seal, _ := http.NewRequest(http.MethodPatch, "https://h/fabrikam/_apis/symbol/requests/x", nil)
	show, _ := http.NewRequest(http.MethodGet, "https://h/fabrikam/_apis/symbol/requests/x", nil)
	lookup, _ := http.NewRequest(http.MethodGet, "https://h/fabrikam/_apis/symbol/symsrv/a/b/c", nil)
	json := http.Header{"Content-Type": {"application/json"}}
	html := http.Header{"Content-Type": {"text/html"}}
	for _, tt := range []struct {
		req    *http.Request
		status int
		h      http.Header
		body   string
		exit   int
		code   string
		msg    string
		hint   string
	}{
		{entries, 409, json, `{"message":"key 'a/b/c' exists","typeKey":"DebugEntryExistsException"}`, exit.Rejected, TypeEntryExists, "key 'a/b/c' exists", "skipIfExists"},
		{create, 409, json, `{"message":"exists","typeKey":"RequestExistsException"}`, exit.Rejected, "RequestExistsException", "exists", "name already exists"},
		{entries, 403, json, `{"message":"sealed","typeKey":"RequestSealedException"}`, exit.Auth, TypeRequestSealed, "sealed", "create a new one"},
		{seal, 404, json, `{"message":"gone","typeKey":"RequestNotFoundException"}`, exit.NotFound, TypeRequestNotFound, "gone", "request id"},
		{show, 401, html, `<html>denied</html>`, exit.Auth, "", "sign-in page", "Symbols (read & write)"},
		{lookup, 500, json, `{"message":"boom"}`, exit.Service, "", "boom", "try again later"},
		{entries, 400, json, "{\"message\":\"bad \\u001b[2J\",\"typeKey\":\"X\\u0007\"}", exit.Rejected, `X\x07`, `bad \e[2J`, "message"},
		{entries, 429, json, `{"message":"slow down"}`, exit.Rejected, "", "slow down", "try again later"},
	} {
		e := DecodeHTTPError(&http.Response{Request: tt.req, StatusCode: tt.status, Header: tt.h}, []byte(tt.body))
		if e.Exit != tt.exit || e.Code != tt.code || !strings.Contains(e.Message, tt.msg) || !strings.Contains(e.Next, tt.hint) {
			t.Errorf("%s %s %d: %+v", tt.req.Method, tt.req.URL.Path, tt.status, e)
		}
		if tt.status == 429 && !e.Retryable {
			t.Errorf("429 not retryable")
		}
	}
}

func TestPreviewRequired(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&httpx.APIError{Status: 400, Code: TypePreviewRequired}, true},
		{&httpx.APIError{Status: 400, Message: "The -preview flag must be supplied"}, true},
		{exit.Wrapf(&httpx.APIError{Status: 400, Code: TypePreviewRequired}, 5, "", "batch 1"), true},
		{&httpx.APIError{Status: 400, Message: "bad blob"}, false},
		{&httpx.APIError{Status: 404, Code: TypePreviewRequired}, false},
		{errors.New("-preview"), false},
	} {
		if got := PreviewRequired(tt.err); got != tt.want {
			t.Errorf("%v: %v", tt.err, got)
		}
	}
}

// FuzzDecodeHTTPError: whatever the body, the error has a documented exit
// status, a hint, and no control character in its text.
func FuzzDecodeHTTPError(f *testing.F) {
	f.Add(409, "application/json", `{"message":"x","typeKey":"DebugEntryExistsException"}`)
	f.Add(203, "text/html", `<html>sign in</html>`)
	f.Add(400, "", "{\"message\":\"\\u001b[31m-preview\"}")
	f.Add(500, "text/plain", "\x00\xff")
	req, _ := http.NewRequest(http.MethodPost, "https://h/o/_apis/symbol/requests/x?collection=debugentries", nil)
	f.Fuzz(func(t *testing.T, status int, ctype, body string) {
		if status < 100 || status > 999 {
			return
		}
		e := DecodeHTTPError(&http.Response{Request: req, StatusCode: status, Header: http.Header{"Content-Type": {ctype}}}, []byte(body))
		switch e.Exit {
		case exit.Auth, exit.NotFound, exit.Rejected, exit.Service:
		default:
			t.Fatalf("exit %d for %d %q", e.Exit, status, body)
		}
		for _, s := range []string{e.Message, e.Code} {
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Fatalf("control character in %q", s)
			}
		}
	})
}

func TestOpOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		want         Op
	}{
		{"POST", "/o/_apis/symbol/requests?api-version=7.1", OpCreateRequest},
		{"POST", "/o/_apis/symbol/requests/ab?collection=debugentries&api-version=7.1", OpCreateEntries},
		{"PATCH", "/o/_apis/symbol/requests/ab?api-version=7.1", OpSealRequest},
		{"GET", "/o/_apis/symbol/requests/ab?api-version=7.1", OpShowRequest},
		{"GET", "/o/_apis/symbol/symsrv/a/b/c", OpLookup},
	}
	for _, tt := range tests {
		u, _ := url.Parse("https://h" + tt.path)
		if got := opOf(&http.Request{Method: tt.method, URL: u}); got != tt.want {
			t.Errorf("%s %s: %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}

// TestDecodeHTTPErrorFollowsTheCall: the hint follows the call (409 on create vs on
// entries), the message is escaped, the exit status kept.
func TestDecodeHTTPErrorFollowsTheCall(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://h/o/_apis/symbol/requests?api-version=7.1")
	resp := &http.Response{StatusCode: 409, Header: http.Header{}, Request: &http.Request{Method: "POST", URL: u}}
	e := DecodeHTTPError(resp, []byte(`{"message":"name \u001b[2J taken","typeKey":"RequestExistsException"}`))
	if e.Exit != exit.Rejected || !strings.Contains(e.Next, "name already exists") || e.Message != `name \e[2J taken` || e.Code != "RequestExistsException" {
		t.Errorf("%+v", e)
	}
	resp.StatusCode = 401
	resp.Header.Set("Content-Type", "text/html")
	if e := DecodeHTTPError(resp, []byte("<html>")); e.Exit != exit.Auth || !strings.Contains(e.Message, "sign-in page") {
		t.Errorf("%+v", e)
	}
}

func emulatorClient(t *testing.T, o emulator.Options) (*emulator.Server, *httpx.Client) {
	t.Helper()
	srv, err := emulator.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	base, err := BaseURL(settings{URLKey: srv.URL, OrganizationKey: emulator.SymbolsOrg})
	if err != nil {
		t.Fatal(err)
	}
	c, err := httpx.New(httpx.Options{Service: "symbols", Base: base, Retries: 2, Auth: Service.NewAuth("", emulator.SymbolsPAT),
		DecodeError: Service.DecodeError, Backoff: httpx.Backoff{Sleep: httpx.NoSleep}})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestRequestCallsPreviewFallback: a service that wants "-preview" gets
// the call once more with it (a 400 did nothing, so even the create).
func TestRequestCallsPreviewFallback(t *testing.T) {
	t.Parallel()
	srv, c := emulatorClient(t, emulator.Options{RequirePreview: true})
	r, err := CreateRequest(context.Background(), c, RequestCreate{Name: "v1"})
	if err != nil || r.Status != RequestCreated {
		t.Fatalf("%+v %v", r, err)
	}
	got := srv.Received()
	if len(got) != 2 || got[0].RawQuery != "api-version=7.1" || got[1].RawQuery != "api-version=7.1-preview.1" {
		t.Fatalf("received %+v", got)
	}
	if r, err := SealRequest(context.Background(), c, r.ID); err != nil || r.Status != RequestSealed {
		t.Fatalf("seal %+v %v", r, err)
	}
}

// TestLookupKey: 302 found without following (the blob URL is never
// asked for), 404 missing, unknown organization an error.
func TestLookupKey(t *testing.T) {
	t.Parallel()
	srv, c := emulatorClient(t, emulator.Options{})
	ctx := context.Background()
	if _, err := CreateRequest(ctx, c, RequestCreate{Name: "v1"}); err != nil {
		t.Fatal(err)
	}
	l, err := LookupKey(ctx, c, "x.pdb/00/x.pdb")
	if err != nil || l.Found {
		t.Fatalf("missing key: %+v %v", l, err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"The organization was not found.","typeKey":"HostNotFoundException"}`, http.StatusNotFound)
	}))
	t.Cleanup(hs.Close)
	base, _ := url.Parse(hs.URL + "/nosuch")
	c2, _ := httpx.New(httpx.Options{Service: "symbols", Base: base, DecodeError: Service.DecodeError})
	if _, err := LookupKey(ctx, c2, "x.pdb/00/x.pdb"); exit.Code(err) != exit.NotFound || !strings.Contains(exit.Hint(err), "organization") {
		t.Fatalf("unknown org: %v", err)
	}
	for _, r := range srv.Received() {
		if strings.Contains(r.Path, "_emulator/blobs") {
			t.Errorf("the redirect was followed: %s", r.Path)
		}
	}
}

// FuzzBaseURL: an organization is refused (exit 2) or stays exactly one
// path segment of the service URL, whatever it holds.
func FuzzBaseURL(f *testing.F) {
	for _, s := range []string{"fabrikam", "a/b", "..", "a%2Fb", "x?y#z", "my-org_1.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, org string) {
		u, err := BaseURL(settings{URLKey: DefaultBaseURL, OrganizationKey: org})
		if err != nil {
			if exit.Code(err) != exit.Usage {
				t.Fatalf("%q: %v", org, err)
			}
			return
		}
		back, err := url.Parse(u.String())
		if err != nil || back.Path != "/"+org || back.RawQuery != "" || back.Fragment != "" || back.Host != "artifacts.dev.azure.com" {
			t.Fatalf("%q: %s (%v)", org, u, err)
		}
	})
}
