// Package iostreams is the one place that knows about the process's standard
// streams: whether each is a terminal, whether progress may be drawn and
// whether a prompt is possible. Commands ask it and never touch os.Stdout.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams carries the three streams and the decisions that depend on them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	stdinFd, stderrFd              int

	// Quiet: nothing on stderr but errors. NoProgress: no bar or spinner.
	Quiet      bool
	NoProgress bool
	// InCompletion is set while answering a shell-completion request: no
	// prompts, no secrets, no network.
	InCompletion bool
}

// System returns the process's real streams.
func System() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
		stdinFd:   int(os.Stdin.Fd()),
		stderrFd:  int(os.Stderr.Fd()),
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test returns streams backed by buffers; none of them is a terminal.
func Test() (s *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, stdinFd: -1, stderrFd: -1}, in, out, errOut
}

func (s *IOStreams) IsStdinTTY() bool  { return s.stdinTTY }
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// StdinFd is the descriptor a no-echo prompt reads from (-1 when there is none).
func (s *IOStreams) StdinFd() int { return s.stdinFd }

// SetTTY overrides terminal detection (tests, and pseudo-terminal runs).
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// SetStdinFd sets the descriptor used for no-echo prompts.
func (s *IOStreams) SetStdinFd(fd int) { s.stdinFd = fd }

// SetStderrFd sets the descriptor whose terminal width the bar fits.
func (s *IOStreams) SetStderrFd(fd int) { s.stderrFd = fd }

// TerminalWidth is the width of the terminal on stderr, asked afresh each
// time so that the bar follows a resize; 80 when it cannot be known.
func (s *IOStreams) TerminalWidth() int {
	if s.stderrFd >= 0 {
		if w, _, err := term.GetSize(s.stderrFd); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// CanPrompt tells whether a secret may be asked for interactively: stdin
// must be a terminal (the label goes to stderr, which may be redirected).
func (s *IOStreams) CanPrompt() bool {
	return s.stdinTTY && !s.InCompletion && s.stdinFd >= 0
}

// ProgressEnabled: a bar is drawn only on a terminal stderr, never in quiet
// or --no-progress mode (a bar in a pipe or a CI log is noise).
func (s *IOStreams) ProgressEnabled() bool {
	return s.stderrTTY && !s.Quiet && !s.NoProgress
}

// Info writes a note on stderr unless quiet: everything that is not a result.
func (s *IOStreams) Info() io.Writer {
	if s.Quiet {
		return io.Discard
	}
	return s.ErrOut
}
