package sandbox

import (
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

// startEmulator serves the emulator on loopback for one test.
func startEmulator(t *testing.T) *emulator.Server {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestRunDebugReport runs the command's run function in-process against
// the emulator: the archive is saved, its line printed, and the request
// carried the credentials.
func TestRunDebugReport(t *testing.T) {
	t.Parallel()
	srv := startEmulator(t)
	ios, _, out, _ := iostreams.Test()
	f := cmdutiltest.NewFactory(t, ios, map[string]string{
		"DIAGCTL_SANDBOX_SERVER":   srv.URL,
		"DIAGCTL_SANDBOX_USER":     emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD": emulator.SandboxPassword,
	})
	dir := t.TempDir()
	opts := &DebugReportOptions{Options: downloadcmd.NewOptions(f)}
	opts.IDs = []string{emulator.TaskOK}
	opts.Flags.Dir, opts.Flags.Parallel = dir, 1
	if err := runDebugReport(opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\tsha256:") {
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
	srv := startEmulator(t)
	ios, _, _, _ := iostreams.Test()
	f := cmdutiltest.NewFactory(t, ios, map[string]string{
		"DIAGCTL_SANDBOX_SERVER":   srv.URL,
		"DIAGCTL_SANDBOX_PASSWORD": emulator.SandboxPassword,
	})
	opts := &DebugReportOptions{Options: downloadcmd.NewOptions(f)}
	opts.IDs = []string{emulator.TaskOK}
	opts.Flags.Dir = t.TempDir()
	err := runDebugReport(opts)
	if exit.Code(err) != exit.Usage || !strings.Contains(exit.Hint(err), "DIAGCTL_SANDBOX_USER") {
		t.Errorf("err %v (exit %d, hint %q)", err, exit.Code(err), exit.Hint(err))
	}
	if n := len(srv.Received()); n != 0 {
		t.Errorf("the emulator received %d requests", n)
	}
}
