//go:build !unix

package cli

// detachFromTerminal: there is no /dev/tty to detach from.
func detachFromTerminal() {}
