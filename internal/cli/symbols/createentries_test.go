package symbols

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/api"
	"github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

type ceFixture struct {
	f        *cmdutil.Factory
	out, err *bytes.Buffer
}

// newCE is a Factory aimed at url (the emulator's organization and PAT).
func newCE(t *testing.T, url string) ceFixture {
	ios, _, out, errOut := iostreams.Test()
	f := cmdutiltest.NewFactory(t, ios, map[string]string{
		"DIAGCTL_SYMBOLS_URL":          url,
		"DIAGCTL_SYMBOLS_ORGANIZATION": emulator.SymbolsOrg,
		"DIAGCTL_SYMBOLS_TOKEN":        emulator.SymbolsPAT,
	})
	return ceFixture{f: f, out: out, err: errOut}
}

// opts is a run of n generated entries (distinct keys, the known blob)
// in batches of batch.
func (fx ceFixture) opts(t *testing.T, reqID string, n, batch int) *CreateEntriesOptions {
	var rows []Row
	for i := range n {
		name := fmt.Sprintf("lib%03d.so", i)
		rows = append(rows, Row{ClientKey: fmt.Sprintf("%s/elf-buildid-%040x/%s", name, i+1, name),
			BlobIdentifier: BlobIdentifier{emulator.KnownBlobID}, Size: int64(i)})
	}
	b, _ := json.Marshal(rows)
	file := filepath.Join(t.TempDir(), "entries.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return &CreateEntriesOptions{IO: fx.f.IOStreams, HTTPClient: fx.f.HTTPClient, Config: fx.f.Config,
		RequestID: reqID, EntriesFile: file, APIVersion: symbols.DefaultAPIVersion, BatchSize: batch, Parallel: 1}
}

// TestCreateEntriesFlags: arguments and flags reach the options; bad
// combinations are usage errors before the run.
func TestCreateEntriesFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := cmdutiltest.NewFactory(t, ios, nil)
	var got *CreateEntriesOptions
	cmd := NewCmdCreateEntries(f, func(o *CreateEntriesOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--create-behavior", "skipifexists", "--batch-size", "7", "--size", "0", "--client-key", "a/b/c", "--blob-id", "x", emulator.SymbolRequestOpen})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.RequestID != emulator.SymbolRequestOpen || got.BatchSize != 7 || !got.SizeSet || got.CreateBehavior != "skipifexists" || got.APIVersion != "7.1" {
		t.Errorf("%+v", got)
	}
	for _, args := range [][]string{
		{emulator.SymbolRequestOpen},
		{"--blob-id", "x", emulator.SymbolRequestOpen},
		{"--client-key", "a/b/c", "--blob-id", "x", emulator.SymbolRequestOpen, "dir"},
		{"--entries", "-", "--token-stdin", emulator.SymbolRequestOpen},
		{"--batch-size", "0", emulator.SymbolRequestOpen, "dir"},
		{"--parallel", "0", emulator.SymbolRequestOpen, "dir"},
		{"--api-version", "7", emulator.SymbolRequestOpen, "dir"},
	} {
		got = nil
		cmd := NewCmdCreateEntries(f, func(o *CreateEntriesOptions) error { got = o; return nil })
		cmd.SetArgs(args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		if err := cmd.Execute(); exit.Code(err) != exit.Usage || got != nil {
			t.Errorf("%q: %v (exit %d), run %v", args, err, exit.Code(err), got != nil)
		}
	}
}

// TestCreateEntriesInputOrder: the table follows the input order even
// when the service answers in another.
func TestCreateEntriesInputOrder(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b symbols.DebugEntryCreateBatch
		_ = json.NewDecoder(r.Body).Decode(&b)
		var out []map[string]any
		for i := len(b.DebugEntries) - 1; i >= 0; i-- {
			k := strings.ToUpper(b.DebugEntries[i].ClientKey) // the service may change case
			out = append(out, map[string]any{"clientKey": k, "status": "created", "id": k + "/00000001"})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"count": len(out), "value": out})
	}))
	t.Cleanup(srv.Close)
	fx := newCE(t, srv.URL)
	if err := runCreateEntries(fx.opts(t, emulator.SymbolRequestOpen, 3, 2)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(fx.out.String()), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, fmt.Sprintf("LIB%03d.SO/", i)) {
			t.Errorf("line %d: %q", i, l)
		}
	}
	if len(lines) != 3 || strings.TrimSpace(fx.err.String()) != "created 3" {
		t.Errorf("stdout %q stderr %q", fx.out, fx.err)
	}
}

