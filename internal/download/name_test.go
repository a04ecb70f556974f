package download

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFileName(t *testing.T) {
	t.Parallel()
	const def = "debug-report-X.zip"
	long := strings.Repeat("é", 300) + ".zip"
	for _, tc := range []struct{ cd, want string }{
		{``, def},
		{`attachment`, def},
		{`attachment; filename="report.zip"`, "report.zip"},
		{`attachment; filename=report.zip`, "report.zip"},
		{`attachment; filename="REPORT.ZIP"`, "REPORT.zip"},
		{`attachment; filename="report"`, "report.zip"},
		{`attachment; filename="report.tar.gz"`, "report.tar.gz.zip"},
		{`attachment; filename="../../etc/passwd"`, "passwd.zip"},
		{`attachment; filename="..\\..\\windows\\win.ini"`, "win.ini.zip"},
		{`attachment; filename="C:\\temp\\x.zip"`, "x.zip"},
		{`attachment; filename="/abs/path/x.zip"`, "x.zip"},
		{`attachment; filename=".."`, def},
		{`attachment; filename="."`, def},
		{`attachment; filename=".zip"`, def},
		{`attachment; filename="...hidden.zip"`, "hidden.zip"},
		{`attachment; filename="dir/"`, def},
		{"attachment; filename=\"a\x01b\x7fc\tz.zip\"", "abcz.zip"},
		{"attachment; filename=\"x\u202egpj.zip\"", "xgpj.zip"},
		{`attachment; filename="a<b>c:d|e?f*g.zip"`, "a_b_c_d_e_f_g.zip"},
		{`attachment; filename="CON.zip"`, "_CON.zip"},
		{`attachment; filename="nul"`, "_nul.zip"},
		{`attachment; filename="com1.txt.zip"`, "_com1.txt.zip"},
		{`attachment; filename="COM10.zip"`, "COM10.zip"},
		{`attachment; filename="console.zip"`, "console.zip"},
		{`attachment; filename="trailing. . ."`, "trailing.zip"},
		{`attachment; filename="report.zip. "`, "report.zip"},
		{`attachment; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.zip`, "отчёт.zip"},
		{`attachment; filename="fallback.zip"; filename*=UTF-8''real%20name.zip`, "real name.zip"},
		{`attachment; filename*=UTF-8''..%2F..%2Fx.zip`, "x.zip"},
		{`attachment; filename=two words.zip`, "two words.zip"},     // not valid MIME: lenient parse
		{`attachment; filename="a.zip"; filename="b.zip"`, "a.zip"}, // duplicate: lenient, first
		{`attachment; filename="` + long + `"`, strings.Repeat("é", 98) + ".zip"},
		{"attachment; filename=\"\xff\xfe.zip\"", def},
		{"İİİ; filename=x.zip", "x.zip"}, // lower-casing changes byte lengths
		{"\xff\xff; filename*=UTF-8''y.zip", "y.zip"},
	} {
		if got := FileName(tc.cd, def); got != tc.want {
			t.Errorf("FileName(%q) = %q, want %q", tc.cd, got, tc.want)
		}
	}
	if got := SafeName("", "../.."); got != fallbackName {
		t.Errorf("unusable default: %q", got)
	}
}

func checkSafe(t *testing.T, in, got string) {
	t.Helper()
	switch {
	case got == "", got == ".", got == "..":
		t.Fatalf("SafeName(%q) = %q", in, got)
	case strings.ContainsAny(got, `/\`):
		t.Fatalf("SafeName(%q) = %q contains a separator", in, got)
	case strings.HasPrefix(got, "."):
		t.Fatalf("SafeName(%q) = %q is hidden", in, got)
	case !strings.HasSuffix(got, ".zip"):
		t.Fatalf("SafeName(%q) = %q does not end in .zip", in, got)
	case len(got) > maxNameBytes:
		t.Fatalf("SafeName(%q) = %q is %d bytes", in, got, len(got))
	case !utf8.ValidString(got):
		t.Fatalf("SafeName(%q) = %q is not UTF-8", in, got)
	case strings.IndexFunc(got, func(r rune) bool { return unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r) }) >= 0:
		t.Fatalf("SafeName(%q) = %q has a forbidden character", in, got)
	case reservedWindowsName(strings.TrimSuffix(got, ".zip")):
		t.Fatalf("SafeName(%q) = %q is a Windows device name", in, got)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"", ".", "..", "../x", `a\b`, "CON", "x.zip", " . ", "\x00", "é", strings.Repeat("a", 500),
		`attachment; filename="../../x"`, `attachment; filename*=UTF-8''%2e%2e`, "İ; filename=x"} {
		f.Add(s, "d.zip")
	}
	f.Fuzz(func(t *testing.T, name, def string) {
		checkSafe(t, name, SafeName(name, def))
		checkSafe(t, name, FileName(name, def))
		checkSafe(t, name, FileName(`attachment; filename="`+name+`"`, def))
	})
}
