package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/cli/downloadcmd"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// debugReportOptions are the options of a run against the emulator
// srv with the given environment, saving into a new directory.
func debugReportOptions(t *testing.T, srv *emulator.Server, env map[string]string) (*DebugReportOptions, *bytes.Buffer) {
	ios, _, out, _ := iostreams.Test()
	env["DIAGCTL_SANDBOX_SERVER"] = srv.URL
	o := downloadcmd.NewOptions(cmdutiltest.NewFactory(t, ios, env))
	opts := &o
	opts.IDs = []string{emulator.TaskOK}
	opts.Flags.Dir, opts.Flags.Parallel = t.TempDir(), 1
	return opts, out
}

// TestRunDebugReport runs the command's run function in-process against
// the emulator: the archive is saved, its line printed, and the request
// carried the credentials.
func TestRunDebugReport(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	opts, out := debugReportOptions(t, srv, map[string]string{
		"DIAGCTL_SANDBOX_USER":     emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD": emulator.SandboxPassword,
	})
	dir := opts.Flags.Dir
	if err := runDebugReport(opts); err != nil {
		t.Fatal(err)
	}
	if f := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\t"); len(f) != 4 || f[1] != "758" || len(f[2]) != 64 || f[3] != "3" {
		t.Errorf("stdout %q", out)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || filepath.Ext(ents[0].Name()) != ".zip" {
		t.Errorf("dir holds %v", ents)
	}
	got := srv.Received()
	if len(got) != 1 || !strings.HasSuffix(got[0].Path, "/"+emulator.TaskOK+"/debug_report") || !strings.HasPrefix(got[0].Header.Get("Authorization"), "Basic ") {
		t.Errorf("emulator received %+v", got)
	}
}

// TestRunDebugReportMissingSetting: a missing setting is a usage error
// and nothing reaches the service.
func TestRunDebugReportMissingSetting(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	opts, _ := debugReportOptions(t, srv, map[string]string{"DIAGCTL_SANDBOX_PASSWORD": emulator.SandboxPassword})
	err := runDebugReport(opts)
	if exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), "DIAGCTL_SANDBOX_USER") {
		t.Errorf("err %v (exit %d, hint %q)", err, exit.Code(err), exit.Hint(err))
	}
	if n := len(srv.Received()); n != 0 {
		t.Errorf("the emulator received %d requests", n)
	}
}
