package schedule

import (
	"errors"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/exit"
)

// TestParse is the interval check, valid and invalid. For a valid interval
// want is its description ("" when it has none); for an invalid one err is
// the whole message and hint the hint.
func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		want   string // description of a valid interval
		either bool   // both day fields restricted
		err    string // the whole error message; "" for valid
		field  int
		hint   string
	}{
		// Valid: the basics.
		{in: "* * * * *", want: "every minute"},
		{in: "*/15 * * * *", want: "every 15 minutes"},
		{in: "5 * * * *", want: "at minute 5 of every hour"},
		{in: "0,30 * * * *", want: "at minutes 0 and 30 of every hour"},
		{in: "0 3 * * *", want: "at 03:00 every day"},
		{in: "0 3 * * 1", want: "at 03:00 on Monday"},
		{in: "  0\t3 * *   1 ", want: "at 03:00 on Monday"},
		{in: "0 0,12 1 * *", want: "at 00:00 and 12:00 on day 1 of every month"},
		{in: "0 6 25 12 *", want: "at 06:00 on 25 December"},
		{in: "0 8 1,15 * *", want: "at 08:00 on days 1 and 15 of every month"},
		{in: "0 */2 * * *", want: "every 2 hours at minute 0"},
		{in: "0 9-17 * * *", want: "every hour from 09:00 to 17:00"},
		{in: "*/10 9-17 * * 1-5", want: "every 10 minutes from 09:00 to 17:50 on Monday to Friday"},
		{in: "* 3 * * *", want: "every minute from 03:00 to 03:59"},
		{in: "0 0 * 1,7 *", want: "at 00:00 every day in January and July"},
		// Names, in any case, alone and in ranges.
		{in: "30 9 * * MON-FRI", want: "at 09:30 on Monday to Friday"},
		{in: "30 9 * * mon,Wed,FRI", want: "at 09:30 on Monday, Wednesday and Friday"},
		{in: "0 0 1 jan-mar *", want: "at 00:00 on day 1 in January to March"},
		{in: "0 0 * DEC SUN", want: "at 00:00 on Sunday in December"},
		// 7 is Sunday too, and 0,7 is Sunday once.
		{in: "0 0 * * 7", want: "at 00:00 on Sunday"},
		{in: "0 0 * * 0,7", want: "at 00:00 on Sunday"},
		{in: "0 0 * * 5-7", want: "at 00:00 on Friday to Sunday"},
		// Steps on ranges and stars: valid, not described.
		{in: "0-30/10 * * * *"},
		{in: "0 8-18/2 * * *"},
		{in: "0 0 1-31/7 * *"},
		{in: "*/7 * * * *"}, // 0,7,...,56: not "every 7 minutes"
		{in: "0 0 * * 1-7/2"},
		{in: "*/1 * * * *", want: "every minute"},
		{in: "*/60 * * * *", want: "every 60 minutes"}, // minute 0 only, which is that
		// Both day fields restricted: either matches. The vendor's example.
		{in: "* 0 1 1 1", either: true,
			want: "every minute from 00:00 to 00:59 on 1 January and on every Monday in January"},
		{in: "0 0 13 * 5", either: true, want: "at 00:00 on day 13 of every month and on every Friday"},
		{in: "0 0 */2 * 1", either: true}, // robfig: a step makes the field restricted
		{in: "0 0 29 2 *", want: "at 00:00 on 29 February"},

		// Out of range, one in each field.
		{in: "60 * * * *", field: 1, err: `interval "60 * * * *": field 1 (minute) is 60; minutes are 0-59`},
		{in: "0 25 * * *", field: 2, err: `interval "0 25 * * *": field 2 (hour) is 25; hours are 0-23`},
		{in: "0 0 0 * *", field: 3, err: `interval "0 0 0 * *": field 3 (day-of-month) is 0; days of the month are 1-31`},
		{in: "0 0 32 * *", field: 3, err: `interval "0 0 32 * *": field 3 (day-of-month) is 32; days of the month are 1-31`},
		{in: "0 0 * 13 *", field: 4, err: `interval "0 0 * 13 *": field 4 (month) is 13; months are 1-12 or JAN-DEC`},
		{in: "0 0 * 0 *", field: 4, err: `interval "0 0 * 0 *": field 4 (month) is 0; months are 1-12 or JAN-DEC`},
		{in: "0 0 * * 8", field: 5, err: `interval "0 0 * * 8": field 5 (day-of-week) is 8; days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT`},
		{in: "0 1,25 * * *", field: 2, err: `interval "0 1,25 * * *": field 2 (hour) is 1,25: 25 is out of range; hours are 0-23`},
		{in: "0 20-24 * * *", field: 2, err: `interval "0 20-24 * * *": field 2 (hour) is 20-24: 24 is out of range; hours are 0-23`},
		{in: "99999999999 * * * *", field: 1, err: `interval "99999999999 * * * *": field 1 (minute) is 99999999999; minutes are 0-59`},
		// Steps.
		{in: "*/0 * * * *", field: 1, err: `interval "*/0 * * * *": field 1 (minute) is */0: a step must be at least 1; minutes are 0-59`},
		{in: "0 1-5/0 * * *", field: 2, err: `interval "0 1-5/0 * * *": field 2 (hour) is 1-5/0: a step must be at least 1; hours are 0-23`},
		{in: "*/61 * * * *", field: 1, err: `interval "*/61 * * * *": field 1 (minute) is */61: step 61 is too large; steps are 1-60; minutes are 0-59`},
		{in: "*/ * * * *", field: 1, err: `interval "*/ * * * *": field 1 (minute) is */: has no step after /; minutes are 0-59`},
		{in: "*/x * * * *", field: 1, err: `interval "*/x * * * *": field 1 (minute) is */x: step x is not a number; minutes are 0-59`},
		{in: "1/2/3 * * * *", field: 1, err: `interval "1/2/3 * * * *": field 1 (minute) is 1/2/3: has more than one /; minutes are 0-59`},
		{in: "5/15 * * * *", field: 1, hint: "write 5-59/15 (from 5, every 15) or */15",
			err: `interval "5/15 * * * *": field 1 (minute) is 5/15: puts a step on a single value; minutes are 0-59`},
		// Ranges and lists.
		{in: "0 22-3 * * *", field: 2, hint: "to wrap around, write 22-23,0-3",
			err: `interval "0 22-3 * * *": field 2 (hour) is 22-3: runs backwards (ranges do not wrap around); hours are 0-23`},
		{in: "0 0 * * FRI-MON", field: 5, hint: "to wrap around, write 5-6,0-1",
			err: `interval "0 0 * * FRI-MON": field 5 (day-of-week) is FRI-MON: runs backwards (ranges do not wrap around); days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT`},
		{in: "-1 * * * *", field: 1, err: `interval "-1 * * * *": field 1 (minute) is -1: negative; minutes are 0-59`},
		{in: "1-2-3 * * * *", field: 1, err: `interval "1-2-3 * * * *": field 1 (minute) is 1-2-3: has more than one -; minutes are 0-59`},
		{in: "1- * * * *", field: 1, err: `interval "1- * * * *": field 1 (minute) is 1-: needs a value on both sides of -; minutes are 0-59`},
		{in: "0 0 1,,2 * *", field: 3, err: `interval "0 0 1,,2 * *": field 3 (day-of-month) is 1,,2: the list has an empty item; days of the month are 1-31`},
		{in: "0 0 1, * *", field: 3, err: `interval "0 0 1, * *": field 3 (day-of-month) is 1,: the list has an empty item; days of the month are 1-31`},
		{in: "+5 * * * *", field: 1, err: `interval "+5 * * * *": field 1 (minute) is +5: not a number; minutes are 0-59`},
		// Names where there are none, and wrong names.
		{in: "0 0 MON * *", field: 3, err: `interval "0 0 MON * *": field 3 (day-of-month) is MON: not a number; days of the month are 1-31`},
		{in: "0 0 * JANUARY *", field: 4, err: `interval "0 0 * JANUARY *": field 4 (month) is JANUARY: not a number or a month name; months are 1-12 or JAN-DEC`},
		{in: "0 0 * * MONDAY", field: 5, err: `interval "0 0 * * MONDAY": field 5 (day-of-week) is MONDAY: not a number or a day-of-week name; days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT`},
		// Quartz extensions.
		{in: "0 0 L * *", field: 3, err: `interval "0 0 L * *": field 3 (day-of-month) is L: L (last) is a Quartz extension, not five-field cron; days of the month are 1-31`},
		{in: "0 0 LW * *", field: 3, err: `interval "0 0 LW * *": field 3 (day-of-month) is LW: L (last) is a Quartz extension, not five-field cron; days of the month are 1-31`},
		{in: "0 0 15W * *", field: 3, err: `interval "0 0 15W * *": field 3 (day-of-month) is 15W: W (nearest weekday) is a Quartz extension, not five-field cron; days of the month are 1-31`},
		{in: "0 0 * * 5L", field: 5, err: `interval "0 0 * * 5L": field 5 (day-of-week) is 5L: L (last) is a Quartz extension, not five-field cron; days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT`},
		{in: "0 0 * * 5#3", field: 5, err: `interval "0 0 * * 5#3": field 5 (day-of-week) is 5#3: # (nth weekday of the month) is a Quartz extension, not five-field cron; days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT`},
		{in: "0 0 1,L * *", field: 3, err: `interval "0 0 1,L * *": field 3 (day-of-month) is 1,L: L: L (last) is a Quartz extension, not five-field cron; days of the month are 1-31`},
		{in: "0 0 ? * MON", field: 3, hint: "write * instead of ?",
			err: `interval "0 0 ? * MON": field 3 (day-of-month) is ?: Quartz syntax, not five-field cron; days of the month are 1-31`},
		// Days that never come.
		{in: "0 0 30 2 *", field: 3, err: `interval "0 0 30 2 *": field 3 (day-of-month) is 30: February has no day 30, so the task would never run`},
		{in: "0 0 31 4,6,9,11 *", field: 3, err: `interval "0 0 31 4,6,9,11 *": field 3 (day-of-month) is 31: April, June, September and November have no day 31, so the task would never run`},
		{in: "0 0 30,31 feb *", field: 3, err: `interval "0 0 30,31 feb *": field 3 (day-of-month) is 30,31: February has no day 30 or later, so the task would never run`},
		// Descriptors.
		{in: "@daily", hint: `use "0 0 * * *", the same schedule in five fields`, err: `interval "@daily": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@midnight", hint: `use "0 0 * * *", the same schedule in five fields`, err: `interval "@midnight": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@hourly", hint: `use "0 * * * *", the same schedule in five fields`, err: `interval "@hourly": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@weekly", hint: `use "0 0 * * 0", the same schedule in five fields`, err: `interval "@weekly": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@monthly", hint: `use "0 0 1 * *", the same schedule in five fields`, err: `interval "@monthly": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@yearly", hint: `use "0 0 1 1 *", the same schedule in five fields`, err: `interval "@yearly": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@annually", hint: `use "0 0 1 1 *", the same schedule in five fields`, err: `interval "@annually": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@every 15m", hint: `use "*/15 * * * *", the same schedule in five fields`, err: `interval "@every 15m": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@every 6h", hint: `use "0 */6 * * *", the same schedule in five fields`, err: `interval "@every 6h": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@every 1h30m", hint: "five fields can say every N minutes only where N divides 60, and every N hours where N divides 24; pick such a period",
			err: `interval "@every 1h30m": is a descriptor, not five cron fields; Radar documents only five fields`},
		{in: "@reboot", err: `interval "@reboot": is a descriptor, not five cron fields; Radar documents only five fields; an interval is five fields: minute hour day-of-month month day-of-week`},
		// Six fields with seconds, other counts, empty, a time zone.
		{in: "0 0 3 * * 1", hint: `use "0 3 * * 1", the same schedule without the seconds field`, err: `interval "0 0 3 * * 1": has 6 fields; Radar documents five, without seconds`},
		{in: "*/10 0 3 * * 1", hint: `five fields cannot say seconds; "0 3 * * 1" runs at second 0 of the same minutes`, err: `interval "*/10 0 3 * * 1": has 6 fields; Radar documents five, without seconds`},
		{in: "0 0 25 * * *", err: `interval "0 0 25 * * *": has 6 fields; Radar documents five, without seconds`},
		{in: "0 1 1 1", err: `interval "0 1 1 1": has 4 fields; an interval is five fields: minute hour day-of-month month day-of-week`},
		{in: "0 0 1 1 * 2026 x", err: `interval "0 0 1 1 * 2026 x": has 7 fields; an interval is five fields: minute hour day-of-month month day-of-week`},
		{in: "   ", hint: `for example "0 3 * * 1" is 03:00 every Monday`, err: `interval "   ": is empty; an interval is five fields: minute hour day-of-month month day-of-week`},
		{in: "TZ=Europe/Berlin 0 3 * * *", hint: `use "0 3 * * *"; Radar runs it in its own time zone`,
			err: `interval "TZ=Europe/Berlin 0 3 * * *": has a time zone prefix, which Radar does not document; an interval is five fields: minute hour day-of-month month day-of-week`},
		// Control characters are escaped, not printed.
		{in: "0 0 * * \x1b[31m", field: 5, err: `interval "0 0 * * \x1b[31m": field 5 (day-of-week) is "\x1b[31m": not a number or a day-of-week name; days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT`},
	}
	valid, invalid := 0, 0
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, err := Parse(tt.in)
			if tt.err == "" {
				valid++
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				got, ok := s.Describe()
				if got != tt.want || ok != (tt.want != "") {
					t.Errorf("Describe = %q, %v; want %q", got, ok, tt.want)
				}
				if s.EitherDay() != tt.either {
					t.Errorf("EitherDay = %v", s.EitherDay())
				}
				return
			}
			invalid++
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %v, %v; want *Error", s, err)
			}
			if e.Error() != tt.err {
				t.Errorf("error\n got %s\nwant %s", e.Error(), tt.err)
			}
			if e.Field != tt.field {
				t.Errorf("Field = %d, want %d", e.Field, tt.field)
			}
			if e.Field > 0 && e.Name != FieldNames[e.Field-1] {
				t.Errorf("Name = %q for field %d", e.Name, e.Field)
			}
			if e.Hint() != tt.hint {
				t.Errorf("hint\n got %s\nwant %s", e.Hint(), tt.hint)
			}
			if exit.Code(err) != exit.Usage || exit.Hint(err) != tt.hint {
				t.Errorf("exit code %d, hint %q", exit.Code(err), exit.Hint(err))
			}
		})
	}
	if valid < 20 || invalid < 20 {
		t.Errorf("%d valid and %d invalid cases: the table lost cases", valid, invalid)
	}
}

func TestStringIsNormalised(t *testing.T) {
	s, err := Parse("  0\t3  * *  mon ")
	if err != nil {
		t.Fatal(err)
	}
	if s.String() != "0 3 * * mon" {
		t.Errorf("String = %q", s.String())
	}
}

func TestLongInputIsCut(t *testing.T) {
	in := "0 0 * * " + strings.Repeat("x", 500)
	_, err := Parse(in)
	var e *Error
	if !errors.As(err, &e) || len(e.Interval) > maxQuoted+3 || !strings.HasSuffix(e.Interval, "...") {
		t.Fatalf("error %v", err)
	}
}
