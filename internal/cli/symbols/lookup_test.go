package symbols

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	symapi "github.com/diagctl/diagctl/internal/api/symbols"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
)

func (fx svcFixture) lookupOpts(parallel int, args ...string) *LookupOptions {
	return &LookupOptions{IO: fx.f.IOStreams, HTTPClient: fx.f.HTTPClient, Args: args, Parallel: parallel}
}

// TestLookupParallelBound: with --parallel P, exactly P lookups are in
// flight at the peak (never more), over at most P connections of the one
// pool. Each handler waits until P are in flight (or every lookup has
// arrived), so the test needs no timing.
func TestLookupParallelBound(t *testing.T) {
	t.Parallel()
	const keys, parallel = 24, 3
	var (
		mu             sync.Mutex
		cond           = sync.NewCond(&mu)
		inflight, peak int
		arrived        int
		reached        bool
		conns          = map[string]bool{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inflight++
		arrived++
		peak = max(peak, inflight)
		conns[r.RemoteAddr] = true
		if inflight == parallel {
			reached = true
		}
		cond.Broadcast()
		for !reached && arrived < keys {
			cond.Wait()
		}
		inflight--
		mu.Unlock()
		if strings.Contains(r.URL.Path, "/even") {
			w.Header().Set("Location", "https://blobs.example/x?sv=1&sig=SECRETSIG")
			w.WriteHeader(http.StatusFound)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	fx := newSvcFixture(t, srv.URL)
	var args []string
	for i := range keys {
		kind := "odd"
		if i%2 == 0 {
			kind = "even"
		}
		args = append(args, fmt.Sprintf("k%d.pdb/%s%d/k%d.pdb", i, kind, i, i))
	}
	err := runLookup(fx.lookupOpts(parallel, args...))
	if exit.Code(err) != exit.NotFound {
		t.Fatalf("err %v, want exit 4 (half missing)", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if peak != parallel || !reached {
		t.Errorf("peak %d lookups in flight, want %d", peak, parallel)
	}
	if len(conns) > parallel {
		t.Errorf("%d connections, want at most %d (one pool, reused)", len(conns), parallel)
	}
	lines := strings.Split(strings.TrimSpace(fx.out.String()), "\n")
	if len(lines) != keys {
		t.Fatalf("%d rows:\n%s", len(lines), fx.out.String())
	}
	for i, l := range lines { // rows in argument order, whatever order the answers came in
		if !strings.HasPrefix(l, "-\t"+args[i]+"\t") {
			t.Errorf("row %d = %q, want key %s", i, l, args[i])
		}
	}
	if strings.Contains(fx.out.String()+fx.err.String(), "SECRETSIG") {
		t.Error("the signature was printed")
	}
	if !strings.Contains(fx.err.String(), "12 keys found, 12 missing") {
		t.Errorf("stderr %q", fx.err.String())
	}
}

// TestRunLookupEmulator: files keyed, one published through the api
// package (its blob held, so created), one not; --json rows; all found is
// exit 0.
func TestRunLookupEmulator(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	fx := newSvcFixture(t, srv.URL)
	dir := t.TempDir()
	for _, name := range []string{"Tool.exe", "libhello.so"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "symkey", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tool := filepath.Join(dir, "Tool.exe")
	c, err := fx.f.HTTPClient(symapi.Service, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := publish(t, c, emulator.SymbolRequestOpen, "tool.exe/542D574232000/tool.exe", http.StatusOK); len(got) != 1 || got[0].Status != symapi.StatusCreated {
		t.Fatalf("published %+v", got)
	}

	o := fx.lookupOpts(2, dir)
	o.JSON = true
	err = runLookup(o)
	if exit.Code(err) != exit.NotFound {
		t.Fatalf("err %v, want exit 4", err)
	}
	var rows []LookupRow
	if err := json.Unmarshal(fx.out.Bytes(), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("%v: %s", err, fx.out.String())
	}
	if rows[0].File != tool || rows[0].Status != lookupFound || !strings.HasSuffix(rows[0].Location, "&sig=[redacted]") {
		t.Errorf("row 0 %+v", rows[0])
	}
	if rows[1].Status != lookupMissing || rows[1].Location != "" || rows[1].Kind != "elf" {
		t.Errorf("row 1 %+v", rows[1])
	}
	fx.out.Reset()
	if err := runLookup(fx.lookupOpts(2, tool)); err != nil {
		t.Fatalf("all found: %v", err)
	}
	if !strings.Contains(fx.out.String(), "\tfound\t") {
		t.Errorf("stdout %q", fx.out.String())
	}
}

// TestLookupArgs: paths first, then keys; every bad argument named at once.
func TestLookupArgs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tricky := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(tricky, 0o755); err != nil {
		t.Fatal(err)
	}
	args, err := parseArgs([]string{tricky, "x.pdb/ab/x.pdb"})
	if err != nil || args[0].key != "" || args[1].key != "x.pdb/ab/x.pdb" {
		t.Fatalf("%+v %v", args, err)
	}
	for _, bad := range [][]string{{"nothere"}, {"a//b"}, {"../x/y"}, {"x.pdb/a\x1b/x.pdb"}} {
		_, err := parseArgs(bad)
		if exit.Code(err) != exit.Usage {
			t.Errorf("%q: %v", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%q: control character in %q", bad, err)
		}
	}
}

// TestLookupNothingSentOnBadArgs: a usage error stops it before the client
// is even built.
func TestLookupNothingSentOnBadArgs(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	fx := newSvcFixture(t, srv.URL)
	err := runLookup(fx.lookupOpts(1, "a/b/c", "nothere"))
	if exit.Code(err) != exit.Usage || len(srv.Received()) != 0 {
		t.Fatalf("err %v, %d requests", err, len(srv.Received()))
	}
	var got *LookupOptions
	cmd := NewCmdLookup(fx.f, func(o *LookupOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--parallel", "5", "--include-other", "a/b/c"})
	if err := cmd.Execute(); err != nil || got.Parallel != 5 || !got.IncludeOther || got.Args[0] != "a/b/c" {
		t.Fatalf("%v %+v", err, got)
	}
}

// publish adds one entry for key to a request through internal/api/symbols
// (as create-entries will) with the emulator's held blob, so that it is
// created, and checks the answer's status.
func publish(t *testing.T, c *httpx.Client, requestID, key string, wantStatus int) []symapi.StoredEntry {
	t.Helper()
	size := int64(328)
	batch := symapi.NewBatches("", []symapi.DebugEntry{{ClientKey: key, BlobIdentifier: symapi.BlobIdentifier{IdentifierValue: emulator.KnownBlobID}, Size: &size}}, 0)[0]
	body, err := json.Marshal(batch)
	if err != nil {
		t.Fatal(err)
	}
	u := c.URL("_apis", "symbol", "requests", requestID)
	u.RawQuery = symapi.EntriesQuery(symapi.DefaultAPIVersion)
	req, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Send(req, httpx.Call{Retry: httpx.Also429})
	if err != nil {
		var ae *httpx.APIError
		if errors.As(err, &ae) && ae.Status == wantStatus {
			return nil
		}
		t.Fatalf("entries POST: %v, want HTTP %d", err, wantStatus)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	stored, err := symapi.DecodeEntries(resp.StatusCode, resp.Header, data)
	if err != nil || resp.StatusCode != wantStatus {
		t.Fatalf("entries POST: HTTP %d %v, want %d", resp.StatusCode, err, wantStatus)
	}
	return stored
}

// TestSealedRequestRefusesEntries: after request seal, an entries POST
// through the same client gets 403 with the sealed hint (exit 3).
func TestSealedRequestRefusesEntries(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	fx := newSvcFixture(t, srv.URL)
	if err := runRequestSeal(fx.idOpts(emulator.SymbolRequestOpen)); err != nil {
		t.Fatal(err)
	}
	c, err := fx.f.HTTPClient(symapi.Service, false)
	if err != nil {
		t.Fatal(err)
	}
	publish(t, c, emulator.SymbolRequestOpen, "a.pdb/00/a.pdb", http.StatusForbidden)
	u := c.URL("_apis", "symbol", "requests", emulator.SymbolRequestSealed)
	u.RawQuery = symapi.EntriesQuery(symapi.DefaultAPIVersion)
	req, _ := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(`{"debugEntries":[{"clientKey":"a.pdb/00/a.pdb","blobIdentifier":{"identifierValue":"`+emulator.KnownBlobID+`"}}]}`))
	req.Header.Set("Content-Type", "application/json")
	_, err = c.Send(req, httpx.Call{})
	if exit.Code(err) != exit.Auth || !strings.Contains(exit.Hint(err), "sealed and takes no more entries") {
		t.Fatalf("err %v (exit %d, hint %q)", err, exit.Code(err), exit.Hint(err))
	}
	if len(srv.DebugEntries(emulator.SymbolRequestOpen)) != 0 {
		t.Error("the sealed request took an entry")
	}
}
