package cli

import (
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/diagctl/diagctl/internal/emulator"
)

// TestMain lets testscript run the real command tree as "diagctl".
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"diagctl": func() {
			// Run as in CI: without a controlling terminal, unless the
			// script gave one (ttyin: already a session leader, so this
			// fails and the pty stays). Otherwise a prompt would open
			// /dev/tty of whoever runs go test, and wait there.
			detachFromTerminal()
			// The real tree, with retries that do not wait (the scripts
			// check what is retried, not how long the backoff is).
			os.Exit(MainWith(scriptTune))
		},
	})
}

// TestScripts runs internal/cli/testdata/script/*.txtar: each script gets
// its own emulator on loopback ($EMU) and its own config directory.
func TestScripts(t *testing.T) {
	symkeyFixtures, err := filepath.Abs(filepath.Join("..", "symkey", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// Radar demands its API key, so that a script can tell a key
			// sent from one left out.
			srv, err := emulator.Start(emulator.Options{BigSize: 8 << 20, SlowRate: 256 << 10, RadarAPIKey: emulator.RadarDemoAPIKey})
			if err != nil {
				return err
			}
			env.Defer(func() { srv.Close() })
			env.Setenv("EMU", srv.URL)
			// The plain-HTTP emulator named with https://: TLS to a port
			// that speaks HTTP.
			env.Setenv("EMU_AS_HTTPS", "https://"+strings.TrimPrefix(srv.URL, "http://"))
			env.Values[emuKey{}] = &emuLog{srv: srv}

			// The same APIs over TLS with a self-signed certificate, as lab
			// sandboxes serve them; its CA is in $WORK/emu-ca.pem.
			tlsSrv := httptest.NewTLSServer(emulator.New(emulator.Options{}))
			env.Defer(tlsSrv.Close)
			env.Setenv("EMU_TLS", tlsSrv.URL)
			caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
			if err := os.WriteFile(filepath.Join(env.WorkDir, "emu-ca.pem"), caPEM, 0o644); err != nil {
				return err
			}
			// Under -race, every process sleeps a second at exit by default
			// (GORACE atexit_sleep_ms=1000) so late reports can come out:
			// with 100-odd diagctl processes that was most of the package's
			// time. Races found before exit still fail the script (exit 66).
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("SYMKEY_FIXTURES", symkeyFixtures)
			for name, value := range emulator.ScriptVars() {
				env.Setenv(name, value)
			}
			env.Values[envNamesKey{}] = envNames(env.Vars)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":       cmdExits,
			"received":    cmdReceived,
			"lastrequest": cmdLastRequest,
			"pty":         cmdPty,
			"iamcache":    cmdIAMCache,
			"capture":     cmdCapture,
			"symentries":  cmdSymEntries,
			"entriessent": cmdEntriesSent,
			"genentries":  cmdGenEntries,
			"holdblob":    cmdHoldBlob,
		},
	})
}

// cmdExits runs a command and checks its exit status exactly:
//
//	exits 2 diagctl sandbox debug-report not-a-guid
//
// Its stdout and stderr can be checked afterwards like exec's.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

type emuKey struct{}

// emuLog is the script's emulator and how much of its request log
// earlier received commands have looked at.
type emuLog struct {
	srv  *emulator.Server
	seen int
}

// cmdReceived checks what the emulator ($EMU) received since the last
// received command (or the start of the script):
//
//	received 0                          nothing at all
//	received 2 'GET /api/v1/sandbox/'   two requests matching the regexp, on "METHOD PATH?QUERY"
//	received -keep 1 '^POST /v3/auth/'  the same, leaving the requests for the next check
//	received -reset                     forget what came so far
//
// so that "nothing was sent" (exit 2) is checked end to end.
func cmdReceived(ts *testscript.TestScript, neg bool, args []string) {
	log := ts.Value(emuKey{}).(*emuLog)
	if len(args) == 1 && args[0] == "-reset" {
		log.seen = len(log.srv.Received())
		return
	}
	keep := len(args) > 0 && args[0] == "-keep"
	if keep {
		args = args[1:]
	}
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: received [-keep] COUNT [REGEXP] | received -reset")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("received: bad count %q", args[0])
	}
	re := regexp.MustCompile(".")
	if len(args) == 2 {
		if re, err = regexp.Compile(args[1]); err != nil {
			ts.Fatalf("received: %v", err)
		}
	}
	all := log.srv.Received()
	var got []string
	for _, r := range all[min(log.seen, len(all)):] {
		line := r.Method + " " + r.Path
		if r.RawQuery != "" {
			line += "?" + r.RawQuery
		}
		if re.MatchString(line) {
			got = append(got, line)
		}
	}
	if !keep {
		log.seen = len(all)
	}
	if len(got) != want {
		ts.Fatalf("the emulator received %d matching requests, want %d:\n%s", len(got), want, strings.Join(got, "\n"))
	}
}
