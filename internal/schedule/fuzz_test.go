package schedule

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
)

// FuzzParse: any input gives either a clear *Error or a schedule that
// robfig agrees with, can describe and can step through; never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"* * * * *", "*/15 * * * *", "0 3 * * 1", "* 0 1 1 1", "0 0 1-31/7 jan-dec/2 mon-fri",
		"0 25 * * *", "*/0 * * * *", "0 0 L * *", "0 0 * * 5#3", "@daily", "@every 90m",
		"0 0 3 * * 1", "TZ=UTC 0 3 * * *", "0 22-3 * * *", "5/15 * * * *", "0 0 30 2 *",
		"0 0 * * 0,7", "0 0 * * 1-7/2", "", "\x00", "-", "/", ",", "*/", "--1", "1-/2",
	} {
		f.Add(s)
	}
	after := time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T %v, want *Error", in, err, err)
			}
			msg := e.Error()
			if !strings.HasPrefix(msg, "interval ") || e.Problem == "" {
				t.Fatalf("Parse(%q): unclear error %q", in, msg)
			}
			if strings.Contains(e.Problem, "cannot be read as cron") {
				t.Fatalf("Parse(%q): robfig refused what the checks passed: %s", in, msg)
			}
			if e.Field < 0 || e.Field > 5 || (e.Field > 0) != (e.Name != "") {
				t.Fatalf("Parse(%q): field %d name %q", in, e.Field, e.Name)
			}
			for _, r := range msg + e.Hint() {
				if r != ' ' && !unicode.IsGraphic(r) || r == unicode.ReplacementChar && !strings.ContainsRune(in, r) {
					t.Fatalf("Parse(%q): message carries %q: %s", in, r, msg)
				}
			}
			return
		}
		// The five fields robfig computes with are the ones checked here.
		const star = 1 << 63
		spec := s.spec
		for i, got := range []uint64{spec.Minute, spec.Hour, spec.Dom, spec.Month, spec.Dow} {
			if got&^star != s.fields[i].bits {
				t.Fatalf("Parse(%q): field %d robfig %b, checked %b", in, i+1, got&^star, s.fields[i].bits)
			}
			if (got&star != 0) != s.fields[i].all {
				t.Fatalf("Parse(%q): field %d unrestricted: robfig %v, checked %v", in, i+1, got&star != 0, s.fields[i].all)
			}
		}
		if w, ok := s.Describe(); ok == (w == "") {
			t.Fatalf("Parse(%q): Describe = %q, %v", in, w, ok)
		}
		prev := after
		for _, n := range s.NextN(after, 3) {
			if !n.After(prev) || n.Second() != 0 {
				t.Fatalf("Parse(%q): run %v after %v", in, n, prev)
			}
			prev = n
		}
		if len(s.NextN(after, 3)) == 0 {
			t.Fatalf("Parse(%q): accepted but never runs", in)
		}
	})
}
