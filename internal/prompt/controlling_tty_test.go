//go:build linux

package prompt

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/iostreams"
)

// With stderr going nowhere and stdin a pipe, the prompt still reaches the
// person: it is written to, and read from, the controlling terminal, with
// echo off and the terminal restored; and it can be asked again.
func TestSecretOnControllingTerminal(t *testing.T) {
	term := newTerminal(t)
	ios, in, _, _ := iostreams.Test()
	in.WriteString("id-1\nid-2\n") // stdin is a pipe holding IDs
	ios.ErrOut = io.Discard        // 2>/dev/null
	name := term.tty.Name()
	p := &Prompter{IO: ios, OpenTTY: func() (*os.File, error) { return os.OpenFile(name, os.O_RDWR, 0) }}
	if !p.CanPrompt() {
		t.Fatal("CanPrompt is false with a controlling terminal")
	}
	for i, secret := range []string{"wrong-one", "hunter2"} {
		label := "Sandbox password for alice: "
		done := startSecret(context.Background(), p, label)
		waitFor(t, "the label on the terminal", func() bool { return strings.Count(term.output(), label) == i+1 })
		waitFor(t, "echo off", func() bool { return !term.echo(t) })
		if _, err := io.WriteString(term.master, secret+"\n"); err != nil {
			t.Fatal(err)
		}
		r := await(t, done)
		if r.err != nil || r.s != secret {
			t.Fatalf("try %d: Secret = %q, %v", i+1, r.s, r.err)
		}
		if !term.echo(t) {
			t.Errorf("try %d: echo not restored", i+1)
		}
	}
	// Anything echoed reached the master before this marker does.
	io.WriteString(term.tty, "<end>")
	waitFor(t, "the marker", func() bool { return strings.Contains(term.output(), "<end>") })
	if out := term.output(); strings.Contains(out, "hunter2") || strings.Contains(out, "wrong-one") {
		t.Errorf("a secret was echoed: %q", out)
	}
	if in.String() != "id-1\nid-2\n" {
		t.Errorf("stdin was read: %q left", in.String())
	}
}

// Without a controlling terminal, today's behaviour: stdin if it is a
// terminal, else no prompt.
func TestSecretWithoutControllingTerminal(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	p := &Prompter{IO: ios, OpenTTY: func() (*os.File, error) { return nil, os.ErrNotExist }}
	if p.CanPrompt() {
		t.Error("CanPrompt with no terminal anywhere")
	}
	if _, err := p.Secret(context.Background(), "Password: "); err == nil || errOut.Len() != 0 {
		t.Errorf("Secret = %v, label %q", err, errOut.String())
	}
	// A controlling terminal is not used while completing.
	term := newTerminal(t)
	name := term.tty.Name()
	p.OpenTTY = func() (*os.File, error) { return os.OpenFile(name, os.O_RDWR, 0) }
	ios.InCompletion = true
	if p.CanPrompt() {
		t.Error("CanPrompt while completing")
	}
	if _, err := p.Secret(context.Background(), "Password: "); err == nil {
		t.Error("prompted while completing")
	}
}
