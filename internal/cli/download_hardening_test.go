//go:build unix

package cli

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
)

// runDownload runs the real binary's sandbox debug-report against url.
func runDownload(t *testing.T, url string, args ...string) (status int, stderr string, dir string) {
	t.Helper()
	bin, err := exec.LookPath("diagctl")
	if err != nil {
		t.Skip("diagctl is not on $PATH (TestMain installs it)")
	}
	dir = t.TempDir()
	cmd := exec.Command(bin, append([]string{"--retries", "1", "sandbox", "debug-report", "--no-progress", "-d", dir}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + dir,
		"DIAGCTL_SANDBOX_SERVER=" + url, "DIAGCTL_SANDBOX_USER=" + emulator.SandboxUser,
		"DIAGCTL_SANDBOX_PASSWORD=" + emulator.SandboxPassword}
	var se strings.Builder
	cmd.Stderr = &se
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), se.String(), dir
}

// A redirect to another host (a storage front end) is followed without
// the sandbox password; the archive it serves is saved as usual.
func TestDownloadRedirectElsewhereDropsCredentials(t *testing.T) {
	storage := emulator.New(emulator.Options{})
	var mu sync.Mutex
	var auth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		// The emulator wants Basic auth; a storage host would use the
		// signed URL instead, so serve it as if authenticated.
		r.SetBasicAuth(emulator.SandboxUser, emulator.SandboxPassword)
		storage.ServeHTTP(w, r)
	}))
	defer other.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer origin.Close()
	status, stderr, dir := runDownload(t, origin.URL, emulator.TaskOK)
	if status != 0 {
		t.Fatalf("exit %d\n%s", status, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) != 1 || auth[0] != "" {
		t.Errorf("the other host got Authorization %q", auth)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.zip")); len(m) != 1 {
		t.Errorf("saved %q", m)
	}
}

// An error answer whose body never ends is read only up to its bound:
// the run ends with the service's exit status, nothing saved.
func TestDownloadEndlessErrorBody(t *testing.T) {
	var sent atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		piece := []byte(strings.Repeat("x", 64<<10))
		for {
			n, err := w.Write(piece)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	status, stderr, dir := runDownload(t, ts.URL, emulator.TaskOK)
	ts.Close() // the handlers have returned: the client stopped reading
	if status != exit.Service {
		t.Errorf("exit %d, want %d\n%s", status, exit.Service, stderr)
	}
	if got := sent.Load(); got > 2*(64<<20) { // two attempts, each bounded plus socket buffers
		t.Errorf("the server wrote %d bytes: the error body was not bounded", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".zip") || strings.Contains(e.Name(), ".part") {
				t.Errorf("left %s", e.Name())
			}
		}
	}
}
