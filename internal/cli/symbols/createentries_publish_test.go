package symbols

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// publishServer answers the request create (POST .../requests) with a
// request of id newID, and hands the entries POST and the seal PATCH to
// the test's handlers. It records "METHOD kind" per call.
type publishServer struct {
	*httptest.Server
	mu    sync.Mutex
	calls []string
}

const newID = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func newPublishServer(t *testing.T, name string, entries, seal http.HandlerFunc) *publishServer {
	ps := &publishServer{}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		kind := "create"
		switch {
		case r.URL.Query().Get("collection") == "debugentries":
			kind = "entries"
		case r.Method == http.MethodPatch:
			kind = "seal"
		}
		ps.mu.Lock()
		ps.calls = append(ps.calls, r.Method+" "+kind)
		ps.mu.Unlock()
		switch kind {
		case "entries":
			entries(w, r)
		case "seal":
			seal(w, r)
		default:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":"`+newID+`","name":"`+name+`","status":"created","expirationDate":"2099-01-01T00:00:00Z"}`)
		}
	}))
	t.Cleanup(ps.Close)
	return ps
}

func (ps *publishServer) got() string {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return strings.Join(ps.calls, ", ")
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func unexpected(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
	}
}

// publishOpts is a --request-name run of one generated entry.
func (fx ceFixture) publishOpts(t *testing.T, name string, seal bool) *CreateEntriesOptions {
	o := fx.opts(t, "", 1, 1)
	o.RequestName, o.RequestNameSet, o.Seal = name, true, seal
	return o
}

// TestCreateEntriesRequestNameNeverResent: the request POST whose
// connection dies after it was sent is not sent again, even with retries
// allowed, and no entries follow it.
func TestCreateEntriesRequestNameNeverResent(t *testing.T) {
	t.Parallel()
	ps := &publishServer{}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps.mu.Lock()
		ps.calls = append(ps.calls, r.Method+" dropped")
		ps.mu.Unlock()
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			c.Close()
		}
	}))
	t.Cleanup(ps.Close)
	fx := newCE(t, ps.URL)
	fx.f.Globals.Retries = 5
	err := runCreateEntries(fx.publishOpts(t, "v1", true))
	if exit.Code(err) != exit.Service || !strings.Contains(exit.Hint(err), "may have been created") {
		t.Fatalf("err = %v (exit %d, hint %q)", err, exit.Code(err), exit.Hint(err))
	}
	if got := ps.got(); got != "POST dropped" {
		t.Errorf("calls: %s, want one POST", got)
	}
	if fx.out.Len() != 0 {
		t.Errorf("stdout %q", fx.out.String())
	}
}

