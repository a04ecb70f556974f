package symbols

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

type svcFixture struct {
	f        *cmdutil.Factory
	out, err *bytes.Buffer
}

// newSvcFixture is a Factory aimed at url with the emulator's organization
// and PAT.
func newSvcFixture(t *testing.T, url string) svcFixture {
	ios, _, out, errOut := iostreams.Test()
	f := cmdutiltest.NewFactory(t, ios, map[string]string{
		"DIAGCTL_SYMBOLS_URL":          url,
		"DIAGCTL_SYMBOLS_ORGANIZATION": emulator.SymbolsOrg,
		"DIAGCTL_SYMBOLS_TOKEN":        emulator.SymbolsPAT,
	})
	return svcFixture{f: f, out: out, err: errOut}
}

func (fx svcFixture) createOpts(name string) *RequestCreateOptions {
	return &RequestCreateOptions{RequestOptions: newRequestOptions(fx.f), Name: name}
}

func (fx svcFixture) idOpts(id string) *RequestIDOptions {
	return &RequestIDOptions{RequestOptions: newRequestOptions(fx.f), ID: id}
}

// TestRunRequestCreate: the id alone on stdout, the one POST, the expiry
// sent as given.
func TestRunRequestCreate(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	fx := newSvcFixture(t, srv.URL)
	o := fx.createOpts("v1.2.3")
	o.ExpiresIn = "2w"
	o.Now = func() time.Time { return time.Date(2099, 1, 1, 12, 0, 0, 0, time.UTC) }
	if err := runRequestCreate(o); err != nil {
		t.Fatal(err)
	}
	if got, want := fx.out.String(), emulator.SymbolRequestID("v1.2.3")+"\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
	if !strings.Contains(fx.err.String(), "status created, expires 2099-01-15T12:00:00Z") {
		t.Errorf("stderr %q", fx.err.String())
	}
	got := srv.Received()
	if len(got) != 1 || got[0].Method != http.MethodPost || !strings.Contains(string(got[0].Body), `"expirationDate":"2099-01-15T12:00:00Z"`) {
		t.Fatalf("received %+v", got)
	}
}

