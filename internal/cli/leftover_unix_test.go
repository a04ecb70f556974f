//go:build unix

package cli

import (
	"bytes"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/diagctl/diagctl/internal/emulator"
)

// A run killed with SIGKILL cannot clean up: its .diagctl-*.part stays.
// The next run in that directory removes it, with a note; a run while the
// killed one was still alive must not touch it. Real processes, the
// emulator's stalling archive (half the body, then nothing).
func TestKilledRunLeftoverRemovedByNextRun(t *testing.T) {
	bin, err := exec.LookPath("diagctl")
	if err != nil {
		t.Skip("diagctl is not on $PATH (TestMain installs it)")
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{}))
	defer srv.Close()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + dir,
		"DIAGCTL_SANDBOX_SERVER=" + srv.URL,
		"DIAGCTL_SANDBOX_USER=" + emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD=" + emulator.SandboxPassword,
	}
	run := func(id string) (string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, "sandbox", "debug-report", "--no-progress", "-d", out, id)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", id, err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}

	stalled := exec.Command(bin, "sandbox", "debug-report", "--no-progress", "-d", out, emulator.TaskStall)
	stalled.Env = env
	if err := stalled.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- stalled.Wait() }()
	var parts []string
	waitUntil(t, exited, "the stalled run's .part", func() bool {
		parts, _ = filepath.Glob(filepath.Join(out, ".diagctl-*.part"))
		return len(parts) == 1
	})
	part := parts[0]
	if !strings.HasPrefix(filepath.Base(part), ".diagctl-"+strconv.Itoa(stalled.Process.Pid)+"-") {
		t.Errorf("temporary name %s does not carry the writer's pid %d", part, stalled.Process.Pid)
	}

	// While its writer lives, another run keeps it.
	if _, stderr := run(emulator.TaskOK); strings.Contains(stderr, "removed") {
		t.Errorf("a live run's file was removed: %s", stderr)
	}
	if _, err := os.Stat(part); err != nil {
		t.Fatalf("live run's file: %v", err)
	}

	if err := stalled.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited // reaped: the pid names no process now
	if _, err := os.Stat(part); err != nil {
		t.Fatalf("SIGKILL left no file (%v): the test proves nothing", err)
	}
	stdout, stderr := run(emulator.TaskOK2)
	if _, err := os.Stat(part); err == nil {
		t.Errorf("the killed run's %s is still there; stderr:\n%s", part, stderr)
	}
	if want := "note: removed " + part + " ("; !strings.Contains(stderr, want) || !strings.Contains(stderr, "process "+strconv.Itoa(stalled.Process.Pid)+" is gone") {
		t.Errorf("stderr %q, want a note %q...", stderr, want)
	}
	if !strings.Contains(stdout, emulator.TaskOK2) {
		t.Errorf("stdout %q", stdout)
	}
}