// TestCreateEntriesEscapesServerText: control characters in the
// service's message and in returned entries are printed escaped.
func TestCreateEntriesEscapesServerText(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"message":"bad \u001b[31mred\u001b[0m","typeKey":"ArgumentException"}`)
			return
		}
		io.WriteString(w, `{"count":1,"value":[{"clientKey":"lib000.so/x/lib000.so","status":"crea\u001bted","id":"i\u0007d"}]}`)
	}))
	t.Cleanup(srv.Close)
	fx := newCE(t, srv.URL)
	err := runCreateEntries(fx.opts(t, emulator.SymbolRequestOpen, 1, 1))
	if exit.Code(err) != exit.Rejected || strings.ContainsRune(err.Error(), 0x1b) || !strings.Contains(err.Error(), `bad \e[31mred`) {
		t.Errorf("error %q (exit %d)", err, exit.Code(err))
	}
	if err := runCreateEntries(fx.opts(t, emulator.SymbolRequestOpen, 1, 1)); err != nil {
		t.Fatal(err)
	}
	if s := fx.out.String() + fx.err.String(); strings.ContainsAny(s, "\x1b\x07") || !strings.Contains(s, `crea\eted`) || !strings.Contains(s, `i\x07d`) {
		t.Errorf("output %q", s)
	}
}

// TestCreateEntriesDroppedConnection: a POST whose connection is cut
// after it arrived is not sent again with throwIfExists (exit 6, outcome
// unknown), and is with skipIfExists.
func TestCreateEntriesDroppedConnection(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		behavior  string
		wantPosts int32
	}{{"", 1}, {symbols.ThrowIfExists, 1}, {symbols.SkipIfExists, 2}, {symbols.OverwriteIfExists, 2}} {
		var posts atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			if posts.Add(1) == 1 { // the first arrives, then the connection is cut
				if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
					c.Close()
				}
				return
			}
			io.WriteString(w, `{"count":0,"value":[]}`)
		}))
		t.Cleanup(srv.Close)
		fx := newCE(t, srv.URL)
		o := fx.opts(t, emulator.SymbolRequestOpen, 1, 1)
		o.CreateBehavior = tt.behavior
		err := runCreateEntries(o)
		if posts.Load() != tt.wantPosts {
			t.Errorf("%q: %d POSTs, want %d", tt.behavior, posts.Load(), tt.wantPosts)
		}
		if tt.wantPosts == 1 && (exit.Code(err) != exit.Service || !strings.Contains(err.Error(), "outcome unknown")) {
			t.Errorf("%q: %v (exit %d)", tt.behavior, err, exit.Code(err))
		}
		if tt.wantPosts == 2 && err != nil {
			t.Errorf("%q: %v", tt.behavior, err)
		}
	}
}

// shortStall builds the symbol client as the Factory does, with a stall
// limit of 100 ms instead of 60 s (no flag sets it).
func shortStall(f *cmdutil.Factory) func(api.Service, bool) (*httpx.Client, error) {
	return func(svc api.Service, _ bool) (*httpx.Client, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		o, err := f.HTTPOptions(svc.Name)
		if err != nil {
			return nil, err
		}
		if o.Base, err = svc.BaseURL(cfg); err != nil {
			return nil, err
		}
		o.Auth = httpx.BasicAuth("", emulator.SymbolsPAT)
		o.DecodeError = svc.DecodeError
		o.StallTimeout = 100 * time.Millisecond
		return httpx.New(o)
	}
}

// TestCreateEntriesStall: an answer that stops half-way fails as a
// stall; the batch's outcome is unknown and it is not sent again.
func TestCreateEntriesStall(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		io.WriteString(w, `{"count":1,"value":[`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	fx := newCE(t, srv.URL)
	o := fx.opts(t, emulator.SymbolRequestOpen, 1, 1)
	o.HTTPClient = shortStall(fx.f)
	err := runCreateEntries(o)
	if exit.Code(err) != exit.Service || !errors.Is(err, httpx.ErrStalled) || !strings.Contains(err.Error(), "outcome unknown") || posts.Load() != 1 {
		t.Fatalf("%v (exit %d), %d POSTs", err, exit.Code(err), posts.Load())
	}
}

// TestCreateEntriesEndlessBody: a 200 whose body never ends is read only
// up to symbols.MaxResponseBody.
func TestCreateEntriesEndlessBody(t *testing.T) {
	t.Parallel()
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"count":1,"value":[`)
		chunk := bytes.Repeat([]byte(" "), 64<<10)
		for {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	fx := newCE(t, srv.URL)
	err := runCreateEntries(fx.opts(t, emulator.SymbolRequestOpen, 1, 1))
	if !errors.Is(err, symbols.ErrBodyTooLarge) || exit.Code(err) != exit.Service || !strings.Contains(err.Error(), "outcome unknown") {
		t.Fatalf("%v (exit %d)", err, exit.Code(err))
	}
	if fx.out.Len() != 0 {
		t.Errorf("stdout %q", fx.out)
	}
}

// TestCreateEntriesRedirectElsewhere: a redirect to another host gets
// the batch but never the token.
func TestCreateEntriesRedirectElsewhere(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var authAtOther []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		authAtOther = append(authAtOther, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(other.Close)
	var authAtOrigin atomic.Value
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authAtOrigin.Store(r.Header.Get("Authorization"))
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(origin.Close)
	// "localhost" and "127.0.0.1" are different hosts to the client.
	fx := newCE(t, strings.Replace(origin.URL, "127.0.0.1", "localhost", 1))
	err := runCreateEntries(fx.opts(t, emulator.SymbolRequestOpen, 1, 1))
	if exit.Code(err) != exit.Auth {
		t.Errorf("%v (exit %d)", err, exit.Code(err))
	}
	if a, _ := authAtOrigin.Load().(string); !strings.HasPrefix(a, "Basic ") {
		t.Errorf("origin got Authorization %q", a)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(authAtOther) != 1 || authAtOther[0] != "" {
		t.Errorf("the other host got Authorization %q", authAtOther)
	}
}

// TestCreateEntriesInterrupted: Ctrl-C while batch 2 of 3 is in flight
// ends the run with exit 130, batch 1 printed and reported created, batch
// 2 unknown, batch 3 not sent.
func TestCreateEntriesInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancelCause(context.Background())
	t.Cleanup(func() { cancel(nil) })
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b symbols.DebugEntryCreateBatch
		_ = json.NewDecoder(r.Body).Decode(&b)
		if posts.Add(1) == 2 {
			cancel(exit.ErrInterrupted) // the user presses Ctrl-C now
			<-r.Context().Done()
			return
		}
		var out []map[string]any
		for _, e := range b.DebugEntries {
			out = append(out, map[string]any{"clientKey": e.ClientKey, "status": "created", "id": e.ClientKey + "/00000001"})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"count": len(out), "value": out})
	}))
	t.Cleanup(srv.Close)
	fx := newCE(t, srv.URL)
	o := fx.opts(t, emulator.SymbolRequestOpen, 5, 2)
	o.Ctx = ctx
	err := runCreateEntries(o)
	if exit.Code(err) != exit.Interrupted || !errors.Is(err, exit.ErrInterrupted) {
		t.Fatalf("%v (exit %d)", err, exit.Code(err))
	}
	want := "batch 1 was created (2 entries); batch 2 of 3 (entries 3-4) may or may not have been created (outcome unknown); batch 3 was not sent"
	if !strings.Contains(err.Error(), want) || !strings.Contains(exit.Hint(err), "skipIfExists") {
		t.Errorf("error %q hint %q", err, exit.Hint(err))
	}
	if !strings.Contains(fx.err.String(), "error: "+want) {
		t.Errorf("stderr %q: the top level prints only \"interrupted\", so the run must say what was created", fx.err)
	}
	if posts.Load() != 2 || strings.Count(fx.out.String(), "\tcreated\t") != 2 {
		t.Errorf("%d POSTs, stdout %q", posts.Load(), fx.out)
	}
}

