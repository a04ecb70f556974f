// Package exit holds the typed errors every layer returns and the exit
// statuses they map to. It is a leaf package so any layer can use it.
package exit

import (
	"errors"
	"fmt"
)

// Exit statuses, as documented in DESIGN.md and in every command's help.
const (
	OK          = 0
	Failure     = 1   // any other error: local I/O, corrupt archive, ...
	Usage       = 2   // bad flag or argument, missing setting; nothing was sent
	Auth        = 3   // authentication or permission refused (401, 403)
	NotFound    = 4   // 404, or a vendor code that means not found
	Rejected    = 5   // the service rejected the request (other 4xx)
	Service     = 6   // 5xx, connection, TLS, timeout, after retries
	Interrupted = 130 // Ctrl-C or SIGTERM
)

// StatusHelp is appended to every command's long help: scripts need it.
const StatusHelp = `EXIT STATUS
  0    success
  1    any other error (local I/O, corrupt archive, ...)
  2    usage: bad flag or argument, missing setting, local validation failed (nothing was sent)
  3    authentication or permission refused (401, 403)
  4    not found (404, or a vendor code that means not found)
  5    the service rejected the request (other 4xx, e.g. 400, 409)
  6    the service or network failed (5xx, connection, TLS, timeout) after retries,
       or answered HTTP 200 with something else than the file (an error body
       whose vendor code has a status of its own, e.g. "not found", exits by it)
  130  interrupted (Ctrl-C, SIGTERM): nothing half-written is left behind`

// Coder is implemented by every error that knows its exit status.
type Coder interface{ ExitCode() int }

// Hinter is implemented by errors that can tell the user what to do next.
type Hinter interface{ Hint() string }

// Error is a plain error with an exit status and a next step for the user.
type Error struct {
	Code int
	Msg  string
	Next string // what to do next; printed on its own line
	Err  error  // the cause, if any
}

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}
func (e *Error) Unwrap() error { return e.Err }
func (e *Error) ExitCode() int { return e.Code }
func (e *Error) Hint() string  { return e.Next }

// FlagError is a usage error that also prints the command's usage line.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }
func (e *FlagError) ExitCode() int { return Usage }

// FlagErrorf reports a bad flag or argument (exit 2, usage shown).
func FlagErrorf(format string, a ...any) error {
	return &FlagError{Err: fmt.Errorf(format, a...)}
}

// UsageErrorf reports a missing setting or failed local validation (exit 2),
// with the next step the user should take.
func UsageErrorf(next, format string, a ...any) error {
	return &Error{Code: Usage, Msg: fmt.Sprintf(format, a...), Next: next}
}

// Errorf builds an error with an explicit exit status and hint.
func Errorf(code int, next, format string, a ...any) error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, a...), Next: next}
}

// Wrapf attaches an exit status, a hint and a message to err, keeping it
// in the chain. Its arguments come in the order of Errorf's and
// UsageErrorf's: status, then what to do next, then the message.
func Wrapf(err error, code int, next, format string, a ...any) error {
	if err == nil {
		return nil
	}
	return &Error{Code: code, Msg: fmt.Sprintf(format, a...), Next: next, Err: err}
}

// ErrInterrupted is returned when the user pressed Ctrl-C or the process got SIGTERM.
var ErrInterrupted = &Error{Code: Interrupted, Msg: "interrupted"}

// Code finds the exit status of err: the first Coder in its chain
// decides; anything else is a plain failure.
func Code(err error) int {
	if err == nil {
		return OK
	}
	var c Coder
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return Failure
}

// Hint returns the first hint found in err's tree, searched depth-first
// like errors.As (so errors.Join and multiple %w are searched too).
func Hint(err error) string {
	if err == nil {
		return ""
	}
	if h, ok := err.(Hinter); ok && h.Hint() != "" {
		return h.Hint()
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return Hint(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if h := Hint(e); h != "" {
				return h
			}
		}
	}
	return ""
}

// Worse picks the exit status to report when several operations failed
// differently: interrupted beats everything, then the highest status.
func Worse(a, b int) int {
	if a == Interrupted || b == Interrupted {
		return Interrupted
	}
	if b > a {
		return b
	}
	return a
}