// TestCreateEntriesPublishFailures: after the request was made, a failed
// batch or seal never ends in a seal, and the next step names the new
// request's id in place of --request-name; server text is escaped.
func TestCreateEntriesPublishFailures(t *testing.T) {
	t.Parallel()
	created := `{"count":1,"value":[{"clientKey":"lib000.so/elf-buildid-0000000000000000000000000000000000000001/lib000.so","status":"created","id":"e1"}]}`
	for _, tt := range []struct {
		name           string
		entries, seal  http.HandlerFunc
		wantExit       int
		wantCalls      string
		wantMsg, wantH []string
	}{{
		name:      "entries outcome unknown",
		entries:   answer(http.StatusBadGateway, `{"message":"gateway"}`),
		wantExit:  exit.Service,
		wantCalls: "POST create, POST entries",
		wantMsg:   []string{"may or may not have been created (outcome unknown)"},
		wantH:     []string{"run the command again with REQUEST_ID " + newID + " (in place of --request-name) with --create-behavior skipIfExists"},
	}, {
		name:      "entries refused",
		entries:   answer(http.StatusBadRequest, `{"message":"no access","typeKey":"ArgumentException"}`),
		wantExit:  exit.Rejected,
		wantCalls: "POST create, POST entries",
		wantMsg:   []string{"no access"},
		wantH:     []string{`symbol request "v1\e" was created (id ` + newID + `) and stays open: run the command again with REQUEST_ID ` + newID},
	}, {
		name:      "unknown status",
		entries:   answer(http.StatusOK, strings.Replace(created, `"created"`, `"pending\u001b"`, 1)),
		wantExit:  exit.NotFound,
		wantCalls: "POST create, POST entries",
		wantMsg:   []string{"not sealed: 1 entry came back with a status other than created; symbol request " + newID + " stays open"},
		wantH:     []string{"'diagctl symbols request seal " + newID + "'"},
	}, {
		name:      "seal refused",
		entries:   answer(http.StatusOK, created),
		seal:      answer(http.StatusNotFound, `{"message":"gone","typeKey":"RequestNotFoundException"}`),
		wantExit:  exit.NotFound,
		wantCalls: "POST create, POST entries, PATCH seal",
		wantMsg:   []string{"--seal: the entries were created, but the request was not sealed", "gone"},
		wantH:     []string{"the entries are created and the request is open: 'diagctl symbols request seal " + newID + "' seals it"},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seal := tt.seal
			if seal == nil {
				seal = unexpected(t)
			}
			ps := newPublishServer(t, `v1\u001b`, tt.entries, seal)
			fx := newCE(t, ps.URL)
			err := runCreateEntries(fx.publishOpts(t, "v1", true))
			if exit.Code(err) != tt.wantExit {
				t.Errorf("exit %d, want %d: %v", exit.Code(err), tt.wantExit, err)
			}
			if got := ps.got(); got != tt.wantCalls {
				t.Errorf("calls: %s, want %s", got, tt.wantCalls)
			}
			for _, m := range tt.wantMsg {
				if err == nil || !strings.Contains(err.Error(), m) {
					t.Errorf("error %v, want %q in it", err, m)
				}
			}
			for _, h := range tt.wantH {
				if !strings.Contains(exit.Hint(err), h) {
					t.Errorf("hint %q, want %q in it", exit.Hint(err), h)
				}
			}
			stderr := fx.err.String()
			if !strings.Contains(stderr, `created symbol request "v1\e": id `+newID+", status created") || strings.Contains(stderr, "\x1b") {
				t.Errorf("stderr %q", stderr)
			}
			if strings.Contains(stderr, "sealed: it takes no more entries") {
				t.Errorf("stderr says sealed: %q", stderr)
			}
		})
	}
}

// TestCreateEntriesRequestNameArgs: with --request-name every argument
// is a path (a file named like an id too); REQUEST_ID and --request-name
// together, or neither, are usage errors before the run.
func TestCreateEntriesRequestNameArgs(t *testing.T) {
	dir := t.TempDir()
	idFile := filepath.Join(dir, newID)
	if err := os.WriteFile(idFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	ios, _, _, _ := iostreams.Test()
	f := cmdutiltest.NewFactory(t, ios, nil)
	run := func(args ...string) (*CreateEntriesOptions, error) {
		var got *CreateEntriesOptions
		cmd := NewCmdCreateEntries(f, func(o *CreateEntriesOptions) error { got = o; return nil })
		cmd.SetArgs(args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		return got, cmd.Execute()
	}
	got, err := run("--request-name", "v1", "--seal", newID, "build")
	if err != nil {
		t.Fatal(err)
	}
	if got.RequestID != "" || got.RequestName != "v1" || !got.RequestNameSet || !got.Seal || strings.Join(got.Paths, " ") != newID+" build" {
		t.Errorf("%+v", got)
	}
	got, err = run("--request-name", "v1", "--client-key", "a/b/c", "--blob-id", "x")
	if err != nil || got.RequestID != "" || len(got.Paths) != 0 {
		t.Errorf("%v %+v", err, got)
	}
	for _, args := range [][]string{
		{"--request-name", "v1", emulator.SymbolRequestOpen, "build"},
		{"--request-name", "v1", "--dry-run", emulator.SymbolRequestOpen, "build"},
		{},
		{"--seal"},
		{"."},
	} {
		got, err := run(args...)
		var fe *exit.FlagError
		if !errors.As(err, &fe) || got != nil {
			t.Errorf("%q: %v, run %v", args, err, got != nil)
		}
	}
	// An empty or control-character name is refused by the plan, before
	// any client is built.
	for _, name := range []string{"", " ", "a\x07b"} {
		o := &CreateEntriesOptions{IO: ios, RequestName: name, RequestNameSet: true, ClientKey: "a/b/c"}
		_, err := makePlan(o)
		if exit.Code(err) != exit.Usage || !strings.Contains(err.Error(), "--request-name") || strings.Contains(err.Error(), "\x07") {
			t.Errorf("%q: %v", name, err)
		}
	}
}
