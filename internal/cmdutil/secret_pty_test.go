//go:build linux

package cmdutil

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/diagctl/diagctl/internal/exit"
)

// TestSecretPromptsOnTerminal: with no value anywhere and a terminal on
// stdin, the secret is asked for without echo.
func TestSecretPromptsOnTerminal(t *testing.T) {
	for _, tt := range []struct {
		typed, want string
		code        int
	}{
		{"hunter2\n", "hunter2", exit.OK},
		{"\n", "", exit.Usage}, // an empty answer is a missing setting
	} {
		master, tty, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err)
		}
		f, _, _ := secretFactory(t, "", nil)
		f.IOStreams.SetTTY(true, true, true)
		f.IOStreams.SetStdinFd(int(tty.Fd()))
		f.IOStreams.ErrOut = tty
		f.Prompter.IO = f.IOStreams
		f.Context = context.Background()

		type result struct {
			v   string
			err error
		}
		done := make(chan result, 1)
		go func() {
			v, err := f.Secret(passwordSpec)
			done <- result{v, err}
		}()
		// Wait for echo to be off, then type.
		deadline := time.Now().Add(5 * time.Second)
		for {
			tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if tio.Lflag&unix.ECHO == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no prompt")
			}
			time.Sleep(5 * time.Millisecond)
		}
		io.WriteString(master, tt.typed)
		var r result
		select {
		case r = <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Secret did not return")
		}
		if r.v != tt.want || exit.Code(r.err) != tt.code {
			t.Errorf("typed %q: Secret = %q, %v", tt.typed, r.v, r.err)
		}
		tty.Close()
		shown, _ := io.ReadAll(master)
		master.Close()
		if !strings.Contains(string(shown), "Sandbox password: ") || strings.Contains(string(shown), "hunter2") {
			t.Errorf("terminal showed %q", shown)
		}
	}
}
