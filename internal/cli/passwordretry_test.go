//go:build linux

package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/diagctl/diagctl/internal/emulator"
	"github.com/diagctl/diagctl/internal/exit"
)

// A password typed at the prompt and refused (HTTP 401) is asked for
// again, up to three times in all, as sudo does; the third refusal is
// exit 3. The real binary, its controlling terminal a pty; each answer is
// typed when the terminal shows the prompt once more.
func TestWrongPasswordAskedAgain(t *testing.T) {
	if _, err := exec.LookPath("diagctl"); err != nil {
		t.Skip("diagctl is not on $PATH (TestMain installs it)")
	}
	t.Run("right at the third try", func(t *testing.T) {
		stdout, stderr, code, prompts := typePasswords(t, []string{"wrong-1", "wrong-2", emulator.SandboxPassword})
		if code != 0 || prompts != 3 {
			t.Fatalf("exit %d after %d prompts; stderr:\n%s", code, prompts, stderr)
		}
		for _, want := range []string{"sandbox refused the password (HTTP 401); try again (2 of 3)", "try again (3 of 3)"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if strings.Contains(stderr, "error:") || strings.Count(stdout, "\t") != 6 {
			t.Errorf("stdout %q, stderr %q: want both archives and no error", stdout, stderr)
		}
	})
	t.Run("three wrong", func(t *testing.T) {
		stdout, stderr, code, prompts := typePasswords(t, []string{"wrong-1", "wrong-2", "wrong-3"})
		if code != exit.Auth || prompts != 3 {
			t.Fatalf("exit %d after %d prompts, want %d after 3; stderr:\n%s", code, prompts, exit.Auth, stderr)
		}
		if strings.Count(stderr, "error: ") != 2 || !strings.Contains(stderr, "HTTP 401") || stdout != "" {
			t.Errorf("stdout %q, stderr:\n%s", stdout, stderr)
		}
	})
}

// typePasswords runs a two-ID download with no password set and types
// answers, one each time the prompt shows; it returns stdout, stderr,
// the exit status and how many prompts the terminal showed.
func typePasswords(t *testing.T, answers []string) (string, string, int, int) {
	bin, _ := exec.LookPath("diagctl")
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	term := openTerminal(t)
	const prompt = "Password for " + emulator.SandboxUser + "@"
	prompts := func() int { return strings.Count(term.output(), prompt) }

	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "sandbox", "debug-report", "--no-progress", "-d", dir, emulator.TaskOK, emulator.TaskOK2)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CONFIG_HOME=" + dir,
		"DIAGCTL_SANDBOX_SERVER=" + srv.URL, "DIAGCTL_SANDBOX_USER=" + emulator.SandboxUser}
	cmd.Stdin = strings.NewReader("")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	term.controlling(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	term.tty.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var werr error
	done := false
	for i, a := range answers {
		n := i + 1
		deadline := time.After(20 * time.Second)
		tick := time.NewTicker(5 * time.Millisecond)
		for !done && prompts() < n {
			select {
			case werr = <-exited:
				done = true
			case <-deadline:
				cmd.Process.Kill()
				t.Fatalf("prompt %d never showed; stderr:\n%s", n, stderr.String())
			case <-tick.C:
			}
		}
		tick.Stop()
		if done {
			break
		}
		io.WriteString(term.master, a+"\n")
	}
	if !done {
		select {
		case werr = <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("diagctl did not finish; stderr:\n%s", stderr.String())
		}
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	} else if werr != nil {
		t.Fatal(werr)
	}
	return stdout.String(), stderr.String(), code, prompts()
}
