package symbols

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/config"
	"github.com/diagctl/diagctl/internal/iostreams"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "symkey", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeysFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.GlobalOptions{JSON: true}}
	var got *KeysOptions
	cmd := NewCmdKeys(f, func(o *KeysOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--include-other", "--parallel", "3", "a", "b"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.IncludeOther || got.Parallel != 3 || !got.JSON || strings.Join(got.Paths, ",") != "a,b" {
		t.Errorf("%+v", got)
	}
	got = nil
	cmd = NewCmdKeys(f, func(o *KeysOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"x"})
	if err := cmd.Execute(); err != nil || got.Parallel != runtime.NumCPU() {
		t.Errorf("default --parallel: %v %+v", err, got)
	}
}

// Names with control characters are escaped in the table and in errors;
// JSON carries them escaped by JSON's own rules.
func TestControlCharactersInNames(t *testing.T) {
	dir := t.TempDir()
	evil := filepath.Join(dir, "\x1b[2Jevil\n\tname.exe")
	if err := os.WriteFile(evil, fixture(t, "Tool.exe"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad\x07.pdb")
	if err := os.WriteFile(bad, fixture(t, "Truncated.pdb"), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, out, errOut := iostreams.Test()
	err := runKeys(&KeysOptions{IO: ios, Context: context.Background(), Paths: []string{dir}, Parallel: 2})
	if err == nil {
		t.Fatal("a corrupt file should fail the run")
	}
	if strings.ContainsAny(out.String()+errOut.String(), "\x1b\x07") || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("unescaped output:\nstdout %q\nstderr %q", out, errOut)
	}
	if !strings.Contains(out.String(), `\x1b[2Jevil\x0a\x09name.exe`+"\tpe\t") || !strings.Contains(errOut.String(), `bad\x07.pdb: Windows PDB: truncated`) {
		t.Errorf("stdout %q\nstderr %q", out, errOut)
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain/ünïcode.pdb": "plain/ünïcode.pdb",
		"a\x00b":            `a\x00b`,
		"del\x7f":           `del\x7f`,
		"c1\u0085":          `c1\u{85}`,
		"bidi\u202e":        `bidi\u{202e}`,
		"bad\xffutf8":       `bad\xffutf8`,
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTableOnTerminal(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	ios.SetTTY(false, true, false)
	rows := []Row{
		{File: "a.pdb", Kind: "pdb", ClientKey: "a.pdb/k/a.pdb", BlobIdentifier: BlobIdentifier{"X"}, Size: 1},
		{File: "longer/name.exe", Kind: "pe", ClientKey: "name.exe/k/name.exe", BlobIdentifier: BlobIdentifier{"Y"}, Size: 22},
	}
	if err := writeRows(ios, false, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "FILE ") || strings.Contains(out.String(), "\t") {
		t.Fatalf("%q", out)
	}
	if strings.Index(lines[1], "a.pdb/k") != strings.Index(lines[2], "name.exe/k") || strings.Index(lines[0], "CLIENT KEY") != strings.Index(lines[1], "a.pdb/k") {
		t.Errorf("columns not aligned:\n%s", out)
	}
	// Not a terminal: no header, tabs.
	ios, _, out, _ = iostreams.Test()
	if err := writeRows(ios, false, rows[:1]); err != nil {
		t.Fatal(err)
	}
	if out.String() != "a.pdb\tpdb\ta.pdb/k/a.pdb\tX\t1\n" {
		t.Errorf("%q", out)
	}
	// JSON of nothing is an empty array.
	ios, _, out, _ = iostreams.Test()
	if err := writeRows(ios, true, nil); err != nil || strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("%q %v", out, err)
	}
}

// A fat file gives one row per slice, each with the whole file's blob and
// size; --parallel 1 and many workers give the same rows.
func TestFatRowsAndParallelism(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"universal", "Age26.pdb", "libhello.so", "Tool.exe"} {
		for i := range 5 {
			if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))+n), fixture(t, n), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	var outs []string
	for _, p := range []int{1, 8} {
		ios, _, out, _ := iostreams.Test()
		if err := runKeys(&KeysOptions{IO: ios, Paths: []string{dir}, Parallel: p}); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out.String())
	}
	if outs[0] != outs[1] {
		t.Fatalf("--parallel changed the output:\n%s\n%s", outs[0], outs[1])
	}
	var slices []string
	for _, l := range strings.Split(outs[0], "\n") {
		if strings.HasPrefix(l, filepath.Join(dir, "auniversal")) {
			slices = append(slices, l)
		}
	}
	if len(slices) != 2 {
		t.Fatalf("%d rows for a 2-slice fat file", len(slices))
	}
	a, b := strings.Split(slices[0], "\t"), strings.Split(slices[1], "\t")
	if a[1] != "mach-o x86_64" || b[1] != "mach-o arm64" || a[3] != b[3] || a[4] != "8248" || b[4] != "8248" {
		t.Errorf("%q\n%q", a, b)
	}
}

