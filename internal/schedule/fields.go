package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// bound is what one of the five fields accepts.
type bound struct {
	name     string
	min, max int
	names    []string // lower-case names for min, min+1, ...; nil if none
	accepts  string
}

// Field positions, 0-based (messages count from 1).
const (
	fMinute = iota
	fHour
	fDom
	fMonth
	fDow
)

var bounds = [5]bound{
	{"minute", 0, 59, nil, "minutes are 0-59"},
	{"hour", 0, 23, nil, "hours are 0-23"},
	{"day-of-month", 1, 31, nil, "days of the month are 1-31"},
	{"month", 1, 12, []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
		"months are 1-12 or JAN-DEC"},
	// 7 is Sunday as well as 0, as in Vixie cron and most of its
	// descendants; robfig/cron does not take 7, so it is rewritten.
	{"day-of-week", 0, 7, []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"},
		"days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT"},
}

// item is one comma-separated part of a field: "*", "*/15", "5", "1-5",
// "1-5/2", "MON-FRI".
type item struct {
	star   bool // "*", with or without a step
	lo, hi int  // the values covered before the step (lo == hi: one value)
	step   int  // 1 when none was given
}

func (it item) single() bool { return !it.star && it.lo == it.hi && it.step == 1 }

// field is one parsed field.
type field struct {
	text  string
	items []item
	bits  uint64 // bit v set when value v matches (day-of-week 7 folded to 0)
	// all is robfig's notion of an unrestricted field: some item is "*"
	// with no step (or step 1). It decides, for the two day fields,
	// whether both must match or either (see Schedule.EitherDay).
	all bool
}

// fieldError is a problem inside one field, before it knows the whole
// interval; Parse turns it into *Error ("is TEXT: problem").
type fieldError struct {
	problem string // "" when "is TEXT" says it all ("is 25" for an hour)
	suggest string
}

// parseField parses field i (0-based) written as text.
func parseField(i int, text string) (field, *fieldError) {
	b := bounds[i]
	f := field{text: text}
	parts := strings.Split(text, ",")
	for _, part := range parts {
		it, ferr := parseItem(b, part, len(parts) == 1)
		if ferr != nil {
			return field{}, ferr
		}
		f.items = append(f.items, it)
		if it.star && it.step == 1 {
			f.all = true
		}
		for v := it.lo; v <= it.hi; v += it.step {
			if i == fDow && v == 7 {
				f.bits |= 1
				continue
			}
			f.bits |= 1 << uint(v)
		}
	}
	return f, nil
}

// parseItem parses one list item; alone is true when the item is the
// whole field, so that "is 25" needs no more words.
func parseItem(b bound, part string, alone bool) (item, *fieldError) {
	bad := func(format string, a ...any) *fieldError { return &fieldError{problem: fmt.Sprintf(format, a...)} }
	if part == "" {
		return item{}, bad("the list has an empty item")
	}
	rangeText, stepText, hasStep := strings.Cut(part, "/")
	it := item{step: 1}
	if hasStep {
		step, ok := number(stepText)
		switch {
		case strings.Contains(stepText, "/"):
			return item{}, bad("%s has more than one /", show(part))
		case stepText == "":
			return item{}, bad("%s has no step after /", show(part))
		case !ok && allDigits(stepText):
			return item{}, bad("step %s is too large; steps are 1-%d", show(stepText), b.max-b.min+1)
		case !ok:
			if e := quartz(stepText); e != nil {
				return item{}, e
			}
			return item{}, bad("step %s is not a number", show(stepText))
		case step == 0:
			return item{}, bad("a step must be at least 1")
		case step > b.max-b.min+1:
			return item{}, bad("step %d is too large; steps are 1-%d", step, b.max-b.min+1)
		}
		it.step = step
	}
	if rangeText == "*" {
		it.star, it.lo, it.hi = true, b.min, b.max
		if b.name == "day-of-week" {
			it.hi = 6 // "*" is every day once, not Sunday twice
		}
		return it, nil
	}
	loText, hiText, isRange := strings.Cut(rangeText, "-")
	switch {
	case isRange && loText == "" && allDigits(strings.ReplaceAll(hiText, "-", "")):
		return item{}, bad("%s is negative", show(rangeText))
	case isRange && strings.Contains(hiText, "-"):
		return item{}, bad("%s has more than one -", show(rangeText))
	case isRange && (loText == "" || hiText == ""):
		return item{}, bad("%s needs a value on both sides of -", show(rangeText))
	}
	lo, ferr := value(b, loText, alone && !isRange && !hasStep)
	if ferr != nil {
		return item{}, ferr
	}
	hi := lo
	if isRange {
		if hi, ferr = value(b, hiText, false); ferr != nil {
			return item{}, ferr
		}
		if lo > hi {
			return item{}, &fieldError{
				problem: fmt.Sprintf("%s runs backwards (ranges do not wrap around)", show(rangeText)),
				suggest: wrapSuggestion(b, lo, hi, hasStep),
			}
		}
	}
	if hasStep && !isRange {
		// "5/15" is 5-59/15 to robfig and cronie but an error to Vixie
		// cron: the service's dialect is unknown, so make the user say it.
		return item{}, &fieldError{
			problem: fmt.Sprintf("%s puts a step on a single value", show(part)),
			suggest: fmt.Sprintf("write %d-%d/%d (from %d, every %d) or */%d", lo, b.max, it.step, lo, it.step, it.step),
		}
	}
	it.lo, it.hi = lo, hi
	return it, nil
}

