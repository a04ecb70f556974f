package downloadcmd

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/download"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// validID accepts lower-case words starting with "id".
func validID(s string) error {
	if !strings.HasPrefix(s, "id") || strings.ContainsAny(s, " #") {
		return exit.UsageErrorf("an ID looks like id1", "must start with id")
	}
	return nil
}

// parse builds a command with the download flags and parses args.
func parse(t *testing.T, args ...string) (*Flags, []string) {
	t.Helper()
	d := &Flags{}
	cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	AddFlags(cmd, d)
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	return d, cmd.Flags().Args()
}

func TestAddFlags(t *testing.T) {
	t.Parallel()
	d, _ := parse(t)
	if d.Dir != "." || d.Parallel != 4 || d.Output != "" || d.Force || d.Extract != "" || d.FromFile != "" {
		t.Errorf("defaults: %+v", d)
	}
	d, args := parse(t, "-o", "x.zip", "--force", "--extract", "out", "--parallel", "2", "--from-file", "ids.txt", "id1")
	if d.Output != "x.zip" || !d.Force || d.Extract != "out" || d.Parallel != 2 || d.FromFile != "ids.txt" || len(args) != 1 {
		t.Errorf("parsed: %+v %v", d, args)
	}
	d, _ = parse(t, "-d", "dl")
	if d.Dir != "dl" {
		t.Errorf("-d: %+v", d)
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "ids.txt")
	os.WriteFile(file, []byte("\uFEFF# my IDs\r\nid2\r\n\n   id3   \nid1 # again\n  # indented comment\nid4"), 0o644)
	badFile := filepath.Join(dir, "bad.txt")
	os.WriteFile(badFile, []byte("id1\n\nnope\n"), 0o644)
	emptyFile := filepath.Join(dir, "empty.txt")
	os.WriteFile(emptyFile, []byte("# nothing\n\n"), 0o644)

	for _, tc := range []struct {
		name    string
		flags   []string
		args    []string
		stdin   string
		tty     bool
		want    []string
		errWant string // substring; "" means success
	}{
		{name: "args", args: []string{"id1", "id2", "id1"}, want: []string{"id1", "id2"}},
		{name: "file after args, deduplicated", flags: []string{"--from-file", file}, args: []string{"id1"}, want: []string{"id1", "id2", "id3", "id4"}},
		{name: "stdin", flags: []string{"--from-file", "-"}, stdin: "id7\n#x\nid8\n", want: []string{"id7", "id8"}},
		{name: "bad arg", args: []string{"id1", "bad"}, errWant: `invalid ID "bad": must start with id`},
		{name: "bad line", flags: []string{"--from-file", badFile}, errWant: "line 3: invalid ID \"nope\""},
		{name: "missing file", flags: []string{"--from-file", filepath.Join(dir, "missing")}, errWant: "cannot read --from-file"},
		{name: "empty file", flags: []string{"--from-file", emptyFile}, errWant: "holds no IDs"},
		{name: "no IDs", errWant: "no ID given"},
		{name: "-o with several", flags: []string{"-o", "x.zip"}, args: []string{"id1", "id2"}, errWant: "-o/--output takes one ID"},
		{name: "-o with one", flags: []string{"-o", "x.zip"}, args: []string{"id1"}, want: []string{"id1"}},
		{name: "-o with -d", flags: []string{"-o", "x.zip", "-d", "."}, args: []string{"id1"}, errWant: "cannot be used together"},
		{name: "-o - on a terminal", flags: []string{"-o", "-"}, args: []string{"id1"}, tty: true, errWant: "refusing to write a binary archive to the terminal"},
		{name: "-o - to a pipe", flags: []string{"-o", "-"}, args: []string{"id1"}, want: []string{"id1"}},
		{name: "parallel 0", flags: []string{"--parallel", "0"}, args: []string{"id1"}, errWant: "--parallel must be 1 or more"},
		{name: "extract with -o -", flags: []string{"-o", "-", "--extract", "x"}, args: []string{"id1"}, errWant: "--extract cannot be used with -o -"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := parse(t, tc.flags...)
			ios, in, _, _ := iostreams.Test()
			in.WriteString(tc.stdin)
			ios.SetTTY(false, tc.tty, false)
			ids, err := d.IDs(ios, tc.args, validID)
			if tc.errWant != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errWant) || exit.Code(err) != exit.Usage {
					t.Fatalf("err = %v (exit %d), want %q", err, exit.Code(err), tc.errWant)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(ids, tc.want) {
				t.Fatalf("ids = %q, %v; want %q", ids, err, tc.want)
			}
		})
	}
	// The validator's hint is kept.
	d, _ := parse(t)
	ios, _, _, _ := iostreams.Test()
	if _, err := d.IDs(ios, []string{"bad"}, validID); exit.Hint(err) != "an ID looks like id1" {
		t.Errorf("hint = %q", exit.Hint(err))
	}
	// Without AddFlags, -d is "given" when it is not the default.
	plain := &Flags{Output: "x.zip", Dir: ".", Parallel: 1}
	if _, err := plain.IDs(ios, []string{"id1"}, validID); err != nil {
		t.Errorf("plain struct: %v", err)
	}
}

