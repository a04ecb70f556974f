// Package safetext makes text that a server controls safe to write to a
// terminal. An error message, a file name or a report name can carry escape
// sequences that retitle the terminal, erase lines or fake output; Escape
// shows every such byte visibly instead of letting the terminal act on it.
//
// JSON output does not go through here: the JSON encoder escapes control
// characters itself and the value must stay exact.
package safetext

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every control character written as a visible escape:
// C0 controls other than tab (\x00-\x1f, so ESC starts no sequence), DEL,
// C1 controls (U+0080-U+009F, which some terminals treat as ESC-sequences),
// and bytes that are not valid UTF-8. Newlines are escaped too: one message
// stays one line, so it cannot fake a line of diagctl's own output. Text
// without such characters is returned unchanged, without allocating.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeHexByte(&b, s[i])
		case unsafeRune(r):
			writeRune(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Bytes is Escape for a byte slice, such as the start of an error body.
func Bytes(p []byte) string { return Escape(string(p)) }

// IsSafe reports whether Escape would return s unchanged.
func IsSafe(s string) bool { return firstUnsafe(s) < 0 }

func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

func unsafeRune(r rune) bool {
	return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f
}

func writeRune(b *strings.Builder, r rune) {
	switch r {
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case 0x1b:
		b.WriteString(`\e`)
	default:
		if r < 0x80 {
			writeHexByte(b, byte(r))
			return
		}
		b.WriteString(`\u`)
		h := strconv.FormatInt(int64(r), 16)
		b.WriteString(strings.Repeat("0", 4-len(h)))
		b.WriteString(h)
	}
}

func writeHexByte(b *strings.Builder, c byte) {
	const hex = "0123456789abcdef"
	b.WriteString(`\x`)
	b.WriteByte(hex[c>>4])
	b.WriteByte(hex[c&0xf])
}
