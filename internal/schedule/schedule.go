// Package schedule checks and explains the interval of a Pangeo Radar
// report task before it is sent. Radar documents the interval only as
// "cron format" with a five-field example, so this package takes exactly
// standard five-field cron and refuses what other dialects add:
//
//	minute hour day-of-month month day-of-week
//	0-59   0-23 1-31         1-12  0-7 (0 and 7 are Sunday)
//	              or JAN-DEC   or SUN-SAT (names in any case, three letters)
//
// Each field is a comma-separated list of items: "*", a value, a range
// "lo-hi", or either of "*" and a range with a step "/n" ("*/15",
// "1-5/2"). Refused, with a message that names the field: values out of
// range, backwards ranges (22-3; the hint writes 22-23,0-3), a step of 0 or
// larger than the field, a step on a single value ("5/15": robfig/cron
// reads it as 5-59/15, Vixie cron refuses it), empty list items, the
// Quartz/Spring extensions L, W, # and ?, a day that no chosen month has
// ("0 0 30 2 *"), descriptors (@daily, @every 1h: the hint gives the five
// fields where they exist), six fields with seconds (the hint drops them),
// a "TZ=" prefix, and any other number of fields.
//
// Day-of-month and day-of-week: when both are restricted (neither is "*"),
// a day matches if either matches, as in Vixie cron; Schedule.EitherDay
// reports it. "Restricted" follows robfig/cron, which computes the run
// times: a field is unrestricted only if one of its items is "*" with no
// step (or "/1"). Vixie cron also counts "*/2" as unrestricted; for "*/2"
// in one day field and a restriction in the other, Vixie requires both and
// this package (and robfig) either. Run times come from robfig/cron/v3's
// SpecSchedule.Next, with its handling of daylight-saving changes, which
// differs from Vixie cron's (see Schedule.Next).
package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// FieldNames are the five fields in order, as messages name them.
var FieldNames = [5]string{"minute", "hour", "day-of-month", "month", "day-of-week"}

// Schedule is a valid five-field interval. Its methods are safe for
// concurrent use.
type Schedule struct {
	text   string
	fields [5]field
	spec   *cron.SpecSchedule
}

// fiveFields is what every interval error about the shape says.
const fiveFields = "an interval is five fields: minute hour day-of-month month day-of-week"

// robfigParser reads the normalised text Parse builds; it never sees user
// input directly, so its messages never reach the user.
var robfigParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// Parse checks interval as five-field cron. Fields are separated by spaces
// or tabs; leading and trailing blanks are ignored. A refused interval
// gives *Error.
func Parse(interval string) (*Schedule, error) {
	text := strings.TrimSpace(interval)
	parts := strings.Fields(text)
	if err := checkShape(interval, text, parts); err != nil {
		return nil, err
	}
	s := &Schedule{text: strings.Join(parts, " ")}
	for i, p := range parts {
		f, ferr := parseField(i, p)
		if ferr != nil {
			return nil, fieldErr(interval, i, p, ferr)
		}
		s.fields[i] = f
	}
	if err := s.checkDaysExist(interval); err != nil {
		return nil, err
	}
	sched, err := robfigParser.Parse(s.robfigText())
	if err != nil {
		// The checks above accept only what robfig accepts; the fuzz test
		// holds them to it. Should they ever disagree, refuse plainly.
		return nil, whole(interval, "cannot be read as cron ("+err.Error()+")", fiveFields, "")
	}
	// Without a TZ= prefix robfig's Location is time.Local, which it reads
	// as "the location of the time given to Next".
	s.spec = sched.(*cron.SpecSchedule)
	return s, nil
}

func fieldErr(interval string, i int, text string, fe *fieldError) *Error {
	problem := "is " + show(text)
	if p := fe.problem; p != "" {
		// "is L: L: L (last) is ..." says the field twice: a problem
		// found in the whole field drops its own copy of it.
		if rest, cut := strings.CutPrefix(p, show(text)); cut && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, ":")) {
			p = strings.TrimPrefix(strings.TrimLeft(rest, ": "), "is ")
		}
		problem += ": " + p
	}
	return &Error{
		Interval: clip(interval), Field: i + 1, Name: bounds[i].name, Text: text,
		Problem: problem, Accepts: bounds[i].accepts, Suggest: fe.suggest,
	}
}

// daysIn is the most days each month can have (February in a leap year).
var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

