// Package prompt asks for secrets: without echo on a terminal, restoring
// the terminal if the user presses Ctrl-C, or as one line from a pipe.
package prompt

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/term"

	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// Prompter asks the user for secrets through the process's streams.
type Prompter struct {
	IO *iostreams.IOStreams
}

// Secret writes label to stderr and reads a line from the terminal without
// echoing it. If ctx is cancelled meanwhile (Ctrl-C), the terminal is put
// back as it was and the context's cause is returned.
func (p *Prompter) Secret(ctx context.Context, label string) (string, error) {
	if !p.IO.CanPrompt() {
		return "", errors.New("no terminal to prompt on")
	}
	fd := p.IO.StdinFd()
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("cannot prompt: %w", err)
	}
	fmt.Fprint(p.IO.ErrOut, label)
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(p.IO.ErrOut)
		if r.err != nil {
			return "", fmt.Errorf("cannot read from the terminal: %w", r.err)
		}
		return string(r.b), nil
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(p.IO.ErrOut)
		if cause := context.Cause(ctx); cause != nil {
			return "", cause
		}
		return "", exit.ErrInterrupted
	}
}

// ReadLine reads one line from r, however long (IAM tokens reach 100,000
// characters), without its line ending. Reading stops at the first newline
// so that nothing after it is consumed.
func ReadLine(r io.Reader) (string, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1)
	}
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
