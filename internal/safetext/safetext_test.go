package safetext

import (
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text, tabs\tstay", "plain text, tabs\tstay"},
		{"задача не найдена", "задача не найдена"},
		{"bad id \x1b]0;TITLE\x07\x1b[2K end", `bad id \e]0;TITLE\x07\e[2K end`},
		{"two\nlines\r\n", `two\nlines\r\n`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"c1 \u009b31m csi", `c1 \u009b31m csi`},
		{"bad utf-8 \xff\xfe", `bad utf-8 \xff\xfe`},
		{"bidi \u202e stays visible text", "bidi \u202e stays visible text"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if IsSafe(tt.in) != (tt.in == tt.want) {
			t.Errorf("IsSafe(%q) = %v", tt.in, IsSafe(tt.in))
		}
	}
}

func TestEscapeSafeDoesNotAllocate(t *testing.T) {
	s := "debug_report_d1a9c7f0.zip\t758 bytes"
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Errorf("Escape of safe text allocated %v times", n)
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b[2J", "\u009b", "\xff", "a\tb\nc", "\xc2\x9b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q is not valid UTF-8", s, out)
		}
		for _, r := range out {
			if unsafeRune(r) {
				t.Fatalf("Escape(%q) = %q holds raw control %U", s, out, r)
			}
		}
		if !IsSafe(out) {
			t.Fatalf("IsSafe(Escape(%q)) is false", s)
		}
		if IsSafe(s) && out != s {
			t.Fatalf("safe %q changed to %q", s, out)
		}
	})
}