// An interrupted run reports the interruption, not a partial table.
func TestKeysInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.exe"), fixture(t, "Tool.exe"), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, out, _ := iostreams.Test()
	if err := runKeys(&KeysOptions{IO: ios, Context: ctx, Paths: []string{dir}, Parallel: 1}); err == nil {
		t.Fatal("no error")
	}
	if out.Len() != 0 {
		t.Errorf("printed %q", out)
	}
}

// An unreadable directory is reported and the walk goes on (not testable
// as root, who reads everything).
func TestUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions are not enforced")
	}
	dir := t.TempDir()
	locked := filepath.Join(dir, "a-locked")
	if err := os.Mkdir(locked, 0o000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	if err := os.WriteFile(filepath.Join(dir, "b.exe"), fixture(t, "Tool.exe"), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, out, errOut := iostreams.Test()
	err := runKeys(&KeysOptions{IO: ios, Paths: []string{dir}, Parallel: 1})
	if err == nil || !strings.Contains(errOut.String(), "a-locked: permission denied") || !strings.Contains(out.String(), "b.exe\tpe\t") {
		t.Errorf("%v\nstdout %q\nstderr %q", err, out, errOut)
	}
}

// On a terminal stderr, big work draws a bar counting files and bytes;
// stdout still gets only the rows.
func TestProgressOnTerminal(t *testing.T) {
	oldFiles := progressMinFiles
	progressMinFiles = 2
	t.Cleanup(func() { progressMinFiles = oldFiles })
	dir := t.TempDir()
	for _, n := range []string{"a.exe", "b.exe", "c.exe"} {
		if err := os.WriteFile(filepath.Join(dir, n), fixture(t, "Tool.exe"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ios, _, out, errOut := iostreams.Test()
	ios.SetTTY(false, false, true)
	if err := runKeys(&KeysOptions{IO: ios, Paths: []string{dir}, Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`keying [0-3]/3 files .*B`).MatchString(errOut.String()) || strings.Count(out.String(), "\n") != 3 {
		t.Errorf("stdout %q\nstderr %q", out, errOut)
	}
	// Not a terminal, or --no-progress: no bar.
	ios, _, _, errOut = iostreams.Test()
	ios.SetTTY(false, false, true)
	ios.NoProgress = true
	if err := runKeys(&KeysOptions{IO: ios, Paths: []string{dir}, Parallel: 2}); err != nil || errOut.Len() != 0 {
		t.Errorf("--no-progress: %v %q", err, errOut)
	}
}

func TestAuthKindsAreTheSettingsValues(t *testing.T) {
	s, ok := config.Lookup("symbols.auth")
	if !ok || !slices.Equal(AuthKinds.Values(), s.Values) {
		t.Errorf("--auth completes %q, symbols.auth takes %q", AuthKinds.Values(), s.Values)
	}
}
