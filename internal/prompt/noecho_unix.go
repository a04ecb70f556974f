//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package prompt

import (
	"io"

	"golang.org/x/sys/unix"
)

// noEchoReader turns echo off on the terminal fd before it returns, so
// that a cancellation at any later moment finds the state it must undo.
// (term.ReadPassword turns echo off inside the reading goroutine: a Ctrl-C
// that came first had its restore undone and left the terminal silent.)
// Line editing and Ctrl-C (ICANON, ISIG) stay on.
func noEchoReader(fd int) (read func() (string, error), restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
	if err != nil {
		return nil, nil, err
	}
	t := *old
	t.Lflag &^= unix.ECHO
	t.Lflag |= unix.ICANON | unix.ISIG
	t.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlWriteTermios, &t); err != nil {
		return nil, nil, err
	}
	restore = func() { _ = unix.IoctlSetTermios(fd, ioctlWriteTermios, old) }
	return func() (string, error) { return ReadLine(fdReader(fd)) }, restore, nil
}

// fdReader reads the descriptor directly: an *os.File made from it would
// close it when collected.
type fdReader int

func (r fdReader) Read(p []byte) (int, error) {
	n, err := unix.Read(int(r), p)
	if n < 0 {
		n = 0
	}
	if n == 0 && err == nil {
		return 0, io.EOF // Ctrl-D at the start of a line
	}
	return n, err
}
