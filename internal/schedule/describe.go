package schedule

import (
	"fmt"
	"strings"
)

// Describe says the schedule in one line of English when it is simple
// enough to say without losing anything, and reports false otherwise (the
// next run times then have to speak for it). Examples:
//
//	"* * * * *"        every minute
//	"*/15 * * * *"     every 15 minutes
//	"5 * * * *"        at minute 5 of every hour
//	"0 3 * * 1"        at 03:00 on Monday
//	"30 9 * * 1-5"     at 09:30 on Monday to Friday
//	"0 0,12 1 * *"     at 00:00 and 12:00 on day 1 of every month
//	"0 6 25 12 *"      at 06:00 on 25 December
//	"* 0 1 1 1"        every minute from 00:00 to 00:59 on 1 January and on every Monday in January
//
// Steps other than a plain "*/n" (where n divides the hour or the day) and
// mixes of ranges and values are not described.
func (s *Schedule) Describe() (string, bool) {
	when, daily, ok := s.timeWords()
	if !ok {
		return "", false
	}
	days, ok := s.dayWords()
	if !ok {
		return "", false
	}
	switch {
	case days != "":
		return when + " " + days, true
	case daily:
		return when + " every day", true
	}
	return when, true
}

// values are the plain values of a field, ascending and once each (a
// day-of-week 7 is 0), or nil if an item is "*", a range or a step.
func (f field) values() []int {
	for _, it := range f.items {
		if !it.single() {
			return nil
		}
	}
	var vs []int
	for v := 0; v < 64; v++ {
		if f.bits&(1<<uint(v)) != 0 {
			vs = append(vs, v)
		}
	}
	return vs
}

// span is the one plain range "lo-hi" the field consists of.
func (f field) span() (lo, hi int, ok bool) {
	if len(f.items) != 1 || f.items[0].star || f.items[0].step != 1 || f.items[0].lo == f.items[0].hi {
		return 0, 0, false
	}
	return f.items[0].lo, f.items[0].hi, true
}

// every is n for a field that is exactly "*/n" with n dividing period.
func (f field) every(period int) (int, bool) {
	if len(f.items) != 1 || !f.items[0].star || f.items[0].step == 1 || period%f.items[0].step != 0 {
		return 0, false
	}
	return f.items[0].step, true
}

// timeWords covers minute and hour. daily reports a phrase for fixed
// times of day, which reads better with "every day" after it.
func (s *Schedule) timeWords() (words string, daily, ok bool) {
	min, hour := s.fields[fMinute], s.fields[fHour]
	mins := min.values()
	switch {
	case hour.all:
		switch n, every := min.every(60); {
		case min.all:
			return "every minute", false, true
		case every:
			return fmt.Sprintf("every %d minutes", n), false, true
		case mins != nil:
			return fmt.Sprintf("at %s %s of every hour", plural(len(mins), "minute", "minutes"), numbers(mins)), false, true
		}
	case hour.values() != nil:
		hours := hour.values()
		switch n, every := min.every(60); {
		case min.all && len(hours) == 1:
			return fmt.Sprintf("every minute from %s to %s", clock(hours[0], 0), clock(hours[0], 59)), false, true
		case every && len(hours) == 1:
			return fmt.Sprintf("every %d minutes from %s to %s", n, clock(hours[0], 0), clock(hours[0], 60-n)), false, true
		case mins != nil && len(mins)*len(hours) <= 6:
			var times []string
			for _, h := range hours {
				for _, m := range mins {
					times = append(times, clock(h, m))
				}
			}
			return "at " + joinWords(times, "and"), true, true
		}
	}
	if lo, hi, isSpan := hour.span(); isSpan {
		switch n, every := min.every(60); {
		case min.all:
			return fmt.Sprintf("every minute from %s to %s", clock(lo, 0), clock(hi, 59)), false, true
		case every:
			return fmt.Sprintf("every %d minutes from %s to %s", n, clock(lo, 0), clock(hi, 60-n)), false, true
		case len(mins) == 1:
			return fmt.Sprintf("every hour from %s to %s", clock(lo, mins[0]), clock(hi, mins[0])), false, true
		}
	}
	if n, every := hour.every(24); every && len(mins) == 1 {
		return fmt.Sprintf("every %d hours at minute %d", n, mins[0]), false, true
	}
	return "", false, false
}

// dayWords covers day-of-month, month and day-of-week: "" for every day.
func (s *Schedule) dayWords() (string, bool) {
	dom, month, dow := s.fields[fDom], s.fields[fMonth], s.fields[fDow]
	monthWords, ok := listWords(month, func(v int) string { return monthNames[v] }, "in ", "in ")
	if !ok {
		return "", false
	}
	dowWords, ok := listWords(dow, func(v int) string { return weekdayNames[v%7] }, "on ", "on ")
	if !ok {
		return "", false
	}
	var domWords string
	if !dom.all {
		if vs := dom.values(); len(vs) == 1 && len(month.values()) == 1 {
			// "on 25 December": one day of one month reads as a date.
			domWords, monthWords = fmt.Sprintf("on %d %s", vs[0], monthNames[month.values()[0]]), ""
			if dowWords != "" {
				monthWords = "in " + monthNames[month.values()[0]]
			}
		} else {
			w, ok := listWords(dom, func(v int) string { return fmt.Sprint(v) }, "on day ", "on days ")
			if !ok {
				return "", false
			}
			domWords = w
			if monthWords == "" {
				domWords += " of every month"
			}
		}
	}
	var parts []string
	switch {
	case domWords != "" && dowWords != "":
		// Either matches: say it as two sets of days, not their overlap.
		parts = append(parts, domWords, "and", strings.Replace(dowWords, "on ", "on every ", 1))
	case domWords != "":
		parts = append(parts, domWords)
	case dowWords != "":
		parts = append(parts, dowWords)
	case monthWords != "":
		parts = append(parts, "every day")
	}
	if monthWords != "" {
		parts = append(parts, monthWords)
	}
	return strings.Join(parts, " "), true
}

var weekdayNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// listWords names a field's values ("on Monday and Friday") or its one
// range ("on Monday to Friday"); "" for an unrestricted field; false when
// it is neither.
func listWords(f field, name func(int) string, one, many string) (string, bool) {
	if f.all {
		return "", true
	}
	if lo, hi, ok := f.span(); ok {
		return many + name(lo) + " to " + name(hi), true
	}
	vs := f.values()
	if vs == nil {
		return "", false
	}
	words := make([]string, len(vs))
	for i, v := range vs {
		words[i] = name(v)
	}
	if len(words) == 1 {
		return one + words[0], true
	}
	return many + joinWords(words, "and"), true
}

func clock(h, m int) string { return fmt.Sprintf("%02d:%02d", h, m) }

func numbers(vs []int) string {
	words := make([]string, len(vs))
	for i, v := range vs {
		words[i] = fmt.Sprint(v)
	}
	return joinWords(words, "and")
}
