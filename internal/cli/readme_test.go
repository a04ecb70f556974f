package cli

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/diagctl/diagctl/internal/emulator"
)

// readmeURL is the emulator address the README's examples use
// (`diagctl emulator --addr 127.0.0.1:8080`); the test puts its own there.
const readmeURL = "http://127.0.0.1:8080"

// consoleBlock is one ```console block of README.md: commands after "$ "
// and, under each, the output it must print (stdout and stderr together).
type consoleBlock struct {
	file     string
	line     int // where it starts in file
	commands []string
	outputs  [][]string
}

// documented are the files whose console blocks are run: README.md and
// the guides.
func documented(t *testing.T) []string {
	guides, err := filepath.Glob(filepath.Join("..", "..", "docs", "guides", "*.md"))
	if err != nil || len(guides) == 0 {
		t.Fatalf("no guides in docs/guides/: %v", err)
	}
	return append([]string{filepath.Join("..", "..", "README.md")}, guides...)
}

func consoleBlocks(t *testing.T) []consoleBlock {
	var all []consoleBlock
	for _, p := range documented(t) {
		all = append(all, fileBlocks(t, p)...)
	}
	return all
}

func fileBlocks(t *testing.T, path string) []consoleBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []consoleBlock
	var cur *consoleBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```console":
			cur = &consoleBlock{file: filepath.Base(path), line: n}
		case cur == nil:
		case strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case strings.HasPrefix(line, "$ "):
			cur.commands = append(cur.commands, strings.TrimPrefix(line, "$ "))
			cur.outputs = append(cur.outputs, nil)
		case len(cur.commands) == 0:
			if strings.TrimSpace(line) != "" {
				t.Fatalf("%s:%d: a console block starts with a $ command", path, n)
			}
		case strings.TrimSpace(line) != "":
			i := len(cur.commands) - 1
			cur.outputs[i] = append(cur.outputs[i], line)
		}
	}
	if len(blocks) == 0 {
		t.Fatalf("%s has no ```console blocks", path)
	}
	return blocks
}

// outputPattern turns an expected line into a regexp for a line with its
// indentation trimmed: "..." matches
// anything, a run of spaces or tabs matches any run of them (columns are
// tab-separated in a pipe, aligned on a terminal).
func outputPattern(line string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i, part := range strings.Split(strings.TrimSpace(line), "...") {
		if i > 0 {
			b.WriteString(".*")
		}
		for j, word := range strings.Fields(part) {
			if j > 0 {
				b.WriteString(`[ \t]+`)
			}
			b.WriteString(regexp.QuoteMeta(word))
		}
		if strings.HasSuffix(part, " ") || strings.HasSuffix(part, "\t") {
			b.WriteString(`[ \t]+`)
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// TestReadmeConsoleBlocks runs every ```console block of README.md and
// docs/guides/*.md, each as
// one sh session against an emulator, and checks that each command prints
// what the page shows (blank lines ignored): they cannot drift from the
// binary.
func TestReadmeConsoleBlocks(t *testing.T) {
	blocks := consoleBlocks(t)
	dir := t.TempDir()
	for i, b := range blocks {
		name := fmt.Sprintf("%s_line%d.txtar", strings.TrimSuffix(b.file, ".md"), b.line)
		if err := os.WriteFile(filepath.Join(dir, name), []byte("readme "+strconv.Itoa(i)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const marker = "@@readme-step@@"
	testscript.Run(t, testscript.Params{
		Dir: dir,
		Setup: func(env *testscript.Env) error {
			srv, err := emulator.Start(emulator.Options{})
			if err != nil {
				return err
			}
			env.Defer(func() { srv.Close() })
			env.Setenv("EMU", srv.URL)
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Setenv("HOME", env.WorkDir)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"readme": func(ts *testscript.TestScript, neg bool, args []string) {
				i, _ := strconv.Atoi(args[0])
				b := blocks[i]
				var script strings.Builder
				for _, c := range b.commands {
					c = strings.ReplaceAll(c, readmeURL, ts.Getenv("EMU"))
					// The marker must not change $?: `echo $?` is an example too.
					fmt.Fprintf(&script, "%s\n__st=$?; echo %s; (exit $__st)\n", c, marker)
				}
				_ = ts.Exec("sh", "-c", "exec 2>&1\n"+script.String())
				got := strings.Split(ts.ReadFile("stdout"), marker+"\n")
				for j, c := range b.commands {
					var lines []string
					if j < len(got) {
						for _, l := range strings.Split(got[j], "\n") {
							if strings.TrimSpace(l) != "" {
								lines = append(lines, strings.ReplaceAll(l, ts.Getenv("EMU"), readmeURL))
							}
						}
					}
					want := b.outputs[j]
					if !linesMatch(lines, want) {
						ts.Fatalf("%s:%d: $ %s\nprinted:\n%s\nit shows:\n%s", b.file, b.line, c, strings.Join(lines, "\n"), strings.Join(want, "\n"))
					}
				}
			},
		},
	})
}

// linesMatch reports whether printed matches the lines a page shows, in
// order, or else in another order: with several IDs, results are printed
// as each one finishes, so two downloads may swap.
func linesMatch(printed, shown []string) bool {
	if len(printed) != len(shown) {
		return false
	}
	inOrder := true
	for k := range shown {
		if !outputPattern(shown[k]).MatchString(strings.TrimSpace(printed[k])) {
			inOrder = false
			break
		}
	}
	if inOrder {
		return true
	}
	used := make([]bool, len(printed))
	for _, want := range shown {
		re, found := outputPattern(want), false
		for k, line := range printed {
			if !used[k] && re.MatchString(strings.TrimSpace(line)) {
				used[k], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
