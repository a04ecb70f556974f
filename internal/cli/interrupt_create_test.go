//go:build linux

package cli

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
)

// Ctrl-C while a report-task create waits for its answer: exit 130, the
// message says the task may exist (the POST reached the service), nothing
// is sent again, and the terminal diagctl ran on keeps its modes. The
// real binary runs on a pseudo-terminal (stdin and stderr), its stdout a
// pipe.
func TestInterruptedCreate(t *testing.T) {
	bin, err := exec.LookPath("diagctl")
	if err != nil {
		t.Skip("diagctl is not on $PATH (TestMain installs it)")
	}
	emu := emulator.New(emulator.Options{})
	arrived := make(chan struct{})
	var once sync.Once
	var creates int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			mu.Lock()
			creates++
			mu.Unlock()
			once.Do(func() { close(arrived) })
		}
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()

	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer tty.Close()
	var screen bytes.Buffer
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&screen, master); close(copied) }() // ends when the tty closes
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	var stdout bytes.Buffer
	cmd := exec.Command(bin, "report-task", "create", "--interval", "0 6 * * 1",
		"--instance", emulator.RadarInstanceID, "--report-id", emulator.RadarReportStall)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + dir, "TERM=xterm",
		"DIAGCTL_REPORT_TASK_SERVER=" + srv.URL, "DIAGCTL_REPORT_TASK_USER_ID=" + emulator.RadarUserID}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, &stdout, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-arrived:
	case err := <-exited:
		t.Fatalf("diagctl exited (%v) before its create arrived", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the create never arrived")
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var runErr error
	select {
	case runErr = <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("diagctl did not stop on SIGINT")
	}
	var ee *exec.ExitError
	if !errors.As(runErr, &ee) || ee.ExitCode() != exit.Interrupted {
		t.Errorf("exit: %v, want status %d", runErr, exit.Interrupted)
	}
	if strings.TrimSpace(stdout.String()) != "" {
		t.Errorf("stdout after an interrupted create: %q", stdout.String())
	}
	mu.Lock()
	if creates != 1 {
		t.Errorf("%d creates sent, want 1", creates)
	}
	mu.Unlock()
	after, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if before.Lflag != after.Lflag || before.Iflag != after.Iflag || before.Oflag != after.Oflag {
		t.Errorf("terminal modes changed: lflag %#x -> %#x, iflag %#x -> %#x", before.Lflag, after.Lflag, before.Iflag, after.Iflag)
	}
	tty.Close()
	<-copied
	if text := screen.String(); !strings.Contains(text, "may have been created") && !strings.Contains(text, "may exist") {
		t.Errorf("the terminal was not told the task may exist:\n%s", text)
	}
}
