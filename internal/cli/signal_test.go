//go:build unix

package cli

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
)

// coreutils timeout sends SIGTERM twice (to the process, then its group).
// The second signal must not skip the cleanup: the finished IDs' results
// are printed and no temporary file is left. This runs the real binary
// (testscript's copy of the test binary on $PATH) against the emulator,
// with one archive slow enough to be mid-transfer when the signals come.
func TestDoubleSIGTERMKeepsCleanup(t *testing.T) {
	if _, err := exec.LookPath("diagctl"); err != nil {
		t.Skip("diagctl is not on $PATH (TestMain installs it)")
	}
	// The old failure was a race lost about one run in two here, so
	// twelve runs catch it but for one time in a few thousand.
	for i := range 12 {
		t.Run(fmt.Sprint(i), doubleSIGTERM)
	}
}

func doubleSIGTERM(t *testing.T) {
	bin, _ := exec.LookPath("diagctl")
	// The slow archive's request ends when diagctl, cancelled by the
	// first signal, drops the connection.
	slowGone := make(chan struct{})
	var once sync.Once
	emu := emulator.New(emulator.Options{SlowRate: 16 << 10})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		emu.ServeHTTP(w, r)
		if strings.Contains(r.URL.String(), emulator.TaskSlow) && r.Context().Err() != nil {
			once.Do(func() { close(slowGone) })
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "sandbox", "debug-report", "--no-progress", "-d", out,
		emulator.TaskOK, emulator.TaskOK2, emulator.TaskSlow)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + dir,
		"DIAGCTL_SANDBOX_SERVER=" + srv.URL,
		"DIAGCTL_SANDBOX_USER=" + emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD=" + emulator.SandboxPassword,
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The event: both small archives saved, the slow one's .part present.
	var finished []string
	waitUntil(t, exited, "two archives saved and one .part", func() bool {
		finished, _ = filepath.Glob(filepath.Join(out, "*.zip"))
		parts, _ := filepath.Glob(filepath.Join(out, ".diagctl-*.part"))
		return len(finished) == 2 && len(parts) == 1
	})
	// The second signal comes once the first has been delivered (two
	// pending SIGTERMs would merge into one), so it lands while the
	// first one's cleanup runs, as timeout's second one does.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" {
		waitDelivered(cmd.Process.Pid, syscall.SIGTERM)
	} else {
		select { // no /proc: wait for the first signal's effect instead
		case <-slowGone:
		case <-time.After(20 * time.Second):
			t.Fatal("the first SIGTERM did not stop the slow transfer")
		}
	}
	// (If the cleanup was quicker still, the second signal finds the
	// process gone, as timeout's can.)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	var err2 error
	select {
	case err2 = <-exited:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("diagctl did not exit after two SIGTERMs; stderr:\n%s", stderr.String())
	}
	var ee *exec.ExitError
	if !errors.As(err2, &ee) || ee.ExitCode() != exit.Interrupted {
		t.Errorf("exit: %v, want status %d", err2, exit.Interrupted)
	}
	for _, f := range finished {
		if !strings.Contains(stdout.String(), f+"\t") {
			t.Errorf("no result line for the finished %s; stdout:\n%s\nstderr:\n%s", f, stdout.String(), stderr.String())
		}
	}
	left, _ := filepath.Glob(filepath.Join(out, ".diagctl-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// waitDelivered waits until sig is no longer pending for process pid
// (Linux /proc/PID/status SigPnd and ShdPnd), or the process is gone.
func waitDelivered(pid int, sig syscall.Signal) {
	bit := uint64(1) << (uint(sig) - 1)
	for {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return // exited (and reaped) already
		}
		pending := uint64(0)
		for _, line := range strings.Split(string(data), "\n") {
			for _, field := range []string{"SigPnd:", "ShdPnd:"} {
				if v, ok := strings.CutPrefix(line, field); ok {
					n, _ := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
					pending |= n
				}
			}
		}
		if pending&bit == 0 {
			return
		}
	}
}

// waitUntil polls cond (a filesystem state the process brings about) and
// fails if the process exits first or nothing happens within 20 s.
func waitUntil(t *testing.T, exited <-chan error, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case err := <-exited:
			t.Fatalf("diagctl exited (%v) before %s", err, what)
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}
