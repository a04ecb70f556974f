package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/iostreams"
)

// complete runs cobra's __complete request through Run and returns the
// candidates (without the trailing directive line) and the directive.
func complete(t *testing.T, env map[string]string, args ...string) (cands []string, directive string, stderr string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	// A terminal on every stream: a prompt would be possible, and must
	// still not happen.
	ios.SetTTY(true, true, true)
	ios.SetStdinFd(0)
	code := Run(context.Background(), append([]string{cobra.ShellCompRequestCmd}, args...), ios, func(k string) string { return env[k] })
	if code != 0 {
		t.Fatalf("__complete %v: exit %d, stderr %q", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	// cobra's own note; anything else on stderr (a prompt, an error) is not.
	stderr = strings.Replace(errOut.String(), "Completion ended with directive: ShellCompDirectiveNoFileComp\n", "", 1)
	return lines[:len(lines)-1], lines[len(lines)-1], stderr
}

func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	// Readable by others and holding a secret: completion neither fails
	// on it nor uses the secret.
	if err := os.WriteFile(cfgPath, []byte("profiles:\n  prod:\n    sandbox:\n      password: pw\n  Lab: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(cfgPath, 0o644)
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
	defer srv.Close()
	env := map[string]string{
		"DIAGCTL_CONFIG":         cfgPath,
		"DIAGCTL_SANDBOX_SERVER": srv.URL,
		"DIAGCTL_SANDBOX_USER":   "alice",
		"DIAGCTL_LOGS_ENDPOINT":  srv.URL,
	}
	const noFiles = ":4" // cobra.ShellCompDirectiveNoFileComp
	tests := []struct {
		args      []string
		want      []string
		directive string
	}{
		{[]string{"--profile", ""}, []string{"lab", "prod"}, noFiles},
		{[]string{"--config", filepath.Join(dir, "none.yaml"), "--profile", ""}, nil, noFiles},
		{[]string{"--config", filepath.Join(dir, "none.yaml"), "sandbox", "debug-report", "--profile", ""}, nil, noFiles},
		{[]string{"sandbox", "debug-report", ""}, nil, noFiles},
		{[]string{"logs", "download", ""}, nil, noFiles},
		{[]string{"config", "set", "sandbox.insecure", ""}, []string{"true", "false"}, noFiles},
		{[]string{"config", "set", "symbols.auth", ""}, []string{"pat", "bearer"}, noFiles},
		{[]string{"config", "set", "sandbox.server", ""}, nil, noFiles},
	}
	for _, tt := range tests {
		got, directive, stderr := complete(t, env, tt.args...)
		if strings.Join(got, ",") != strings.Join(tt.want, ",") || directive != tt.directive {
			t.Errorf("__complete %q = %q %s, want %q %s", tt.args, got, directive, tt.want, tt.directive)
		}
		if stderr != "" {
			t.Errorf("__complete %q wrote %q on stderr", tt.args, stderr)
		}
	}
	for _, cmd := range []string{"get", "set", "unset"} {
		got, _, _ := complete(t, env, "config", cmd, "sandbox.")
		if len(got) == 0 || !strings.HasPrefix(got[0], "sandbox.server\t") {
			t.Errorf("config %s does not complete keys: %q", cmd, got)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("completion sent %d requests", n)
	}
}

// pflag turns `NAME` in a usage into the flag's placeholder in --help,
// but completion shows the usage as it is: no usage may hold a backtick.
func TestNoBackticksInFlagUsages(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.GlobalOptions{}, Getenv: noEnv})
	walk(root, func(c *cobra.Command) {
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if strings.Contains(fl.Usage, "`") {
				t.Errorf("%s --%s: usage %q has a backtick", c.CommandPath(), fl.Name, fl.Usage)
			}
		})
	})
	got, _, _ := complete(t, nil, "sandbox", "debug-report", "--")
	for _, line := range got {
		if strings.Contains(line, "`") {
			t.Errorf("completion description with a backtick: %q", line)
		}
	}
}
