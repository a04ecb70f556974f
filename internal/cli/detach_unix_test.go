//go:build unix

package cli

import "syscall"

// detachFromTerminal starts a new session, which has no controlling
// terminal; it fails harmlessly in a session leader.
func detachFromTerminal() { _, _ = syscall.Setsid() }