var monthNames = [13]string{"", "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// checkDaysExist refuses an interval that can never run because no chosen
// month has a chosen day ("0 0 31 4,6,9,11 *", "0 0 30 2 *"). With a
// restricted day-of-week the weekday alone can match, so it always runs.
func (s *Schedule) checkDaysExist(interval string) error {
	dom, month, dow := s.fields[fDom], s.fields[fMonth], s.fields[fDow]
	if !dow.all {
		return nil
	}
	first := 32
	var months []string
	for m := 1; m <= 12; m++ {
		if month.bits&(1<<uint(m)) == 0 {
			continue
		}
		months = append(months, monthNames[m])
		for d := 1; d <= daysIn[m]; d++ {
			if dom.bits&(1<<uint(d)) != 0 {
				return nil
			}
		}
	}
	for d := 1; d <= 31; d++ {
		if dom.bits&(1<<uint(d)) != 0 {
			first = d
			break
		}
	}
	days := "day " + fmt.Sprint(first)
	if dom.bits&^(1<<uint(first)) != 0 {
		days += " or later"
	}
	verb := "have"
	if len(months) == 1 {
		verb = "has"
	}
	return &Error{
		Interval: clip(interval), Field: fDom + 1, Name: bounds[fDom].name, Text: dom.text,
		Problem: fmt.Sprintf("is %s: %s %s no %s, so the task would never run",
			show(dom.text), joinWords(months, "and"), verb, days),
	}
}

// robfigText is the interval in the form robfig parses: the user's text,
// with every day-of-week item that reaches 7 written out as a list (robfig
// stops at 6) and names kept (robfig knows the same ones).
func (s *Schedule) robfigText() string {
	parts := make([]string, 5)
	for i, f := range s.fields {
		parts[i] = f.text
	}
	dow := s.fields[fDow]
	var items []string
	for _, it := range dow.items {
		if it.star || it.hi < 7 {
			items = append(items, itemText(it))
			continue
		}
		for v := it.lo; v <= it.hi; v += it.step {
			items = append(items, fmt.Sprint(v%7))
		}
	}
	parts[fDow] = strings.Join(items, ",")
	return strings.Join(parts, " ")
}

func itemText(it item) string {
	var t string
	switch {
	case it.star:
		t = "*"
	case it.lo == it.hi:
		t = fmt.Sprint(it.lo)
	default:
		t = fmt.Sprintf("%d-%d", it.lo, it.hi)
	}
	if it.step != 1 {
		t += fmt.Sprintf("/%d", it.step)
	}
	return t
}

// String is the interval as parsed: the fields joined by one space.
func (s *Schedule) String() string { return s.text }

// EitherDay reports whether day-of-month and day-of-week are both
// restricted, so that a day matches when either does (Vixie cron's rule,
// which surprises people: "0 0 1 * 1" runs on the 1st and on every
// Monday). EitherDayNote says so in a sentence.
func (s *Schedule) EitherDay() bool { return !s.fields[fDom].all && !s.fields[fDow].all }

// EitherDayNote is the sentence a command can print when EitherDay is true.
const EitherDayNote = "day-of-month and day-of-week are both restricted, so the task runs on a day that matches either of them (as in Vixie cron), not only on days that match both"

// Next is the first run time strictly after t, computed and returned in
// t's location (pass t.In(loc) for another zone), to the minute. It is the
// zero time if there is none within five years (only possible for
// February 29 near 2100).
//
// Daylight-saving changes follow robfig/cron: the schedule is matched
// against wall-clock time. On a spring-forward day, a time that does not
// exist is skipped: in Europe/Berlin on 2026-03-29 clocks go from 02:00 to
// 03:00, so "30 2 * * *" does not run that day at all (next run 2026-03-30
// 02:30+02:00), and "*/15 * * * *" goes from 01:45+01:00 to 03:00+02:00.
// On a fall-back day, a time that occurs twice matches twice: on
// 2026-10-25 "30 2 * * *" runs at 02:30+02:00 and again at 02:30+01:00.
// (Vixie cron instead runs a skipped job just after the change and a
// repeated one once; how Radar behaves is not documented.)
func (s *Schedule) Next(t time.Time) time.Time {
	return s.spec.Next(t)
}

// NextN returns up to n run times after t, in t's location; fewer only if
// the schedule ends (see Next).
func (s *Schedule) NextN(t time.Time, n int) []time.Time {
	out := make([]time.Time, 0, n)
	for len(out) < n {
		t = s.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}
