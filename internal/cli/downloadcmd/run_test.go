package downloadcmd

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/api/sandbox"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/httpx"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// next is the next write on w, or a failure (not a hang) when the run
// printed nothing: a run that prints at the end holds it forever.
func next(t *testing.T, w lineWriter) string {
	t.Helper()
	select {
	case s := <-w:
		return s
	case <-time.After(20 * time.Second):
		t.Fatal("nothing printed while the slow ID runs: results wait for the slowest")
		return ""
	}
}

// lineWriter hands every write (a whole result line, or an error and its
// hint) to a channel, so the test sees the moment it is printed.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	w <- string(p)
	return len(p), nil
}

// TestRunPrintsResultsAsTheyFinish: with a fast ID, a failing one and a
// slow one, the fast one's line (stdout) and the failure (stderr) are
// printed while the slow one is still running: its request is held
// until the test has read both.
func TestRunPrintsResultsAsTheyFinish(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	ios, _, _, _ := iostreams.Test()
	out, errOut := make(lineWriter, 8), make(lineWriter, 8)
	ios.Out, ios.ErrOut = out, errOut
	f := cmdutiltest.NewFactory(t, ios, map[string]string{
		"DIAGCTL_SANDBOX_SERVER":   srv.URL,
		"DIAGCTL_SANDBOX_USER":     emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD": emulator.SandboxPassword,
	})
	release := make(chan struct{})
	spec := Spec{
		Service:     sandbox.Service,
		ValidID:     sandbox.ValidTaskID,
		DefaultName: func(id string) string { return id + ".zip" },
		Request: func(ctx context.Context, c *httpx.Client, id string) (*http.Request, error) {
			if id == emulator.TaskSlow {
				select {
				case <-release:
				case <-ctx.Done():
					return nil, context.Cause(ctx)
				}
			}
			return sandbox.DebugReportRequest(ctx, c, id)
		},
	}
	opts := NewOptions(f)
	opts.IDs = []string{emulator.TaskSlow, emulator.TaskOK, emulator.TaskDeleted}
	opts.Flags.Dir, opts.Flags.Parallel = t.TempDir(), 3
	done := make(chan error, 1)
	go func() { done <- opts.Run(spec) }()

	line := next(t, out)
	if !strings.Contains(line, emulator.TaskOK) || strings.Count(line, "\t") != 3 {
		t.Errorf("first line %q, want the fast archive's", line)
	}
	if e := next(t, errOut); !strings.HasPrefix(e, "error: "+emulator.TaskDeleted+": ") {
		t.Errorf("stderr %q, want the failure", e)
	}
	close(release) // only now may the slow one finish
	if line := <-out; !strings.Contains(line, emulator.TaskSlow) {
		t.Errorf("second line %q, want the slow archive's", line)
	}
	if err := <-done; exit.Code(err) != exit.NotFound {
		t.Errorf("exit %d (%v)", exit.Code(err), err)
	}
}

// TestRunJSONIsOneDocument: with --json nothing reaches stdout while
// IDs are still running, and then one array.
func TestRunJSONIsOneDocument(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	ios, _, _, _ := iostreams.Test()
	out := make(lineWriter, 8)
	ios.Out = out
	f := cmdutiltest.NewFactory(t, ios, map[string]string{
		"DIAGCTL_SANDBOX_SERVER":   srv.URL,
		"DIAGCTL_SANDBOX_USER":     emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD": emulator.SandboxPassword,
	})
	dir := t.TempDir()
	asked := false
	spec := Spec{
		Service: sandbox.Service, ValidID: sandbox.ValidTaskID,
		DefaultName: func(id string) string { return id + ".zip" },
		Request: func(ctx context.Context, c *httpx.Client, id string) (*http.Request, error) {
			if id == emulator.TaskOK2 {
				// --parallel 1: the first archive is saved (and would
				// have been printed in text) before this one is asked for.
				asked = true
				if _, err := os.Stat(filepath.Join(dir, "debug_report_"+emulator.TaskOK+".zip")); err != nil {
					t.Errorf("first archive not saved yet: %v", err)
				}
				if len(out) != 0 {
					t.Errorf("stdout got %q before the end", <-out)
				}
			}
			return sandbox.DebugReportRequest(ctx, c, id)
		},
	}
	opts := NewOptions(f)
	opts.IDs, opts.JSON = []string{emulator.TaskOK, emulator.TaskOK2}, true
	opts.Flags.Dir, opts.Flags.Parallel = dir, 1
	if err := opts.Run(spec); err != nil {
		t.Fatal(err)
	}
	close(out)
	var doc strings.Builder
	for s := range out {
		doc.WriteString(s)
	}
	if !asked || !strings.HasPrefix(doc.String(), "[") || strings.Count(doc.String(), `"sha256"`) != 2 {
		t.Errorf("stdout %q", doc.String())
	}
}
