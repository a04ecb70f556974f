//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package prompt

import "golang.org/x/term"

// noEchoReader falls back on term.ReadPassword, which turns echo off
// itself; restore puts back the state found before the prompt.
func noEchoReader(fd int) (read func() (string, error), restore func(), err error) {
	state, err := term.GetState(fd)
	if err != nil {
		return nil, nil, err
	}
	read = func() (string, error) {
		b, err := term.ReadPassword(fd)
		return string(b), err
	}
	return read, func() { _ = term.Restore(fd, state) }, nil
}