// TestRequestCreateNeverResent: a POST whose connection dies after it
// was sent is not sent again, and the error says the outcome is unknown
// and that running again is safe.
func TestRequestCreateNeverResent(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	fx := newSvcFixture(t, srv.URL)
	fx.f.Globals.Retries = 5
	err := runRequestCreate(fx.createOpts("v1"))
	if exit.Code(err) != exit.Service || !strings.Contains(exit.Hint(err), "may have been created") {
		t.Fatalf("err = %v (exit %d, hint %q)", err, exit.Code(err), exit.Hint(err))
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
	if fx.out.Len() != 0 {
		t.Errorf("stdout %q", fx.out.String())
	}
}

// TestRequestCreateRefusedDialRetried: a refused connection proves
// nothing was sent, so even the create is tried again.
func TestRequestCreateRefusedDialRetried(t *testing.T) {
	t.Parallel()
	gate, err := cmdutiltest.NewDialGate()
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(emulator.Options{})
	hs := &http.Server{Handler: emu}
	t.Cleanup(func() { hs.Close(); gate.Close() })
	fx := newSvcFixture(t, gate.URL)
	var opened bool
	fx.f.Backoff.Sleep = func(ctx context.Context, _ time.Duration) error {
		if !opened { // the first retry's wait: the refusal has happened
			opened = true
			ln, err := gate.Open()
			if err != nil {
				return err
			}
			go hs.Serve(ln)
		}
		return nil
	}
	if err := runRequestCreate(fx.createOpts("v1")); err != nil {
		t.Fatal(err)
	}
	if got := emu.Received(); len(got) != 1 || !opened {
		t.Fatalf("received %d requests (gate opened: %v), want 1 after a refused dial", len(got), opened)
	}
}

// TestRunRequestShowAndSeal: show's table, seal's PATCH body and note,
// and --json passing the service's body on.
func TestRunRequestShowAndSeal(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	fx := newSvcFixture(t, srv.URL)
	if err := runRequestShow(fx.idOpts(emulator.SymbolRequestOpen)); err != nil {
		t.Fatal(err)
	}
	want := "id\t" + emulator.SymbolRequestOpen + "\nname\temulator-open\ndescription\temulator fixture\nstatus\tcreated\nexpires\t2099-01-01T00:00:00Z\nsize\t0\n"
	if fx.out.String() != want {
		t.Errorf("show:\n%s\nwant:\n%s", fx.out.String(), want)
	}
	fx.out.Reset()
	o := fx.idOpts(emulator.SymbolRequestOpen)
	o.JSON = true
	if err := runRequestSeal(o); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(fx.out.Bytes(), &doc); err != nil || doc["status"] != "sealed" || doc["storageETag"] == nil {
		t.Errorf("--json: %v %s", err, fx.out.String())
	}
	if !strings.Contains(fx.err.String(), `symbol request "emulator-open" sealed: it takes no more entries`) {
		t.Errorf("stderr %q", fx.err.String())
	}
	got := srv.Received()
	last := got[len(got)-1]
	if last.Method != http.MethodPatch || string(last.Body) != `{"status":"sealed"}` {
		t.Errorf("last request %s %s", last.Method, last.Body)
	}
}

// TestRequestSealRetried: the PATCH is retried after a 503 (sealing twice
// is sealing once), and a service that refuses a repeated seal while the
// request is sealed counts as sealed.
func TestRequestSealRetried(t *testing.T) {
	t.Parallel()
	sealed := `{"id":"` + emulator.SymbolRequestOpen + `","name":"n\u001b[31m","status":"sealed","expirationDate":"2099-01-01T00:00:00Z"}`
	var patches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPatch && patches.Add(1) == 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.Method == http.MethodPatch:
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"message":"The request is already sealed.","typeKey":"InvalidOperationException"}`)
		default:
			io.WriteString(w, sealed)
		}
	}))
	t.Cleanup(srv.Close)
	fx := newSvcFixture(t, srv.URL)
	if err := runRequestSeal(fx.idOpts(emulator.SymbolRequestOpen)); err != nil {
		t.Fatal(err)
	}
	if n := patches.Load(); n != 2 {
		t.Errorf("%d PATCHes, want 2", n)
	}
	if !strings.Contains(fx.out.String(), "status\tsealed") || !strings.Contains(fx.err.String(), `"n\e[31m" was already sealed`) {
		t.Errorf("stdout %q stderr %q", fx.out.String(), fx.err.String())
	}
}

// TestRequestServerTextEscaped: a name with terminal escapes is shown
// escaped, and an error message too.
func TestRequestServerTextEscaped(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"message":"exists \u001b]0;pwned\u0007","typeKey":"RequestExistsException"}`)
			return
		}
		io.WriteString(w, `{"id":"`+emulator.SymbolRequestOpen+`","name":"\u001b[2Jx","status":"created","description":"a\u001bb"}`)
	}))
	t.Cleanup(srv.Close)
	fx := newSvcFixture(t, srv.URL)
	if err := runRequestShow(fx.idOpts(emulator.SymbolRequestOpen)); err != nil {
		t.Fatal(err)
	}
	err := runRequestCreate(fx.createOpts("x"))
	if exit.Code(err) != exit.Rejected {
		t.Fatalf("err %v", err)
	}
	all := fx.out.String() + fx.err.String() + err.Error()
	if strings.ContainsAny(all, "\x1b\x07") {
		t.Errorf("control characters printed: %q", all)
	}
	if !strings.Contains(fx.out.String(), "name\t\\e[2Jx") || !strings.Contains(err.Error(), `exists \e]0;pwned\x07`) {
		t.Errorf("stdout %q, err %q", fx.out.String(), err.Error())
	}
}

// TestRequestFlags: NAME and REQUEST_ID checked before anything else.
func TestRequestFlags(t *testing.T) {
	t.Parallel()
	fx := newSvcFixture(t, "http://127.0.0.1:1")
	var got *RequestCreateOptions
	cmd := NewCmdRequestCreate(fx.f, func(o *RequestCreateOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"v1", "--description", "d", "--expires-in", "30d", "--token-stdin"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Name != "v1" || got.Description != "d" || got.ExpiresIn != "30d" || !got.TokenStdin {
		t.Errorf("%+v", got)
	}
	for _, args := range [][]string{{"show", "xyz"}, {"seal", strings.Repeat("g", 64)}} {
		cmd := NewCmdRequest(fx.f)
		cmd.SetArgs(args)
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		if err := cmd.Execute(); exit.Code(err) != exit.Usage {
			t.Errorf("%v: %v", args, err)
		}
	}
	var idOpts *RequestIDOptions
	show := NewCmdRequestShow(fx.f, func(o *RequestIDOptions) error { idOpts = o; return nil })
	show.SetArgs([]string{strings.ToUpper(emulator.SymbolRequestOpen)})
	if err := show.Execute(); err != nil || idOpts.ID != emulator.SymbolRequestOpen {
		t.Errorf("%v %+v", err, idOpts)
	}
}
