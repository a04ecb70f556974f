//go:build linux

package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/emulator"
)

// The real binary, as a person runs it with 2>/dev/null and the IDs piped
// in (--from-file -): the password prompt appears on the controlling
// terminal, is read there without echo, and the terminal is restored.
func TestPasswordPromptOnControllingTerminal(t *testing.T) {
	bin, err := exec.LookPath("diagctl")
	if err != nil {
		t.Skip("diagctl is not on $PATH (TestMain installs it)")
	}
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	term := openTerminal(t)

	dir := t.TempDir()
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	var stdout bytes.Buffer
	cmd := exec.Command(bin, "sandbox", "debug-report", "--no-progress", "--from-file", "-", "-d", dir)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + dir,
		"DIAGCTL_SANDBOX_SERVER=" + srv.URL, "DIAGCTL_SANDBOX_USER=" + emulator.SandboxUser}
	cmd.Stdin = strings.NewReader(emulator.TaskOK + "\n")
	cmd.Stdout, cmd.Stderr = &stdout, devnull
	term.controlling(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	waitUntil(t, exited, "the prompt on the terminal", func() bool {
		return strings.Contains(term.output(), "Password for "+emulator.SandboxUser+"@") && !term.echo(t)
	})
	io.WriteString(term.master, emulator.SandboxPassword+"\n")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("diagctl: %v; terminal showed %q", err, term.output())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("diagctl did not finish; terminal showed %q", term.output())
	}
	if !term.echo(t) {
		t.Error("echo left off")
	}
	if !strings.Contains(stdout.String(), filepath.Join(dir, "debug_report_"+emulator.TaskOK+".zip")) {
		t.Errorf("stdout %q", stdout.String())
	}
	io.WriteString(term.tty, "<end>") // everything echoed came before this
	waitUntil(t, nil, "the marker", func() bool { return strings.Contains(term.output(), "<end>") })
	if strings.Contains(term.output(), emulator.SandboxPassword) {
		t.Errorf("password echoed: %q", term.output())
	}
}
