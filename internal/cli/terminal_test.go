//go:build linux

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// terminal is a pseudo-terminal for the real binary: tty is the side the
// program gets, and everything it shows there is collected from master.
type terminal struct {
	master, tty *os.File
	mu          sync.Mutex
	shown       bytes.Buffer
}

// openTerminal opens a pty (the test is skipped without one) and starts
// collecting what it shows; the master side is closed when the test ends.
func openTerminal(t *testing.T) *terminal {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	term := &terminal{master: master, tty: tty}
	go func() {
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
	return term
}

// output is everything the terminal has shown so far.
func (term *terminal) output() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.shown.String()
}

// controlling makes the terminal cmd's controlling terminal (its
// /dev/tty) in a session of its own, whatever its standard streams are.
func (term *terminal) controlling(cmd *exec.Cmd) {
	cmd.ExtraFiles = []*os.File{term.tty} // fd 3
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 3}
}

// echo reports whether the terminal echoes what is typed.
func (term *terminal) echo(t *testing.T) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(term.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}