// value parses a number or, where the field has them, a three-letter
// name. alone: s is the whole field, and "is 25" already shows it.
func value(b bound, s string, alone bool) (int, *fieldError) {
	v, ok := number(s)
	if ok && v >= b.min && v <= b.max {
		return v, nil
	}
	if ok || allDigits(s) { // too many digits for an int: out of range all the same
		if alone {
			return 0, &fieldError{}
		}
		return 0, &fieldError{problem: fmt.Sprintf("%s is out of range", show(s))}
	}
	lower := strings.ToLower(s)
	for i, n := range b.names {
		if n == lower {
			return b.min + i, nil
		}
	}
	if e := quartz(s); e != nil {
		return 0, e
	}
	if b.names != nil {
		return 0, &fieldError{problem: fmt.Sprintf("%s is not a number or a %s name", show(s), b.name)}
	}
	return 0, &fieldError{problem: fmt.Sprintf("%s is not a number", show(s))}
}

// quartz recognises the Quartz and Spring extensions that five-field cron
// does not have: L (last), W (nearest weekday), # (nth weekday), ?.
func quartz(s string) *fieldError {
	lastIs := func(c byte) bool {
		return len(s) > 1 && allDigits(s[:len(s)-1]) && (s[len(s)-1] == c || s[len(s)-1] == c+'a'-'A')
	}
	switch {
	case s == "?":
		return &fieldError{problem: "? is Quartz syntax, not five-field cron", suggest: "write * instead of ?"}
	case strings.Contains(s, "#"):
		return &fieldError{problem: fmt.Sprintf("%s: # (nth weekday of the month) is a Quartz extension, not five-field cron", show(s))}
	case strings.EqualFold(s, "L"), strings.EqualFold(s, "LW"), lastIs('L'):
		return &fieldError{problem: fmt.Sprintf("%s: L (last) is a Quartz extension, not five-field cron", show(s))}
	case strings.EqualFold(s, "W"), lastIs('W'):
		return &fieldError{problem: fmt.Sprintf("%s: W (nearest weekday) is a Quartz extension, not five-field cron", show(s))}
	}
	return nil
}

// wrapSuggestion rewrites a backwards range as the two ranges it likely
// meant: 22-3 is 22-23,0-3.
func wrapSuggestion(b bound, lo, hi int, hasStep bool) string {
	if hasStep {
		return "" // a wrapped step has no faithful rewrite
	}
	top := b.max
	if b.name == "day-of-week" {
		top = 6
	}
	first := fmt.Sprintf("%d-%d", lo, top)
	if lo == top {
		first = strconv.Itoa(lo)
	}
	second := fmt.Sprintf("%d-%d", b.min, hi)
	if hi == b.min {
		second = strconv.Itoa(hi)
	}
	return fmt.Sprintf("to wrap around, write %s,%s", first, second)
}

// number parses plain decimal digits (no sign, no spaces) of a size that
// fits; leading zeros are fine ("05").
func number(s string) (int, bool) {
	if s == "" || len(s) > 9 || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// show is s as it can be printed: itself when it is plain printable
// ASCII, else Go-quoted, so no control character reaches a terminal.
func show(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == '"' || s[i] == '\\' {
			return strconv.Quote(s)
		}
	}
	return s
}
