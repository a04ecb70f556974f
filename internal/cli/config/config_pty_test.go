//go:build linux

package config

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/diagctl/diagctl/internal/config"
)

// On a terminal, `config set SECRET` asks for the new value, even when the
// environment or the file already holds one (those are the old value).
func TestSetSecretPromptsOnTerminal(t *testing.T) {
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer tty.Close()

	h := newHarness(t)
	h.env["DIAGCTL_SANDBOX_PASSWORD"] = "from-env"
	os.MkdirAll(filepath.Dir(h.path), 0o700)
	os.WriteFile(h.path, []byte("sandbox:\n  password: old\n"), 0o600)
	ios := h.f.IOStreams
	ios.SetTTY(true, true, true)
	ios.SetStdinFd(int(tty.Fd()))
	ios.ErrOut = tty
	h.f.Context = context.Background()

	done := make(chan error, 1)
	go func() { done <- h.run(t, "set", "sandbox.password") }()

	deadline := time.Now().Add(5 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break // the prompt is waiting, without echo
		}
		select {
		case err := <-done:
			t.Fatalf("set returned without prompting: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no prompt")
		}
		time.Sleep(5 * time.Millisecond)
	}
	io.WriteString(master, "new-pw\n")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("set did not return")
	}
	delete(h.env, "DIAGCTL_SANDBOX_PASSWORD")
	cfg, err := config.Load(h.path, "", func(k string) string { return h.env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.String("sandbox.password"); got != "new-pw" {
		t.Errorf("file holds %q, want the typed value", got)
	}
	tty.Close()
	shown, _ := io.ReadAll(master)
	if !strings.Contains(string(shown), "sandbox.password: ") || strings.Contains(string(shown), "new-pw") {
		t.Errorf("terminal showed %q", shown)
	}
}
