package cmdutil

import "strconv"

// SilentError is an error whose messages were already printed (one per
// failed item): the top level prints nothing more and only exits with
// its status, the worst of the failures.
type SilentError struct{ Code int }

func (e *SilentError) Error() string {
	return "exit status " + strconv.Itoa(e.Code) + " (already reported)"
}
func (e *SilentError) ExitCode() int { return e.Code }
