// Package prompt asks for secrets: without echo on a terminal, restoring
// the terminal if the user presses Ctrl-C, or as one line from a pipe.
package prompt

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// Prompter asks the user for secrets. Like ssh and sudo it prompts on the
// controlling terminal when there is one, so that a prompt reaches the
// person even with stderr redirected (2>/dev/null) and works with stdin a
// pipe (--from-file -). Without one it falls back on stdin and stderr.
// It can be called again (a second try after a wrong password).
type Prompter struct {
	IO *iostreams.IOStreams
	// OpenTTY opens the controlling terminal (ControllingTerminal); nil
	// means prompt on stdin and stderr only, as tests want.
	OpenTTY func() (*os.File, error)
}

// ControllingTerminal opens /dev/tty, the process's controlling terminal;
// it fails when there is none (cron, CI, setsid, Windows).
func ControllingTerminal() (*os.File, error) {
	return os.OpenFile("/dev/tty", os.O_RDWR, 0)
}

// tty opens the controlling terminal, or returns nil.
func (p *Prompter) tty() *os.File {
	if p.OpenTTY == nil {
		return nil
	}
	f, err := p.OpenTTY()
	if err != nil {
		return nil
	}
	if !term.IsTerminal(int(f.Fd())) {
		f.Close()
		return nil
	}
	return f
}

// CanPrompt tells whether Secret can ask the person: never while
// answering a completion request; else when there is a controlling
// terminal, or stdin is one.
func (p *Prompter) CanPrompt() bool {
	if p.IO.InCompletion {
		return false
	}
	if f := p.tty(); f != nil {
		f.Close()
		return true
	}
	return p.IO.CanPrompt()
}

// Secret writes label and reads a line without echoing it: on the
// controlling terminal when there is one, else on stdin (a terminal) with
// the label on stderr. If ctx is cancelled meanwhile (Ctrl-C), the
// terminal is put back as it was and the context's cause is returned.
func (p *Prompter) Secret(ctx context.Context, label string) (string, error) {
	if p.IO.InCompletion {
		return "", errors.New("no prompt while completing")
	}
	if ctx.Err() != nil {
		return "", interrupted(ctx)
	}
	var fd int
	var show io.Writer
	tty := p.tty()
	switch {
	case tty != nil:
		fd, show = int(tty.Fd()), tty
	case p.IO.CanPrompt():
		fd, show = p.IO.StdinFd(), p.IO.ErrOut
	default:
		return "", errors.New("no terminal to prompt on")
	}
	read, restore, err := noEchoReader(fd)
	if err != nil {
		if tty != nil {
			tty.Close()
		}
		return "", fmt.Errorf("cannot prompt: %w", err)
	}
	fmt.Fprint(show, label)
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := read()
		// The descriptor is read directly: keep its file (and so the
		// descriptor number) alive until the read is over.
		runtime.KeepAlive(tty)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		restore()
		fmt.Fprintln(show)
		if tty != nil {
			tty.Close()
		}
		if r.err != nil {
			return "", fmt.Errorf("cannot read from the terminal: %w", r.err)
		}
		return r.s, nil
	case <-ctx.Done():
		// The reading goroutine stays blocked until a line comes (so the
		// terminal is not closed under it); the process is about to end.
		restore()
		fmt.Fprintln(show)
		return "", interrupted(ctx)
	}
}

func interrupted(ctx context.Context) error {
	if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
		return cause
	}
	return exit.ErrInterrupted
}

// ReadLine reads one line from r, however long (IAM tokens reach 100,000
// characters), without its line ending. Reading stops at the first newline
// so that nothing after it is consumed: unless r is a *bufio.Reader it is
// read one byte at a time (bufio would read ahead, losing what follows).
func ReadLine(r io.Reader) (string, error) {
	if br, ok := r.(*bufio.Reader); ok {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return trimEOL(line), nil
	}
	var line []byte
	if br, ok := r.(io.ByteReader); ok {
		for {
			b, err := br.ReadByte()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return "", err
			}
			if b == '\n' {
				break
			}
			line = append(line, b)
		}
		return trimEOL(string(line)), nil
	}
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return "", err
		}
	}
	return trimEOL(string(line)), nil
}

func trimEOL(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}
