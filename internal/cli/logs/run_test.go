package logs

import (
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// TestRunDownload runs the command's run function in-process against the
// emulator, with the token from stdin and two sub-jobs, one of which the
// service answers with a JSON error under HTTP 200.
func TestRunDownload(t *testing.T) {
	t.Parallel()
	srv := cmdutiltest.StartEmulator(t, emulator.Options{})
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(emulator.LogsToken + "\n")
	f := cmdutiltest.NewFactory(t, ios, map[string]string{"DIAGCTL_LOGS_ENDPOINT": srv.URL})
	opts := newDownloadOptions(f)
	opts.IDs = []string{emulator.SubJobOK, emulator.SubJob200Error}
	opts.Flags.Dir, opts.Flags.Parallel = t.TempDir(), 2
	opts.SecretStdin = true
	opts.JSON = true

	err := runDownload(opts)
	if exit.Code(err) != exit.Service {
		t.Errorf("err %v (exit %d), want 6 for the 200-error sub-job", err, exit.Code(err))
	}
	if !strings.Contains(out.String(), `"id": "`+emulator.SubJobOK+`"`) || !strings.Contains(errOut.String(), emulator.SubJob200Error) {
		t.Errorf("stdout %s\nstderr %s", out, errOut)
	}
	for _, r := range srv.Received() {
		if r.Header.Get("X-Auth-Token") != emulator.LogsToken {
			t.Errorf("request %s %s without the token", r.Method, r.Path)
		}
	}
	if n := len(srv.Received()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
