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
	if ctx.Err() != nil {
		return "", interrupted(ctx)
	}
	fd := p.IO.StdinFd()
	read, restore, err := noEchoReader(fd)
	if err != nil {
		return "", fmt.Errorf("cannot prompt: %w", err)
	}
	fmt.Fprint(p.IO.ErrOut, label)
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := read()
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		restore()
		fmt.Fprintln(p.IO.ErrOut)
		if r.err != nil {
			return "", fmt.Errorf("cannot read from the terminal: %w", r.err)
		}
		return r.s, nil
	case <-ctx.Done():
		// The reading goroutine stays blocked until a line comes; the
		// process is about to end anyway.
		restore()
		fmt.Fprintln(p.IO.ErrOut)
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
