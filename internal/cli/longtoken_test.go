package cli

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// A 100,000-character IAM token (the documented maximum) travels intact,
// from stdin, and shows up nowhere in the output, even with -v.
func TestLogsDownloadLongToken(t *testing.T) {
	token := "MII" + strings.Repeat("x7Q-", 25000)[:99997]
	if len(token) != 100000 {
		t.Fatalf("token is %d characters", len(token))
	}
	emu := emulator.New(emulator.Options{LogsToken: token})
	srv := httptest.NewServer(emu)
	defer srv.Close()

	dir := t.TempDir()
	ios, stdin, stdout, stderr := iostreams.Test()
	stdin.WriteString(token + "\n")
	env := map[string]string{"DIAGCTL_LOGS_ENDPOINT": srv.URL, "XDG_CONFIG_HOME": dir}
	args := []string{"-v", "logs", "download", "--token-stdin", "-o", filepath.Join(dir, "l.zip"), emulator.SubJobOK}
	if code := Run(context.Background(), args, ios, func(k string) string { return env[k] }); code != 0 {
		t.Fatalf("exit %d\nstderr: %.2000s", code, stderr.String())
	}
	var got []string
	for _, r := range emu.Received() {
		got = append(got, r.Header.Get("X-Auth-Token"))
	}
	if len(got) != 1 || got[0] != token {
		t.Fatalf("emulator got %d requests; token intact: %v", len(got), len(got) == 1 && got[0] == token)
	}
	for name, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
		if strings.Contains(out, token[:40]) {
			t.Errorf("%s shows the token", name)
		}
	}
	if !strings.Contains(stderr.String(), "X-Auth-Token: [redacted]") {
		t.Errorf("trace lacks the redacted token header:\n%.2000s", stderr.String())
	}
}
