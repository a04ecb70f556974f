package cli

import (
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/httpx"
)

// TestMain lets testscript run the real command tree as "diagctl".
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// The real tree, with retries that do not wait: the scripts check
		// what is retried, not how long the backoff is.
		"diagctl": func() { os.Exit(MainWith(func(f *cmdutil.Factory) { f.Backoff.Sleep = httpx.NoSleep })) },
	})
}

// TestScripts runs internal/cli/testdata/script/*.txtar: each script gets
// its own emulator on loopback ($EMU) and its own config directory.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			srv, err := emulator.Start(emulator.Options{BigSize: 8 << 20, SlowRate: 256 << 10})
			if err != nil {
				return err
			}
			env.Defer(func() { srv.Close() })
			env.Setenv("EMU", srv.URL)
			env.Values[emulatorKey{}] = srv

			// The same APIs over TLS with a self-signed certificate, as lab
			// sandboxes serve them; its CA is in $WORK/emu-ca.pem.
			tlsSrv := httptest.NewTLSServer(emulator.New(emulator.Options{}))
			env.Defer(tlsSrv.Close)
			env.Setenv("EMU_TLS", tlsSrv.URL)
			caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
			if err := os.WriteFile(filepath.Join(env.WorkDir, "emu-ca.pem"), caPEM, 0o644); err != nil {
				return err
			}
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("HOME", env.WorkDir)
			for name, value := range scriptVars {
				env.Setenv(name, value)
			}
			env.Values[envNamesKey{}] = envNames(env.Vars)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    cmdExits,
			"received": cmdReceived,
			"pty":      cmdPty,
			"iamcache": cmdIAMCache,
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

// scriptVars names the emulator's fixtures for the scripts.
var scriptVars = map[string]string{
	"SANDBOX_USER":         emulator.SandboxUser,
	"SANDBOX_PASSWORD":     emulator.SandboxPassword,
	"TASK_OK":              emulator.TaskOK,
	"TASK_OK2":             emulator.TaskOK2,
	"TASK_NO_DEBUG_REPORT": emulator.TaskNoDebugReport,
	"TASK_DELETED":         emulator.TaskDeleted,
	"TASK_SERVER_ERROR":    emulator.TaskServerError,
	"TASK_503":             emulator.Task503,
	"TASK_TEXT_200":        emulator.TaskTextOK200,
	"TASK_DROP":            emulator.TaskDropOnce,
	"TASK_DROP_NORANGE":    emulator.TaskDropNoRange,
	"TASK_STALL":           emulator.TaskStall,
	"TASK_SLOW":            emulator.TaskSlow,
	"TASK_BIG":             emulator.TaskBig,
	"TASK_ZIPSLIP":         emulator.TaskZipSlip,
	"TASK_SYMLINK":         emulator.TaskSymlink,
	"TASK_EVIL_NAME":       emulator.TaskEvilName,
	"TASK_UNKNOWN":         emulator.TaskUnknown,
	"LOGS_TOKEN":           emulator.LogsToken,
	"LOGS_EXPIRED_TOKEN":   emulator.LogsExpiredToken,
	"SUB_JOB_OK":           emulator.SubJobOK,
	"SUB_JOB_OK2":          emulator.SubJobOK2,
	"SUB_JOB_OK3":          emulator.SubJobOK3,
	"SUB_JOB_200_ERROR":    emulator.SubJob200Error,
	"SUB_JOB_BUSY":         emulator.SubJobBusy,
	"SUB_JOB_NET_BUSY":     emulator.SubJobNetBusy,
	"SUB_JOB_DROP":         emulator.SubJobDropOnce,
	"SUB_JOB_UNKNOWN":      emulator.SubJobUnknown,
	"IAM_DOMAIN":           emulator.IAMDomain,
	"IAM_PASSWORD":         emulator.IAMPassword,
	"IAM_USER":             emulator.IAMUser,
	"IAM_USER_ID":          emulator.IAMUserID,
	"IAM_MFA_USER":         emulator.IAMMFAUser,
	"IAM_MFA_USER_ID":      emulator.IAMMFAUserID,
	"IAM_MFA_CODE":         emulator.IAMMFACode,
	"IAM_SHORT_USER":       emulator.IAMShortUser,
	"IAM_EXPIRED_USER":     emulator.IAMExpiredUser,
	"IAM_LOCKED_USER":      emulator.IAMLockedUser,
	"LOGS_ACCESS_KEY":      emulator.LogsAccessKey,
	"LOGS_SECRET_KEY":      emulator.LogsSecretKey,
}