// TestCreateBehaviorsAreTheServiceValues: the shell completes, and the
// command takes, the behaviors the data layer knows, in any case; others
// are a usage error naming them, before anything is read or sent.
func TestCreateBehaviorsAreTheServiceValues(t *testing.T) {
	if got := CreateBehaviors.Values(); !slices.Equal(got, symbols.CreateBehaviors) {
		t.Errorf("--create-behavior completes %q, the service takes %q", got, symbols.CreateBehaviors)
	}
	for _, tt := range []struct{ given, want, err string }{
		{"", "", ""},
		{"SKIPIFEXISTS", symbols.SkipIfExists, ""},
		{"overwriteIfExists", symbols.OverwriteIfExists, ""},
		{"ignore", "", `--create-behavior "ignore": use throwIfExists, skipIfExists or overwriteIfExists`},
	} {
		opts := &CreateEntriesOptions{RequestID: emulator.SymbolRequestOpen, CreateBehavior: tt.given,
			ClientKey: "a.pdb/0123456789abcdef0123456789abcdef1/a.pdb", BlobID: emulator.KnownBlobID, SizeSet: true, Parallel: 1}
		p, err := makePlan(opts)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err || exit.Code(err) != exit.Usage):
			t.Errorf("%q: %v (exit %d), want %q", tt.given, err, exit.Code(err), tt.err)
		case tt.err == "" && (err != nil || p.behavior != tt.want):
			t.Errorf("%q: %v, behavior %+v, want %q", tt.given, err, p, tt.want)
		}
	}
}
