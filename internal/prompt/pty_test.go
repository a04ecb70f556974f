//go:build linux

package prompt

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// terminal is a real pseudo-terminal: the prompt side (tty) and the
// user's side (master), with everything the program shows collected.
type terminal struct {
	master, tty *os.File
	mu          sync.Mutex
	shown       strings.Builder
	copied      chan struct{}
}

func newTerminal(t *testing.T) *terminal {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	term := &terminal{master: master, tty: tty, copied: make(chan struct{})}
	go func() {
		defer close(term.copied)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			term.mu.Lock()
			term.shown.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		tty.Close()
		master.Close()
		select {
		case <-term.copied:
		case <-time.After(2 * time.Second): // a reader stuck on the tty
		}
	})
	return term
}

func (term *terminal) streams() *iostreams.IOStreams {
	ios, _, _, _ := iostreams.Test()
	ios.SetTTY(true, true, true)
	ios.SetStdinFd(int(term.tty.Fd()))
	ios.ErrOut = term.tty
	return ios
}

// flush writes a marker from the program's side and waits until the user's
// side shows it: everything the program wrote (or the terminal echoed)
// before it has arrived by then.
func (term *terminal) flush(t *testing.T) {
	t.Helper()
	const marker = "\x00flush\x00"
	if _, err := io.WriteString(term.tty, marker); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the flush marker", func() bool { return strings.Contains(term.output(), marker) })
}

// typeAndSeeEcho types a line on the user's side and waits until the
// terminal echoes it back: proof that echo is on and a reader took it.
func (term *terminal) typeAndSeeEcho(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(term.master, line+"\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the echo of "+line, func() bool { return strings.Contains(term.output(), line) })
}

func (term *terminal) output() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.shown.String()
}

func (term *terminal) echo(t *testing.T) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(term.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// waitFor polls cond until it holds or 5 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type secretResult struct {
	s   string
	err error
}

func startSecret(ctx context.Context, p *Prompter, label string) <-chan secretResult {
	done := make(chan secretResult, 1)
	go func() {
		s, err := p.Secret(ctx, label)
		done <- secretResult{s, err}
	}()
	return done
}

func await(t *testing.T, done <-chan secretResult) secretResult {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("Secret did not return")
	}
	return secretResult{}
}

func TestSecretOnPTYDoesNotEcho(t *testing.T) {
	term := newTerminal(t)
	if !term.echo(t) {
		t.Fatal("a new pty has echo off")
	}
	p := &Prompter{IO: term.streams()}
	done := startSecret(context.Background(), p, "Sandbox password for alice: ")
	waitFor(t, "the label", func() bool { return strings.Contains(term.output(), "Sandbox password for alice: ") })
	waitFor(t, "echo off", func() bool { return !term.echo(t) })
	if _, err := io.WriteString(term.master, "hunter2\n"); err != nil {
		t.Fatal(err)
	}
	r := await(t, done)
	if r.err != nil || r.s != "hunter2" {
		t.Fatalf("Secret = %q, %v", r.s, r.err)
	}
	if !term.echo(t) {
		t.Error("echo not restored after the prompt")
	}
	term.flush(t)
	out := strings.ReplaceAll(term.output(), "\x00flush\x00", "")
	if strings.Contains(out, "hunter2") {
		t.Errorf("the secret was echoed: %q", out)
	}
	if !strings.HasSuffix(strings.ReplaceAll(out, "\r", ""), "\n") {
		t.Errorf("no newline after the hidden input: %q", out)
	}
}

func TestSecretOnPTYLongAndCRLF(t *testing.T) {
	term := newTerminal(t)
	p := &Prompter{IO: term.streams()}
	// A canonical-mode line is limited by the kernel (4095 bytes on
	// Linux): longer tokens must come from the environment or stdin.
	secret := strings.Repeat("k", 3000)
	done := startSecret(context.Background(), p, "Token: ")
	waitFor(t, "echo off", func() bool { return !term.echo(t) })
	io.WriteString(term.master, secret+"\r")
	r := await(t, done)
	if r.err != nil || r.s != secret {
		t.Fatalf("Secret = %d bytes, %v", len(r.s), r.err)
	}
	if strings.Contains(term.output(), "kkkk") {
		t.Error("secret echoed")
	}
}

func TestSecretCancelRestoresEcho(t *testing.T) {
	term := newTerminal(t)
	p := &Prompter{IO: term.streams()}
	ctx, cancel := context.WithCancelCause(context.Background())
	done := startSecret(ctx, p, "Password: ")
	waitFor(t, "echo off", func() bool { return !term.echo(t) })
	cancel(exit.ErrInterrupted)
	r := await(t, done)
	if !errors.Is(r.err, exit.ErrInterrupted) || exit.Code(r.err) != exit.Interrupted {
		t.Errorf("err %v, want interrupted", r.err)
	}
	if !term.echo(t) {
		t.Error("echo still off after the prompt was cancelled")
	}
	// Release the reader still blocked on the terminal; echo must stay
	// on: what is typed next is shown.
	term.typeAndSeeEcho(t, "after-cancel")
	if !term.echo(t) {
		t.Error("echo turned off again after the cancelled prompt")
	}
}

func TestSecretCancelledBeforeLeavesEchoOn(t *testing.T) {
	term := newTerminal(t)
	p := &Prompter{IO: term.streams()}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := await(t, startSecret(ctx, p, "Password: "))
	if exit.Code(r.err) != exit.Interrupted {
		t.Errorf("err %v, want interrupted", r.err)
	}
	// Typed text is echoed (this also releases a reader, if one was
	// started).
	term.typeAndSeeEcho(t, "after-early-cancel")
	if !term.echo(t) {
		t.Error("a prompt cancelled before it began left echo off")
	}
}

func TestSecretEndOfInput(t *testing.T) {
	term := newTerminal(t)
	p := &Prompter{IO: term.streams()}
	done := startSecret(context.Background(), p, "Password: ")
	waitFor(t, "echo off", func() bool { return !term.echo(t) })
	io.WriteString(term.master, "\x04") // Ctrl-D on an empty line
	r := await(t, done)
	if r.s != "" {
		t.Errorf("Secret = %q, %v", r.s, r.err)
	}
	if !term.echo(t) {
		t.Error("echo not restored")
	}
}
