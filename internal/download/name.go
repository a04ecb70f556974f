package download

import (
	"mime"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes caps a file name taken from the server. File systems allow
// 255 bytes; staying well below leaves room for the temporary-file
// pattern and for tools that append their own suffixes.
const maxNameBytes = 200

// fallbackName is used only when even the caller's default is unusable.
const fallbackName = "download.zip"

// FileName returns the name under which an archive is saved: the file
// name from the server's Content-Disposition header made safe (see
// SafeName), or def when the header gives nothing usable.
func FileName(contentDisposition, def string) string {
	return SafeName(dispositionName(contentDisposition), def)
}

// dispositionName extracts the file name from a Content-Disposition
// value. mime.ParseMediaType decodes RFC 2231/5987 extended values
// (filename* with a charset and percent-encoding)
// and prefers it over the plain filename; servers that send a header it
// rejects (unquoted spaces, stray semicolons) get a lenient second try.
func dispositionName(cd string) string {
	if cd == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(cd); err == nil {
		return params["filename"]
	}
	// Lenient: find filename*= first, then filename=.
	lower := asciiLower(cd) // same length as cd, so indices carry over
	if i := paramIndex(lower, "filename*="); i >= 0 {
		v := paramValue(cd[i+len("filename*="):])
		// charset'language'percent-encoded
		if parts := strings.SplitN(v, "'", 3); len(parts) == 3 {
			if strings.EqualFold(parts[0], "utf-8") || strings.EqualFold(parts[0], "us-ascii") {
				if s, err := url.PathUnescape(parts[2]); err == nil {
					return s
				}
			}
		}
	}
	if i := paramIndex(lower, "filename="); i >= 0 {
		return paramValue(cd[i+len("filename="):])
	}
	return ""
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// paramIndex finds name at the start of a parameter (after ';' or a space).
func paramIndex(lower, name string) int {
	for off := 0; ; {
		i := strings.Index(lower[off:], name)
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || lower[i-1] == ';' || lower[i-1] == ' ' || lower[i-1] == '\t' {
			return i
		}
		off = i + 1
	}
}

// paramValue reads a quoted string (with backslash escapes) or a token
// up to the next ';'.
func paramValue(s string) string {
	s = strings.TrimLeft(s, " \t")
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; c {
			case '\\':
				if i+1 < len(s) {
					i++
					b.WriteByte(s[i])
				}
			case '"':
				return b.String()
			default:
				b.WriteByte(c)
			}
		}
		return b.String()
	}
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// SafeName turns a name chosen by the server into a safe base name for
// the local file system, or returns def (itself made safe) when nothing
// usable remains:
//   - only the last path element is kept ('/' and '\' both separate);
//   - invalid UTF-8, control and format characters (e.g. bidi overrides)
//     are dropped, characters Windows forbids (<>:"|?*) become '_';
//   - leading dots and spaces (hidden files, "..") and trailing dots and
//     spaces (which Windows drops) are trimmed;
//   - Windows device names (CON, NUL, COM1, ...) get a '_' prefix;
//   - the name always ends in ".zip" (appended when missing) and is at
//     most maxNameBytes bytes long.
//
// The result is never empty, ".", "..", and never contains a separator.
func SafeName(name, def string) string {
	if s, ok := safeName(name); ok {
		return s
	}
	if s, ok := safeName(def); ok {
		return s
	}
	return fallbackName
}

func safeName(name string) (string, bool) {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			// dropped: would hide or reorder what the user sees
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ') // one plain space for tabs, NBSP, ...
		default:
			b.WriteRune(r)
		}
	}
	stem := strings.TrimRight(b.String(), ". ")
	if len(stem) >= 4 && strings.EqualFold(stem[len(stem)-4:], ".zip") {
		stem = stem[:len(stem)-4]
	}
	stem = trimStem(stem)
	if stem == "" {
		return "", false
	}
	if len(stem) > maxNameBytes-4 {
		stem = truncateUTF8(stem, maxNameBytes-4)
		stem = trimStem(stem)
		if stem == "" {
			return "", false
		}
	}
	if reservedWindowsName(stem) {
		stem = "_" + stem
	}
	return stem + ".zip", true
}

// trimStem drops leading dots/spaces and trailing dots/spaces.
func trimStem(s string) string {
	s = strings.TrimLeft(s, ". ")
	return strings.TrimRight(s, ". ")
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// reservedWindowsName reports whether the part before the first dot is a
// DOS device name, which Windows opens as a device whatever the extension.
func reservedWindowsName(stem string) bool {
	base := stem
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) >= 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		rest := base[3:]
		switch rest {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}
