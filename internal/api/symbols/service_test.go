package symbols

import (
	"context"
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
		return "", exit.UsageErrorf("set "+k, "no %s", k)
	}
	return s[k], nil
}

func TestSelectAuth(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]api.AuthKind{"": api.Basic, "pat": api.Basic, "PAT": api.Basic, "bearer": api.Bearer} {
		if got, err := SelectAuth(settings{AuthKey: v}); err != nil || got != want {
			t.Errorf("%q: %v %v", v, got, err)
		}
	}
	if _, err := SelectAuth(settings{AuthKey: "basic"}); exit.Code(err) != exit.Usage {
		t.Errorf("basic: %v", err)
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	u, err := BaseURL(settings{URLKey: "https://artifacts.dev.azure.com/", OrganizationKey: "fabrikam"})
	if err != nil || u.String() != "https://artifacts.dev.azure.com/fabrikam" {
		t.Errorf("%v %v", u, err)
	}
	for _, org := range []string{"", "a/b", "..", "a b", "a?b", "a%2f", "é"} {
		if _, err := BaseURL(settings{URLKey: DefaultBaseURL, OrganizationKey: org}); exit.Code(err) != exit.Usage {
			t.Errorf("org %q: %v", org, err)
		}
	}
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

// TestDecodeAPIError: the hint follows the call (409 on create vs on
// entries), the message is escaped, the exit status kept.
func TestDecodeAPIError(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://h/o/_apis/symbol/requests?api-version=7.1")
	resp := &http.Response{StatusCode: 409, Header: http.Header{}, Request: &http.Request{Method: "POST", URL: u}}
	e := DecodeAPIError(resp, []byte(`{"message":"name \u001b[2J taken","typeKey":"RequestExistsException"}`))
	if e.Exit != exit.Rejected || !strings.Contains(e.Next, "name already exists") || e.Message != `name \e[2J taken` || e.Code != "RequestExistsException" {
		t.Errorf("%+v", e)
	}
	resp.StatusCode = 401
	resp.Header.Set("Content-Type", "text/html")
	if e := DecodeAPIError(resp, []byte("<html>")); e.Exit != exit.Auth || !strings.Contains(e.Message, "sign-in page") {
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
