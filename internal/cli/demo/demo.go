// Package demo is `diagctl demo`: every service command, run through the
// ordinary command tree against an in-process emulator, shown as the
// command line a user would type and what came back.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/cmdutil"
	emu "github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// RunFunc runs one diagctl command line with f's streams and returns its
// exit status (cli.RunFactory; the demo cannot import the tree it is in).
type RunFunc func(f *cmdutil.Factory, args []string) int

// Options holds the flags and dependencies of `diagctl demo`.
type Options struct {
	IO      *iostreams.IOStreams
	Context context.Context
	Version string
	JSON    bool
	Run     RunFunc

	Keep string // --keep DIR: write there and leave it

	// TempDir is where the demo's temporary directory is made ("" is
	// os.TempDir()); tests point it at their own.
	TempDir string
}

// NewCmdDemo builds `diagctl demo`.
func NewCmdDemo(f *cmdutil.Factory, run RunFunc, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Version: f.Version, Run: run}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run every command against an in-process emulator",
		Long: `Run every service command against an emulator started in-process on a free
loopback port, showing each command line as you would type it and what came
back: a Kaspersky Research Sandbox debug report (and a task without one, which
fails on purpose with its hint and exit status), CodeArts Check log archives
with an IAM token and with an IAM user and password, the IAM token cache, the
client key of a small symbol file it writes, that file published to Azure
DevOps symbols (a symbol request, its debug entry, which is blobMissing since
diagctl does not upload blobs, and a lookup that answers missing with exit
status 4, as expected), a one-command publish (--request-name, --seal) of a
blob the service holds and its lookup, found, and a Pangeo Radar report task
created and changed. A step that ends with the non-zero status it should is
marked "as expected"; the id a step prints is passed to the next ones as
$REQUEST_ID, as a script would.

Nothing reaches the network beyond loopback and nothing is asked: secrets are
piped in on stdin (shown as the variables you would keep them in). The demo
reads neither your config file nor your token cache, ignores DIAGCTL_*
variables, and writes only under a temporary directory that it removes at the
end, unless --keep DIR.

--json prints one document: {"emulator","dir","steps":[{"title","command",
"exit_status","result","error"}]}, where result is the command's --json output
and error its JSON error (or, for a command that reports its outcome in its
result, such as lookup's missing keys, its stderr text).

The exit status is 0 when every step ended as expected, else 1.

` + exit.StatusHelp,
		Example: `  go run ./cmd/diagctl demo
  diagctl demo --keep demo-out/ && ls -R demo-out/
  diagctl demo --json | jq '.steps[] | {command, exit_status}'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			opts.JSON = f.Globals.JSON
			if runF != nil {
				return runF(opts)
			}
			return runDemo(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Keep, "keep", "", "write into DIR (new or empty) and keep it, instead of a temporary directory")
	_ = cmd.MarkFlagDirname("keep")
	return cmd
}

// session is what the steps' command lines are built from.
type session struct {
	URL string // the emulator
	Dir string // everything the commands write goes under it
	// vars are the values earlier steps set (step.sets), by name.
	vars map[string]string
}

func (s *session) path(rel string) string { return filepath.Join(s.Dir, filepath.FromSlash(rel)) }

// result is one step as --json shows it.
type result struct {
	Title      string          `json:"title"`
	Command    string          `json:"command"`
	ExitStatus int             `json:"exit_status"`
	Result     json.RawMessage `json:"result"`
	Error      json.RawMessage `json:"error"`
}

func runDemo(opts *Options) error {
	dir, cleanup, err := opts.workDir()
	if err != nil {
		return err
	}
	defer cleanup()
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(filepath.FromSlash(symbolFile))), 0o755); err != nil {
		return exit.Wrapf(err, exit.Failure, "", "demo: cannot write under %s", dir)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(symbolFile)), tinyPE(), 0o644); err != nil {
		return exit.Wrapf(err, exit.Failure, "", "demo: cannot write the symbol file")
	}

	srv, err := emu.Start(emu.Options{})
	if err != nil {
		return exit.Wrapf(err, exit.Failure, "the demo needs a free port on 127.0.0.1", "demo: cannot start the emulator")
	}
	defer srv.Close()
	s := &session{URL: srv.URL, Dir: dir, vars: map[string]string{}}

	out := opts.IO.Out
	if !opts.JSON {
		fmt.Fprintf(out, "diagctl demo: each command against an emulator at %s\n", s.URL)
		if opts.Keep != "" {
			fmt.Fprintf(out, "Files go under %s, which is kept.\n", dir)
		} else {
			fmt.Fprintf(out, "Files go under %s, removed at the end (--keep DIR keeps them).\n", dir)
		}
		fmt.Fprintf(out, "The secrets piped in are the emulator's, which 'diagctl emulator' prints.\n")
	}

	var results []result
	var failed []string
	for i, st := range steps {
		if err := opts.Context.Err(); err != nil {
			return context.Cause(opts.Context)
		}
		args := st.args(s)
		if opts.JSON {
			args = append([]string{"--json"}, args...)
		}
		line := s.commandLine(args, st, opts.JSON)
		stdout, stderr, code := opts.runStep(s, st, args)
		if code != st.want {
			failed = append(failed, fmt.Sprintf("step %d (%s) exited %d, want %d", i+1, st.title, code, st.want))
		}
		if st.sets != "" {
			v, err := captured(stdout, opts.JSON)
			if err != nil && code == st.want {
				failed = append(failed, fmt.Sprintf("step %d (%s): %v", i+1, st.title, err))
			}
			s.vars[st.sets] = v
		}
		if opts.JSON {
			r := result{Title: st.title, Command: line, ExitStatus: code, Result: jsonOrString(stdout), Error: json.RawMessage("null")}
			if code != 0 {
				r.Error = lastJSONLine(stderr)
			}
			results = append(results, r)
			continue
		}
		fmt.Fprintf(out, "\n# %d. %s\n$ %s\n", i+1, st.title, line)
		out.Write(stdout)
		out.Write(stderr)
		if code != 0 && code == st.want {
			fmt.Fprintf(out, "(exit status %d, as expected)\n", code)
		} else {
			fmt.Fprintf(out, "(exit status %d)\n", code)
		}
	}

	if opts.JSON {
		doc := map[string]any{"emulator": s.URL, "dir": dir, "kept": opts.Keep != "", "steps": results}
		if err := iostreams.WriteJSON(out, doc); err != nil {
			return err
		}
	} else if len(failed) == 0 {
		fmt.Fprintf(out, "\nAll %d steps ended as expected. Next: 'diagctl emulator' to try your own commands, 'diagctl --help' for the rest.\n", len(steps))
	}
	if len(failed) > 0 {
		return exit.Errorf(exit.Failure, "report this with the output above", "demo: %s", strings.Join(failed, "; "))
	}
	return nil
}

// runStep runs one command line through the real tree with streams of its
// own (none a terminal: no prompt, no progress bar) and an environment
// that holds only the demo's directories, so that the user's DIAGCTL_*
// variables, config file and token cache stay out of it.
func (opts *Options) runStep(s *session, st step, args []string) (stdout, stderr []byte, code int) {
	ios, in, out, errOut := iostreams.Test()
	if st.secretVar != "" {
		in.WriteString(st.secret + "\n")
	}
	env := map[string]string{
		"HOME":            s.Dir,
		"XDG_CONFIG_HOME": s.path(".config"),
		"XDG_CACHE_HOME":  s.path(".cache"),
	}
	f := cmdutil.NewFactory(ios, func(k string) string { return env[k] }, opts.Version, opts.Context)
	code = opts.Run(f, args)
	return out.Bytes(), errOut.Bytes(), code
}

// workDir is --keep DIR (made if missing, refused unless empty), else a
// new temporary directory that cleanup removes.
func (opts *Options) workDir() (dir string, cleanup func(), err error) {
	if opts.Keep != "" {
		dir, err = filepath.Abs(opts.Keep)
		if err != nil {
			return "", nil, exit.Wrapf(err, exit.Usage, "", "--keep %s", opts.Keep)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", nil, exit.Wrapf(err, exit.Failure, "", "--keep: cannot make %s", dir)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return "", nil, exit.Wrapf(err, exit.Failure, "", "--keep: cannot read %s", dir)
		}
		if len(entries) > 0 {
			return "", nil, exit.UsageErrorf("name a new or empty directory", "--keep %s: the directory is not empty", opts.Keep)
		}
		return dir, func() {}, nil
	}
	dir, err = os.MkdirTemp(opts.TempDir, "diagctl-demo-")
	if err == nil {
		dir, err = filepath.Abs(dir)
	}
	if err != nil {
		return "", nil, exit.Wrapf(err, exit.Failure, "set TMPDIR to a writable directory, or pass --keep DIR", "demo: no temporary directory")
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// captured is the value a step's result sets (step.sets): its stdout,
// trimmed, or with --json the "id" field of its document.
func captured(stdout []byte, asJSON bool) (string, error) {
	if !asJSON {
		v := strings.TrimSpace(string(stdout))
		if v == "" || strings.ContainsAny(v, "\n\t") {
			return "", fmt.Errorf("stdout is not one value: %q", v)
		}
		return v, nil
	}
	var doc struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(stdout, &doc); err != nil || doc.ID == "" {
		return "", fmt.Errorf("stdout is not a JSON document with an id: %q", stdout)
	}
	return doc.ID, nil
}

// lastJSONLine is the error document a failed command printed last on
// stderr (after any notes), else its stderr as a string.
func lastJSONLine(b []byte) json.RawMessage {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	if last := lines[len(lines)-1]; json.Valid(last) {
		return json.RawMessage(last)
	}
	return jsonOrString(b)
}

// jsonOrString is a command's output for the --json document: its JSON
// as it is, other text as a JSON string, nothing as null.
func jsonOrString(b []byte) json.RawMessage {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	if json.Valid(b) {
		return json.RawMessage(b)
	}
	s, _ := json.Marshal(string(b))
	return s
}
