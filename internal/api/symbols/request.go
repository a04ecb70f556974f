package symbols

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultExpiry is how long the service keeps a request created without an
// expiration date.
const DefaultExpiry = 30 * 24 * time.Hour

// maxExpiry keeps --expires-in arithmetic far from overflow; no service
// keeps symbols for a century.
const maxExpiry = 100 * 365 * 24 * time.Hour

// ParseExpiry turns --expires-in and --expires into the expiration date to
// send (nil: neither given, the service's default of 30 days applies).
//
// expiresIn is a count with a unit: "30d" (days), "2w" (weeks), "36h",
// or any Go duration ("90m", "1h30m"). expires is a date: "2026-03-01"
// (midnight UTC starting that day) or RFC 3339 ("2026-03-01T12:00:00Z",
// "2026-03-01T12:00:00+02:00"). Both given, a date not after now, or a
// period that is not positive, is an *InputError.
func ParseExpiry(expiresIn, expires string, now time.Time) (*time.Time, error) {
	switch {
	case expiresIn != "" && expires != "":
		return nil, &InputError{Field: "--expires-in, --expires", Msg: "give one of them, not both"}
	case expiresIn != "":
		d, err := parsePeriod(expiresIn)
		if err != nil {
			return nil, &InputError{Field: "--expires-in", Msg: err.Error(), Next: "write a period such as 30d, 2w or 36h"}
		}
		t := now.Add(d).UTC().Truncate(time.Second)
		return &t, nil
	case expires != "":
		t, err := parseDate(expires)
		if err != nil {
			return nil, &InputError{Field: "--expires", Msg: err.Error(), Next: "write a date such as 2026-03-01 or 2026-03-01T12:00:00Z"}
		}
		if !t.After(now) {
			return nil, &InputError{Field: "--expires", Msg: fmt.Sprintf("%s is not in the future", t.Format(time.RFC3339))}
		}
		return &t, nil
	}
	return nil, nil
}

func parsePeriod(s string) (time.Duration, error) {
	var d time.Duration
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if n := len(s); n >= 2 && unit[s[n-1]] != 0 {
		count, err := strconv.ParseUint(s[:n-1], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is not a period: the number before %q must be a whole number", s, s[n-1:])
		}
		if time.Duration(count) > maxExpiry/unit[s[n-1]] {
			return 0, fmt.Errorf("%q is longer than 100 years", s)
		}
		d = time.Duration(count) * unit[s[n-1]]
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a period", s)
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q is not a positive period", s)
	}
	if d > maxExpiry {
		return 0, fmt.Errorf("%q is longer than 100 years", s)
	}
	return d, nil
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or RFC 3339)", s)
}

// NewRequestCreate checks a request's name and description and builds the
// POST body. A name is required; neither may hold control characters
// (the description may have line breaks and tabs).
func NewRequestCreate(name, description string, expires *time.Time) (RequestCreate, error) {
	if strings.TrimSpace(name) == "" {
		return RequestCreate{}, &InputError{Field: "NAME", Msg: "a symbol request needs a name, such as the build's version (v1.2.3)"}
	}
	if !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return RequestCreate{}, &InputError{Field: "NAME", Msg: fmt.Sprintf("%q has control characters or is not UTF-8", name)}
	}
	if !utf8.ValidString(description) || strings.IndexFunc(description, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r'
	}) >= 0 {
		return RequestCreate{}, &InputError{Field: "--description", Msg: "has control characters or is not UTF-8"}
	}
	return RequestCreate{Name: name, Description: description, ExpirationDate: expires}, nil
}