func str(s string) *string { return &s }

func TestPrintResultsJSON(t *testing.T) {
	t.Parallel()
	notFound := &httpx.APIError{Service: "sandbox", Status: 404, Message: "task not found", Next: "check the task ID"}
	results := []download.Result{
		{ID: "a", Path: "dl/a.zip", Bytes: 1536, SHA256: "ab12", Files: 3},
		{ID: "b", Err: notFound, Error: str(notFound.Error())},
		{ID: "c", Err: exit.Errorf(exit.Failure, "", "disk full")}, // Error filled in from Err
	}
	ios, _, out, errOut := iostreams.Test()
	err := PrintResults(ios, true, results)
	var se *cmdutil.SilentError
	if !errors.As(err, &se) || se.Code != exit.NotFound || exit.Code(err) != exit.NotFound {
		t.Fatalf("err = %#v", err)
	}
	var doc []map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
	}
	if len(doc) != 3 {
		t.Fatalf("%d objects", len(doc))
	}
	for _, obj := range doc {
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		if len(keys) != 6 {
			t.Errorf("keys %v", keys)
		}
		for _, k := range []string{"id", "path", "bytes", "sha256", "files", "error"} {
			if _, ok := obj[k]; !ok {
				t.Errorf("missing %q in %v", k, obj)
			}
		}
	}
	if doc[0]["error"] != nil || doc[0]["bytes"] != 1536.0 || doc[0]["files"] != 3.0 || doc[0]["path"] != "dl/a.zip" {
		t.Errorf("success object: %v", doc[0])
	}
	if doc[1]["error"] != "sandbox: HTTP 404: task not found" || doc[2]["error"] != "disk full" {
		t.Errorf("errors: %v / %v", doc[1]["error"], doc[2]["error"])
	}
	// Failures are also JSON lines on stderr.
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("stderr: %q", errOut.String())
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil || e["id"] != "b" || e["exit_status"] != 4.0 || e["hint"] != "check the task ID" {
		t.Errorf("stderr line: %s (%v)", lines[0], err)
	}

	// All good: nil, and an empty list is [] not null.
	ios, _, out, _ = iostreams.Test()
	if err := PrintResults(ios, true, nil); err != nil || strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("empty: %v %q", err, out)
	}
}

func TestPrintResultsText(t *testing.T) {
	t.Parallel()
	results := []download.Result{
		{ID: "a", Path: "dl/a.zip", Bytes: 1536, SHA256: "ab12", Files: 3},
		{ID: "b", Err: exit.Errorf(exit.Failure, "check free space", "cannot write dl/b.zip")},
		{ID: "c", Err: &httpx.NetError{Service: "logs", Op: "GET x", Err: errors.New("refused"), Next: "check the server"}},
	}
	ios, _, out, errOut := iostreams.Test()
	err := PrintResults(ios, false, results)
	if exit.Code(err) != exit.Service {
		t.Errorf("exit %d", exit.Code(err))
	}
	if got, want := out.String(), "dl/a.zip\t1536\tab12\t3\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
	// At a terminal: the human size, for people.
	ios, _, out, _ = iostreams.Test()
	ios.SetTTY(false, true, false)
	PrintResults(ios, false, results[:1])
	if got, want := out.String(), "dl/a.zip  1.5 KiB  sha256:ab12  3 files\n"; got != want {
		t.Errorf("terminal stdout %q, want %q", got, want)
	}
	wantErr := "error: b: cannot write dl/b.zip\nhint: check free space\nerror: c: logs: GET x: refused\nhint: check the server\n"
	if errOut.String() != wantErr {
		t.Errorf("stderr %q, want %q", errOut.String(), wantErr)
	}

	// Success only: nil.
	ios, _, _, _ = iostreams.Test()
	if err := PrintResults(ios, false, results[:1]); err != nil {
		t.Errorf("err = %v", err)
	}
	// Archive on stdout: the summary goes to stderr.
	ios, _, out, errOut = iostreams.Test()
	PrintResults(ios, false, []download.Result{{ID: "a", Path: "-", Bytes: 10, SHA256: "ff", Files: 1}})
	if out.Len() != 0 || errOut.String() != "-\t10\tff\t1\n" {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
	// Interrupted: said once; status 130 beats the others.
	ios, _, _, errOut = iostreams.Test()
	err = PrintResults(ios, false, []download.Result{
		{ID: "a", Err: exit.ErrInterrupted}, {ID: "b", Err: exit.ErrInterrupted}, {ID: "c", Err: exit.Errorf(exit.Service, "", "x")},
	})
	if exit.Code(err) != exit.Interrupted || strings.Count(errOut.String(), "interrupted") != 1 {
		t.Errorf("exit %d, stderr %q", exit.Code(err), errOut)
	}
}
