package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/creack/pty"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/diagctl/diagctl/internal/api/logs/iam"
	"github.com/diagctl/diagctl/internal/config"
)

// Keys of the values Setup leaves for the script commands.
type envNamesKey struct{}

// envNames lists the variables Setup set (KEY=VALUE lines).
func envNames(vars []string) []string {
	var names []string
	for _, kv := range vars {
		if k, _, ok := strings.Cut(kv, "="); ok {
			names = append(names, k)
		}
	}
	return names
}

// cmdPty runs a command with a pseudo-terminal on stdin and stderr (and
// stdout on a pipe, so results stay apart), waits until the terminal
// shows PROMPT, types ANSWER and a newline, and waits for the command to
// end. What the terminal showed goes to $WORK/pty.tty and stdout to
// $WORK/pty.stdout, for grep:
//
//	pty 'MFA code for' 424242 diagctl logs token
//	pty -exit 3 'MFA code for' 000000 diagctl logs token
//
// It synchronises on the prompt's text, not on time; the deadline only
// turns a hang into a failure.
func cmdPty(ts *testscript.TestScript, neg bool, args []string) {
	wantExit := 0
	if len(args) > 1 && args[0] == "-exit" {
		n, err := strconv.Atoi(args[1])
		if err != nil {
			ts.Fatalf("pty: bad -exit %q", args[1])
		}
		wantExit, args = n, args[2:]
	}
	if neg || len(args) < 3 {
		ts.Fatalf("usage: pty [-exit N] PROMPT ANSWER command [args...]")
	}
	prompt, answer, name := args[0], args[1], args[2]
	path := lookPath(ts, name)
	master, tty, err := pty.Open()
	if err != nil {
		ts.Fatalf("pty: %v", err)
	}
	defer master.Close()
	var stdout bytes.Buffer
	cmd := exec.Command(path, args[3:]...)
	cmd.Dir = ts.Getenv("WORK")
	cmd.Env = scriptEnv(ts)
	cmd.Stdin, cmd.Stderr, cmd.Stdout = tty, tty, &stdout
	if err := cmd.Start(); err != nil {
		ts.Fatalf("pty: %v", err)
	}
	tty.Close() // the child holds it now: reads on master end when it exits

	shown := make(chan []byte)
	prompted := make(chan struct{})
	go func() {
		var b bytes.Buffer
		buf := make([]byte, 4096)
		seen := false
		for {
			n, err := master.Read(buf)
			b.Write(buf[:n])
			if !seen && strings.Contains(b.String(), prompt) {
				seen = true
				close(prompted)
			}
			if err != nil {
				shown <- b.Bytes()
				return
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.After(30 * time.Second)
	var waitErr error
	var ended bool
	select {
	case <-prompted:
		io.WriteString(master, answer+"\n")
	case waitErr = <-exited:
		ended = true
	case <-deadline:
		cmd.Process.Kill()
		ts.Fatalf("pty: no %q on the terminal", prompt)
	}
	if !ended {
		select {
		case waitErr = <-exited:
		case <-deadline:
			cmd.Process.Kill()
			ts.Fatalf("pty: %s did not end after the answer", name)
		}
	}
	var out []byte
	select {
	case out = <-shown:
	case <-deadline:
		ts.Fatalf("pty: the terminal did not close")
	}
	ts.Check(os.WriteFile(ts.MkAbs("pty.tty"), out, 0o644))
	ts.Check(os.WriteFile(ts.MkAbs("pty.stdout"), stdout.Bytes(), 0o644))
	if ended {
		ts.Fatalf("pty: %s ended without showing %q; the terminal showed:\n%s", name, prompt, out)
	}
	got := 0
	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		got = ee.ExitCode()
	} else if waitErr != nil {
		ts.Fatalf("pty: %v", waitErr)
	}
	if got != wantExit {
		ts.Fatalf("pty: exit status %d, want %d; the terminal showed:\n%s", got, wantExit, out)
	}
}

// lookPath finds a command in the script's $PATH (where testscript puts
// the diagctl it runs).
func lookPath(ts *testscript.TestScript, name string) string {
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	ts.Fatalf("pty: %s not found in $PATH", name)
	return ""
}

// scriptEnv is the script's environment as it stands: the variables
// Setup set and every DIAGCTL_* setting variable, as the script's env
// commands left them.
func scriptEnv(ts *testscript.TestScript) []string {
	names, _ := ts.Value(envNamesKey{}).([]string)
	for _, s := range config.Settings {
		names = append(names, s.Env...)
	}
	names = append(names, "DIAGCTL_CONFIG", "DIAGCTL_PROFILE", "TERM")
	seen := map[string]bool{}
	var env []string
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		if v := ts.Getenv(n); v != "" {
			env = append(env, fmt.Sprintf("%s=%s", n, v))
		}
	}
	return env
}

// cmdIAMCache seeds the IAM token cache as a run against $EMU would have
// left it, with a token valid (by its expires_at) for a day: the way to
// test what happens when the service refuses a cached token as expired.
// The key comes from the script's IAM settings:
//
//	iamcache USER TOKEN
func cmdIAMCache(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: iamcache USER TOKEN")
	}
	base, err := iam.Endpoint(ts.Getenv("DIAGCTL_LOGS_IAM_ENDPOINT"), ts.Getenv("DIAGCTL_LOGS_REGION"))
	ts.Check(err)
	c := &iam.Cache{Dir: filepath.Join(ts.Getenv("XDG_CACHE_HOME"), "diagctl")}
	k := iam.CacheKey{Endpoint: base.String(), Domain: ts.Getenv("DIAGCTL_LOGS_IAM_DOMAIN"), User: args[0], Project: ts.Getenv("DIAGCTL_LOGS_REGION")}
	now := time.Now()
	ts.Check(c.Store(k, iam.Token{Value: args[1], IssuedAt: now, ExpiresAt: now.Add(24 * time.Hour)}))
}
