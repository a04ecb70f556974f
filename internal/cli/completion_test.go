package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
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
	stderr = directiveNote.ReplaceAllString(errOut.String(), "")
	return lines[:len(lines)-1], lines[len(lines)-1], stderr
}

var directiveNote = regexp.MustCompile(`(?m)^Completion ended with directive: \w+(, \w+)*\n`)

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
		{[]string{"config", "unset", "symbols.auth", ""}, nil, noFiles},
		// Enum flags: their values, registered once with the flag.
		{[]string{"emulator", "--fault", ""}, []string{"none", "slow", "drop", "503", "stall"}, noFiles},
		{[]string{"emulator", "--radar-fault", ""}, []string{"none", "503", "429", "drop", "slow", "stall"}, noFiles},
		{[]string{"symbols", "keys", "--auth", ""}, []string{"pat", "bearer"}, noFiles},
		{[]string{"symbols", "--auth", "b"}, []string{"bearer"}, noFiles},
		{[]string{"symbols", "create-entries", "--create-behavior", ""}, []string{"throwIfExists", "skipIfExists", "overwriteIfExists"}, noFiles},
		{[]string{"symbols", "create-entries", "--create-behavior", "o"}, []string{"overwriteIfExists"}, noFiles},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish", "powershell"}, noFiles},
		// Files and directories where a command takes them.
		{[]string{"symbols", "keys", ""}, nil, ":0"},                                           // default: files
		{[]string{"sandbox", "debug-report", "-d", ""}, nil, ":16"},                            // directories
		{[]string{"logs", "download", "--extract", ""}, nil, ":16"},                            // directories
		{[]string{"demo", "--keep", ""}, nil, ":16"},                                           // directories
		{[]string{"logs", "download", "--from-file", ""}, nil, ":0"},                           // files
		{[]string{"--config", ""}, []string{"yaml", "yml"}, ":8"},                              // files by extension
		{[]string{"sandbox", "debug-report", "-o", ""}, []string{"zip"}, ":8"},                 // files by extension
		{[]string{"report-task", "create", "--instance", ""}, nil, noFiles},                    // a UUID, not a file
		{[]string{"report-task", "update", ""}, []string{"--instance", "--interval"}, noFiles}, // a task id: only the required flags
		{[]string{"demo", ""}, nil, noFiles},
	}
	for _, tt := range tests {
		got, directive, stderr := complete(t, env, tt.args...)
		if strings.Join(values(got), ",") != strings.Join(tt.want, ",") || directive != tt.directive {
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
	// Each value filters on what was typed, descriptions kept.
	if got, _, _ := complete(t, env, "emulator", "--fault", "s"); strings.Join(got, ",") != "slow\tevery body at --slow-rate,stall\tevery body stops after half" {
		t.Errorf("--fault s: %q", got)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("completion sent %d requests", n)
	}
}

// values are the candidates without their descriptions.
func values(cands []string) []string {
	var out []string
	for _, c := range cands {
		v, _, _ := strings.Cut(c, "\t")
		out = append(out, v)
	}
	return out
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
