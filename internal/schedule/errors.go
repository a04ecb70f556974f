package schedule

import (
	"fmt"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// Error is why an interval was refused. It is always returned as *Error,
// so a caller can show the parts apart; Error() is the whole sentence:
//
//	interval "0 25 * * *": field 2 (hour) is 25; hours are 0-23
//	interval "0 */0 * * *": field 2 (hour) is */0: a step must be at least 1; hours are 0-23
//	interval "@daily": a descriptor, not five cron fields; Radar documents only five fields
//
// It implements exit.Coder (exit.Usage: nothing was sent) and exit.Hinter
// (the five-field equivalent or the fix, when there is one).
type Error struct {
	// Interval is the text as given (cut to 100 bytes for very long input).
	Interval string
	// Field is 1-5 for a problem in one field, 0 for one with the whole
	// interval (empty, wrong number of fields, descriptor, seconds).
	Field int
	// Name is the field's name ("minute", "hour", "day-of-month",
	// "month", "day-of-week"); "" when Field is 0.
	Name string
	// Text is the field as written; "" when Field is 0.
	Text string
	// Problem says what is wrong. For a field it follows "field N (name)"
	// and starts with "is": "is 25" or "is 1-5/0: a step must be at least 1".
	Problem string
	// Accepts says what the field takes ("hours are 0-23"); for Field 0
	// what an interval is.
	Accepts string
	// Suggest is the equivalent five-field interval or the rewrite that
	// fixes the problem, as a sentence ("use \"0 0 * * *\""); "" if none.
	Suggest string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "interval %q: ", e.Interval)
	if e.Field > 0 {
		fmt.Fprintf(&b, "field %d (%s) ", e.Field, e.Name)
	}
	b.WriteString(e.Problem)
	if e.Accepts != "" {
		b.WriteString("; ")
		b.WriteString(e.Accepts)
	}
	return b.String()
}

// Hint is the suggested rewrite, or "" (exit.Hinter).
func (e *Error) Hint() string { return e.Suggest }

// ExitCode is exit.Usage: a refused interval is a local check (exit.Coder).
func (e *Error) ExitCode() int { return exit.Usage }

// maxQuoted bounds how much of a hostile or pasted-by-mistake input an
// error message repeats.
const maxQuoted = 100

func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	// Cut on a rune boundary so %q does not show a broken character.
	cut := maxQuoted
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}

// whole is an error about the interval as a whole.
func whole(interval, problem, accepts, suggest string) *Error {
	return &Error{Interval: clip(interval), Problem: problem, Accepts: accepts, Suggest: suggest}
}
